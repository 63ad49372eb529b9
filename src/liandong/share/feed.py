"""The change feed (变更流): every accepted change of an order, once, in commit order, with an opaque cursor.

A feed row is written by `record` in the transaction that made the change (it listens to `OrderOpened` /
`OrderChanged`), so a change and its feed row commit or vanish together.

The trap is order: ids and timestamps are assigned when a row is written, not when its transaction
commits, so a reader that serves "everything above the last id" skips a row whose transaction took an
id early and committed late. On PostgreSQL each row carries a sort key `tx`: its writer's transaction id
(xid8), raised if need be to the key of the order's previous feed row (which has committed: the writer
holds the order's row lock). A reader serves only rows with `tx` below `pg_snapshot_xmin(
pg_current_snapshot())`, the oldest transaction still running: a row's writer has an id ≤ its key, so
every served row's transaction has ended, and every row still to come belongs to a transaction at or
above the horizon, whose key is too — nothing can later appear behind the cursor. Rows are served in
(tx, id) order, which per order is the order of its changes. On SQLite one writer holds the database
from its first write to its commit, so ids are assigned in commit order and the horizon is the newest id.

Within one order, changes follow each other by the audit trail's `seq`, which every change carries.
The cursor is (tx, id) of the last row served, bound to the consumer and dataset and signed with HMAC:
a cursor that was altered, or that belongs to another consumer or dataset, is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, text, tuple_
from sqlalchemy.orm import Session

from liandong.core.errors import InvalidInput
from liandong.orders.events import OrderChanged, OrderEvent, OrderOpened
from liandong.orders.service import opened_order
from liandong.orders.tables import OrderRow
from liandong.share.tables import FeedRow
from liandong.storage.ids import next_id
from liandong.storage.staged import stage

END = 2**62  # an id beyond every row: (tx, END) means "all of transaction tx"
SNAPSHOT = ("number", "platform", "status", "title", "category_code", "category_name", "kind", "level", "unit",
            "region", "warning", "satisfied", "created_at", "updated_at", "dispatched_at", "replied_at",
            "closed_at", "reply_due", "close_due")
_HORIZON_PG = text("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


def _json(value):
    return value.isoformat() if isinstance(value, datetime) else value


def snapshot(order: OrderRow) -> dict:
    return {f: _json(getattr(order, f)) for f in SNAPSHOT}


def record(session: Session, event: OrderEvent) -> None:
    """The feed row of one change, in the change's own transaction."""
    order = event.order
    if isinstance(event, OrderOpened):
        action, from_status, to_status = "receive", None, order.status
    elif isinstance(event, OrderChanged):
        action, from_status, to_status = event.action.value, event.from_status.value, event.to_status.value
    else:
        return
    position = _position(session, order.number)
    values = dict(order_number=order.number, seq=order.last_event_seq or 1, action=action, from_status=from_status,
                  to_status=to_status, platform=order.platform, unit=order.unit, region=order.region,
                  role=event.actor.role.value, at=event.now, snapshot=snapshot(order), appeal_id=order.appeal_id)
    if "id" in position:  # plain values: staged, no ORM object (storage.staged)
        stage(session, FeedRow.__table__, {**position, **values})
    else:  # the sort key is an SQL expression
        session.add(FeedRow(**position, **values))


def _position(session: Session, number: str) -> dict:
    """The row's id and sort key. Added with `session.add` (not `session.execute`, which would flush the
    transaction's pending rows), so a batch of appeals is written at its commit in a few multi-row INSERTs.

    An id handed out beforehand lets rows go in one INSERT; on SQLite it is counted under the write lock,
    so ids stay in commit order. On PostgreSQL, an order opened in this transaction has no earlier feed
    row: the column's default (this transaction's id) is its key, and ids from the process's block are
    fine, as no other transaction can tie with it. A change of an older order gets its key raised to the
    order's previous one and its id from the sequence at INSERT, after the order's row lock is held: if
    the key ties with the previous row's, the id is the later one (a block fetched earlier could hold a
    lower id than the previous row's)."""
    if session.get_bind().dialect.name != "postgresql" or opened_order(session, number) is not None:
        return {"id": next_id(session, FeedRow.__table__)}
    return {"tx": _sort_key(number)}


