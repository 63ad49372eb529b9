"""Keeping an intermediate database (中间库) up to date: `liandong share sync --target … --consumer …`.

The target belongs to one consumer (a department): its tables hold what that consumer may read, masked
as the API would serve it (`scopes.project`). The first sync copies every order and event, having noted
the feed's horizon first; each later sync follows the change feed from the watermark, page by page —
each page's rows and the new watermark in one target transaction, so a sync that dies resumes where the
last committed page ended. Orders are rewritten from their current state, events inserted, replays
idempotent; an order is rewritten with all its events as the consumer sees them now. Statistics are replaced whole. Pending rows of `ld_inbound` are applied (`share.inbound`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, insert, inspect, select, true, update
from sqlalchemy.orm import Session

from liandong.core.clock import Clock
from liandong.orders.service import Orders
from liandong.orders.tables import OrderRow
from liandong.regions.registry import CityRegistry
from liandong.share import feed, inbound, queries, target
from liandong.share.scopes import Consumer, Read, authorise, project

PAGE = 1000
FULL = 10**9  # "every row" for the full copy's queries


@dataclass
class SyncReport:  # 同步结果
    full: bool = False
    orders: int = 0
    events: int = 0
    stats: int = 0
    applied: list[inbound.Outcome] = field(default_factory=list)
    refused: list[inbound.Outcome] = field(default_factory=list)


def ensure_schema(engine: Engine) -> None:
    target.metadata.create_all(engine)


def _row(read: Read, columns, data: dict) -> dict:
    seen = project(read, data)
    return {c: _text(seen.get(c)) for c in columns}


def _text(v):
    return None if v is None else str(v).lower() if isinstance(v, bool) else v


class Sync:
    def __init__(self, *, read, write, orders: Orders, city: CityRegistry, clock: Clock, consumer: Consumer,
                 engine: Engine, name: str) -> None:
        self._read, self._write, self._orders, self._city, self._clock = read, write, orders, city, clock
        self.consumer, self.engine, self.name = consumer, engine, name
        self.orders_read = authorise(consumer, "orders") if "orders" in consumer.datasets else None
        self.events_read = authorise(consumer, "events") if "events" in consumer.datasets else None
        self.stats_read = authorise(consumer, "stats") if "stats" in consumer.datasets else None

    def run(self, *, full: bool = False) -> SyncReport:
        ensure_schema(self.engine)
        report = SyncReport()
        with Session(self.engine) as t, t.begin():
            mark = t.execute(select(target.watermark).where(target.watermark.c.name == "feed")).first()
        if mark is None or full:
            report.full = True
            self._copy_all(report)
        else:
            self._follow(feed.Position(mark.tx, mark.pos), report)
        if self.stats_read is not None:
            self._stats(report)
        self._inbound(report)
        return report

    def _copy_all(self, report: SyncReport) -> None:
        with self._read() as s:  # the horizon first: whatever commits after it is replayed from the feed
            start = feed.horizon(s)
        f = queries.Filters(limit=FULL)
        code = self._city.city.code
        with self._read() as s:
            orders = queries.orders(s, self.consumer, f, code) if self.orders_read else []
            events = queries.events(s, self.consumer, f, code) if self.events_read else []
        with Session(self.engine) as t, t.begin():
            t.execute(delete(target.orders))
            t.execute(delete(target.events))
            if orders:
                t.execute(insert(target.orders), [_row(self.orders_read, target.ORDER_COLUMNS, o) for o in orders])
            if events:
                t.execute(insert(target.events), [_row(self.events_read, target.EVENT_COLUMNS, e) for e in events])
            self._mark(t, start, len(orders) + len(events))
        report.orders, report.events = len(orders), len(events)
        self._follow(start, report)

    def _follow(self, pos: feed.Position, report: SyncReport) -> None:
        """Every order touched by a change since `pos` is rewritten from its current state as the consumer may
        see it (so an order that left its unit or region leaves the target too), with its events."""
        code = self._city.city.code
        while True:
            with self._read() as s:
                page = feed.read(s, pos, limit=PAGE, scope=true())
                numbers = sorted({r.order_number for r in page.rows})
                ids = list(s.scalars(select(OrderRow.id).where(OrderRow.number.in_(numbers)))) if numbers else []
                f = queries.Filters(limit=FULL)
                current = queries.orders(s, self.consumer, f, code, ids=ids) if self.orders_read and ids else []
                steps = queries.events(s, self.consumer, f, code, ids=ids) if self.events_read and ids else []
            with Session(self.engine) as t, t.begin():
                if numbers:
                    t.execute(delete(target.orders).where(target.orders.c.number.in_(numbers)))
                    t.execute(delete(target.events).where(target.events.c.order_number.in_(numbers)))
                if current:
                    t.execute(insert(target.orders), [_row(self.orders_read, target.ORDER_COLUMNS, o) for o in current])
                if steps:
                    t.execute(insert(target.events), [_row(self.events_read, target.EVENT_COLUMNS, e) for e in steps])
                self._mark(t, page.next, len(page.rows))
            report.orders += len(current)
            report.events += len(steps)
            pos = page.next
            if not page.more:
                return

    def _mark(self, t: Session, pos: feed.Position, rows: int) -> None:
        now = self._clock.now()
        done = t.execute(update(target.watermark).where(target.watermark.c.name == "feed")
                         .values(tx=pos.tx, pos=pos.id, synced_at=now, rows=target.watermark.c.rows + rows))
        if done.rowcount == 0:
            t.execute(insert(target.watermark).values(name="feed", tx=pos.tx, pos=pos.id, synced_at=now, rows=rows))

    def _stats(self, report: SyncReport) -> None:
        with self._read() as s:
            rows = queries.stats(s, self.consumer, queries.Filters(limit=FULL), self._city.city.code)
        with Session(self.engine) as t, t.begin():
            t.execute(delete(target.stats))
            if rows:
                t.execute(insert(target.stats), [_row(self.stats_read, target.STAT_COLUMNS, r) for r in rows])
        report.stats = len(rows)

    def _inbound(self, report: SyncReport) -> None:
        with Session(self.engine) as t, t.begin():
            pending = t.execute(select(target.inbound).where(target.inbound.c.status == "pending")
                                .order_by(target.inbound.c.id)).all()
        for row in pending:
            result = inbound.Result(ref=row.id, order_number=row.order_number or "", action=row.action or "",
                                    unit=row.unit or "", note=row.note, reason=row.reason, days=row.days)
            outcome = inbound.apply(self._write, self._orders, self._city, self.consumer, self.name, result,
                                    self._clock.now())
            with Session(self.engine) as t, t.begin():
                t.execute(update(target.inbound).where(target.inbound.c.id == row.id).values(
                    status="applied" if outcome.applied else "refused", outcome=outcome.message,
                    processed_at=self._clock.now()))
            (report.applied if outcome.applied else report.refused).append(outcome)


def target_name(url: str) -> str:
    """A name for the target in `share_inbound_done`: its address without credentials."""
    return url.split("@")[-1][:64]


def state(engine: Engine) -> dict | None:
    if not inspect(engine).has_table("ld_watermark"):
        return None
    with Session(engine) as t:
        mark = t.execute(select(target.watermark)).first()
    return dict(mark._mapping) if mark else None

