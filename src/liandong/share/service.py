"""`Share`: the open-data capability as the composition root builds it (数据共享).

Every read goes the same way, whichever interface asks (API, feed, batch export, intermediate database):
the consumer's scope decides the fields and the masking (`scopes.authorise`), the query runs scoped to its
region and unit (`queries`), the rows are projected (`scopes.project`) and the access is logged
(`access.record`) — in its own write transaction once the read has succeeded.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

from liandong.core.clock import Clock
from liandong.core.errors import InvalidInput, NotFound
from liandong.orders.events import OrderEvent
from liandong.regions.codes import region_prefix
from liandong.regions.registry import CityRegistry
from liandong.orders.service import Orders
from liandong.share import access, batch, feed, inbound, queries
from liandong.share.ratelimit import RateLimiter
from liandong.share.scopes import DATASET_LABELS, FEEDS, Consumer, authorise, project

Sessions = Callable[[], AbstractContextManager[Session]]
MAX_FEED_PAGE = 5000


class Share:  # 数据共享
    def __init__(self, city: CityRegistry, cursor_key: bytes, *, read: Sessions, write: Sessions, clock: Clock,
                 orders: Orders) -> None:
        self.city, self.orders = city, orders
        self.cursor_key = cursor_key
        self.limiter = RateLimiter()
        self._read, self._write, self._clock = read, write, clock

    @staticmethod
    def on_order_event(session: Session, event: OrderEvent) -> None:
        feed.record(session, event)

    def query(self, consumer: Consumer, dataset: str, *, filters: queries.Filters, fields: list[str] | None = None,
              unmasked: list[str] | None = None, purpose: str | None = None, remote: str | None = None,
              interface: str = "api") -> dict:
        read = authorise(consumer, dataset, fields=fields, unmasked=unmasked, purpose=purpose)
        reader = queries.READERS.get(dataset)
        if reader is None:
            raise NotFound(f"数据集「{dataset}」（{DATASET_LABELS[dataset]}）在本平台尚未开放查询")
        queries.check_filters(filters, consumer)
        logged = {**filters.as_dict(), "fields": fields}
        with self._read() as session:
            rows = [project(read, r) for r in reader(session, consumer, filters, self.city.city.code)]
            here = self._log_in(session, consumer, interface, read, logged, len(rows), remote)
        if not here:
            self.log(consumer, interface, read, logged, len(rows), remote)
        return {"dataset": dataset, "masked": read.masked, "fields": list(read.fields), "rows": rows,
                "limit": filters.limit, "offset": filters.offset}

    def follow(self, consumer: Consumer, dataset: str, *, cursor: str | None, limit: int = 500,
               fields: list[str] | None = None, unmasked: list[str] | None = None, purpose: str | None = None,
               remote: str | None = None) -> dict:
        """One page of the change feed after `cursor`, and the cursor to continue from."""
        read = authorise(consumer, dataset, fields=fields, unmasked=unmasked, purpose=purpose)
        if dataset not in FEEDS:
            raise NotFound(f"数据集「{dataset}」没有变更流，可订阅：{'、'.join(FEEDS)}")
        if not 1 <= limit <= MAX_FEED_PAGE:
            raise InvalidInput(f"每页条数（limit）应为 1 到 {MAX_FEED_PAGE}")
        pos = feed.decode_cursor(self.cursor_key, consumer.id, dataset, cursor)
        include_unplaced = consumer.region == self.city.city.code
        scope = feed.scope_condition(region_prefix(consumer.region), include_unplaced, consumer.unit)
        logged = {"from": [pos.tx, pos.id], "limit": limit, "fields": fields}
        with self._read() as session:
            page = feed.read(session, pos, limit=limit, scope=scope)
            data = queries.feed_changes(session, page.rows, dataset)
            here = self._log_in(session, consumer, "feed", read, logged, len(page.rows), remote)
        if not here:
            self.log(consumer, "feed", read, logged, len(page.rows), remote)
        changes = [{"seq": r.seq, "action": r.action, "at": r.at.isoformat(), "data": project(read, d)}
                   for r, d in zip(page.rows, data)]
        nxt = feed.encode_cursor(self.cursor_key, consumer.id, dataset, page.next)
        return {"dataset": dataset, "masked": read.masked, "changes": changes, "cursor": nxt, "more": page.more}

    def export(self, consumer: Consumer, dataset: str, *, since, until, fmt: str, key: batch.Key,
               who: str | None = None) -> tuple[bytes, dict]:
        """A batch file of the dataset for the consumer (masked as the API would serve it) and its signed manifest."""
        read = authorise(consumer, dataset)
        reader = queries.READERS.get(dataset)
        if reader is None:
            raise NotFound(f"数据集「{dataset}」（{DATASET_LABELS[dataset]}）在本平台尚未开放导出")
        if fmt not in batch.FORMATS:
            raise InvalidInput(f"文件格式应为 {'、'.join(batch.FORMATS)} 之一")
        f = queries.Filters(since=since, until=until, limit=10**9)
        queries.check_filters(queries.Filters(since=since, until=until), consumer)
        with self._read() as session:
            rows = [project(read, r) for r in reader(session, consumer, f, self.city.city.code)]
        body = batch.render(rows, list(read.fields), fmt)
        manifest = batch.make_manifest(body=body, dataset=dataset, fmt=fmt, fields=list(read.fields), rows=len(rows),
                                       since=since, until=until, consumer=consumer.name, masked=read.masked, key=key,
                                       now=self._clock.now())
        self.log(consumer, "export", read, {**f.as_dict(), "limit": None, "format": fmt}, len(rows), None, who=who)
        return body, manifest

    def import_results(self, consumer: Consumer, verified: batch.Verified) -> list[inbound.Outcome]:
        """Apply a verified batch of handling results (dataset `results`), each row as `share.inbound` does."""
        if verified.manifest.get("dataset") != "results":
            raise InvalidInput(f"只能导入办理结果（results）文件，此文件是「{verified.manifest.get('dataset')}」")
        rows = batch.rows_of(verified)
        name = f"file:{verified.manifest['sha256'][:32]}"
        out = []
        for i, row in enumerate(rows, start=1):
            days = row.get("days")
            result = inbound.Result(ref=i, order_number=str(row.get("order_number") or ""), action=str(row.get("action") or ""),
                                    unit=str(row.get("unit") or ""), note=row.get("note") or None,
                                    reason=row.get("reason") or None,
                                    days=int(days) if str(days or "").isdigit() else None)
            out.append(inbound.apply(self._write, self.orders, self.city, consumer, name, result, self._clock.now()))
        return out

    def _log_in(self, session: Session, consumer, interface, read, filters, rows, remote) -> bool:
        """On PostgreSQL the log row goes into the read's own transaction, which commits with it (one round
        trip, no second transaction); SQLite has one writer at a time, so there it waits for `log`."""
        if session.get_bind().dialect.name != "postgresql":
            return False
        access.record(session, consumer=consumer, interface=interface, read=read, filters=filters, rows=rows,
                      remote=remote, now=self._clock.now(), async_commit=True)
        return True

    def log(self, consumer: Consumer | None, interface: str, read, filters: dict, rows: int, remote: str | None,
            who: str | None = None) -> None:
        with self._write() as session:
            access.record(session, consumer=consumer, who=who, interface=interface, read=read, filters=filters,
                          rows=rows, remote=remote, now=self._clock.now(),
                          async_commit=session.get_bind().dialect.name == "postgresql")