def _sort_key(number: str):
    prev = select(func.coalesce(func.max(FeedRow.tx), 0)).where(FeedRow.order_number == number).scalar_subquery()
    return func.greatest(text("pg_current_xact_id()::text::bigint"), prev)


@dataclass(frozen=True)
class Position:  # where a consumer is in the feed
    tx: int = 0
    id: int = 0


def encode_cursor(key: bytes, consumer_id: int, dataset: str, pos: Position) -> str:
    body = json.dumps([consumer_id, dataset, pos.tx, pos.id], separators=(",", ":")).encode()
    sig = hmac.new(key, body, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(body + b"." + sig).decode().rstrip("=")


def decode_cursor(key: bytes, consumer_id: int, dataset: str, cursor: str | None) -> Position:
    """The position a cursor names; no cursor: the start. Refuses a cursor altered or not this consumer's."""
    if not cursor:
        return Position()
    bad = InvalidInput("游标（cursor）无效或已被篡改：请使用上次响应返回的 cursor 原样续读，或不带 cursor 从头读取")
    if len(cursor) > 200:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (ValueError, TypeError):
        raise bad from None
    body, sep, sig = raw[:-17], raw[-17:-16], raw[-16:]
    if sep != b"." or not hmac.compare_digest(hmac.new(key, body, hashlib.sha256).digest()[:16], sig):
        raise bad
    owner, set_, tx, id_ = json.loads(body)
    if owner != consumer_id or set_ != dataset:
        raise InvalidInput("游标（cursor）不属于本接入方或本数据集")
    return Position(int(tx), int(id_))


@dataclass(frozen=True)
class Page:
    rows: list  # rows of share_feed (attribute access as FeedRow)
    next: Position
    more: bool


def horizon(session: Session) -> Position:
    """The position below which every change has committed (or never will)."""
    if session.get_bind().dialect.name == "postgresql":
        return Position(session.scalar(select(_HORIZON_PG)) - 1, END)
    return Position(0, session.scalar(select(func.max(FeedRow.id))) or 0)


def read(session: Session, after: Position, *, limit: int, scope) -> Page:
    """Up to `limit` rows after `after` that match `scope` (a SQL condition), below the commit horizon.

    The horizon is read first, in a statement of its own: every transaction below it had ended before
    that statement, so the next statement sees all of their rows."""
    top = horizon(session)
    if session.get_bind().dialect.name == "postgresql":
        cond = and_(tuple_(FeedRow.tx, FeedRow.id) > tuple_(after.tx, after.id), FeedRow.tx <= top.tx)
    else:
        cond = and_(FeedRow.id > after.id, FeedRow.id <= top.id)
    table = FeedRow.__table__  # plain rows, not ORM objects: the feed's read path is its hot path
    rows = list(session.execute(select(table).where(cond, scope).order_by(table.c.tx, table.c.id).limit(limit + 1)))
    if len(rows) > limit:
        last = rows[limit - 1]
        return Page(rows[:limit], Position(last.tx, last.id), True)
    return Page(rows, max(top, after, key=lambda p: (p.tx, p.id)), False)


def scope_condition(region_prefix: str | None, include_unplaced: bool, unit: str | None):
    """Which feed rows a consumer may see: inside its region (and the unplaced ones if it covers the city);
    a department only its unit's."""
    cond = or_(FeedRow.region.startswith(region_prefix), FeedRow.region.is_(None)) if include_unplaced \
        else FeedRow.region.startswith(region_prefix or "")
    return and_(cond, FeedRow.unit == unit) if unit else cond
