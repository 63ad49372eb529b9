"""The access log (数据访问留痕): who read which dataset, with which filters, how many rows, masked or
not (and why not), when and from where. Append-only: the database refuses UPDATE and DELETE on it.

On PostgreSQL a log row is committed with `synchronous_commit = off` (for that transaction only): the
commit returns before its WAL is flushed, which the WAL writer does within `wal_writer_delay` × 3
(≤ 0.6 s by default). A crash of the database server may lose the entries of that last fraction of a
second — never corrupt or reorder the log, and never touch the durability of any order or audit event.
Measured, a durable commit per read more than doubled a 100-row read on a loaded 2-core machine (see
docs/performance.md); this keeps the log within 10 % of a read."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.orm import Session

from liandong.core.errors import InvalidInput
from liandong.share.scopes import Consumer, Read
from liandong.share.tables import AccessLogRow

_INSERT = insert(AccessLogRow.__table__)
_FIELDS = ("at", "consumer_id", "consumer", "interface", "dataset", "filters", "rows", "masked", "unmasked",
           "purpose", "remote")
_INSERT_ASYNC = text(  # PostgreSQL: the insert and `SET LOCAL synchronous_commit = off` in one statement
    f"INSERT INTO share_access_log ({', '.join(_FIELDS)}) SELECT "
    + ", ".join(f"CAST(:{f} AS json)" if f in ("filters", "unmasked") else f":{f}" for f in _FIELDS)
    + " WHERE set_config('synchronous_commit', 'off', true) IS NOT NULL"
).bindparams(*(bindparam(f, type_=AccessLogRow.__table__.c[f].type) for f in ("at", "filters", "unmasked")))
COLUMNS = ("id", "at", "consumer", "interface", "dataset", "filters", "rows", "masked", "unmasked", "purpose", "remote")
MAX_PAGE = 100_000


def record(session: Session, *, consumer: Consumer | None, who: str | None = None, interface: str, read: Read,
           filters: dict, rows: int, remote: str | None, now: datetime, async_commit: bool = False) -> None:
    """Append one entry. `async_commit` (PostgreSQL only) turns `synchronous_commit` off for this transaction
    in the same statement as the insert — one round trip, not two (see the module's docstring)."""
    values = dict(
        at=now, consumer_id=consumer.id if consumer else None, consumer=consumer.name if consumer else (who or "?"),
        interface=interface, dataset=read.dataset, filters={k: v for k, v in filters.items() if v not in (None, "")},
        rows=rows, masked=read.masked, unmasked=sorted(read.unmasked), purpose=read.purpose,
        remote=(remote or "")[:64] or None)
    if not async_commit:
        session.execute(_INSERT.values(**values))
        return
    session.execute(_INSERT_ASYNC, values)


def search(session: Session, *, consumer: str | None = None, dataset: str | None = None, since: datetime | None = None,
           until: datetime | None = None, unmasked_only: bool = False, limit: int = 100,
           offset: int = 0) -> list[AccessLogRow]:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"每页条数应为 1 到 {MAX_PAGE}")
    if offset < 0:
        raise InvalidInput("偏移量不能为负数")
    q = select(AccessLogRow)
    if consumer:
        q = q.where(AccessLogRow.consumer == consumer)
    if dataset:
        q = q.where(AccessLogRow.dataset == dataset)
    if since:
        q = q.where(AccessLogRow.at >= since)
    if until:
        q = q.where(AccessLogRow.at < until)
    if unmasked_only:
        q = q.where(AccessLogRow.masked.is_(False))
    return list(session.scalars(q.order_by(AccessLogRow.id.desc()).offset(offset).limit(limit)))


def as_dict(row: AccessLogRow) -> dict:
    return {"id": row.id, "at": row.at.isoformat(), "consumer": row.consumer, "interface": row.interface,
            "dataset": row.dataset, "filters": row.filters, "rows": row.rows, "masked": row.masked,
            "unmasked": row.unmasked, "purpose": row.purpose, "remote": row.remote}


def export(rows: list[AccessLogRow], fmt: str) -> str:
    """The log as CSV (UTF-8 with BOM, opens in Excel) or JSON Lines."""
    if fmt == "jsonl":
        return "".join(json.dumps(as_dict(r), ensure_ascii=False) + "\n" for r in rows)
    if fmt != "csv":
        raise InvalidInput("导出格式应为 csv 或 jsonl")
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(COLUMNS)
    for r in rows:
        d = as_dict(r)
        w.writerow([json.dumps(d[c], ensure_ascii=False) if c in ("filters", "unmasked") else d[c] for c in COLUMNS])
    return "\ufeff" + out.getvalue()
