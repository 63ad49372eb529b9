"""Reads of the shared datasets (共享数据查询), scoped to a consumer's region and unit, computed in SQL.

Each returns plain rows (dicts with every field of the dataset); `scopes.project` then keeps the fields
the consumer may see and masks the personal ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Date, case, cast, func, or_, select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.errors import InvalidInput
from liandong.orders.tables import OrderEventRow, OrderRow
from liandong.regions.codes import region_prefix
from liandong.share.feed import SNAPSHOT
from liandong.share.scopes import Consumer
from liandong.share.tables import FeedRow

MAX_LIMIT = 1000


@dataclass(frozen=True)
class Filters:  # 查询条件
    since: datetime | None = None
    until: datetime | None = None
    status: str | None = None
    region: str | None = None
    limit: int = 100
    offset: int = 0

    def as_dict(self) -> dict:
        return {"since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None, "status": self.status,
                "region": self.region, "limit": self.limit, "offset": self.offset}


def check_filters(f: Filters, consumer: Consumer) -> None:
    if not 1 <= f.limit <= MAX_LIMIT:
        raise InvalidInput(f"每页条数（limit）应为 1 到 {MAX_LIMIT}")
    if not 0 <= f.offset <= 10_000_000:
        raise InvalidInput("偏移量（offset）应为 0 到 10000000")
    if f.since and f.until and f.since >= f.until:
        raise InvalidInput("起始时间（since）应早于截止时间（until）")
    if f.region and not f.region.startswith(region_prefix(consumer.region)):
        raise InvalidInput(f"行政区划「{f.region}」不在接入方的授权辖区 {consumer.region} 内")
    if f.region:
        region_prefix(f.region)


def _iso(v):
    return v.isoformat() if isinstance(v, datetime) else v


def _region_cond(column, consumer: Consumer, city_code: str, wanted: str | None):
    prefix = region_prefix(wanted or consumer.region)
    cond = column.startswith(prefix)
    return or_(cond, column.is_(None)) if consumer.region == city_code and not wanted else cond


def orders(session: Session, consumer: Consumer, f: Filters, city_code: str, ids: list[int] | None = None) -> list[dict]:
    q = select(OrderRow, AppealRow.caller_name, AppealRow.caller_phone, AppealRow.address) \
        .join(AppealRow, AppealRow.id == OrderRow.appeal_id) \
        .where(_region_cond(OrderRow.region, consumer, city_code, f.region))
    if consumer.unit:
        q = q.where(OrderRow.unit == consumer.unit)
    if ids is not None:
        q = q.where(OrderRow.id.in_(ids))
    if f.status:
        q = q.where(OrderRow.status == f.status)
    if f.since:
        q = q.where(OrderRow.updated_at >= f.since)
    if f.until:
        q = q.where(OrderRow.updated_at < f.until)
    out = []
    for order, name, phone, address in session.execute(q.order_by(OrderRow.id).offset(f.offset).limit(f.limit)):
        row = {k: _iso(getattr(order, k)) for k in SNAPSHOT}
        out.append({**row, "caller_name": name, "caller_phone": phone, "address": address})
    return out


def appeals(session: Session, consumer: Consumer, f: Filters, city_code: str) -> list[dict]:
    q = select(AppealRow).where(_region_cond(AppealRow.region, consumer, city_code, f.region))
    if consumer.unit:  # a department: the appeals behind its orders only
        q = q.where(AppealRow.id.in_(select(OrderRow.appeal_id).where(OrderRow.unit == consumer.unit)))
    if f.since:
        q = q.where(AppealRow.received_at >= f.since)
    if f.until:
        q = q.where(AppealRow.received_at < f.until)
    return [{"id": a.id, "channel": a.channel, "received_at": _iso(a.received_at), "region": a.region, "text": a.text,
             "caller_name": a.caller_name, "caller_phone": a.caller_phone, "address": a.address}
            for a in session.scalars(q.order_by(AppealRow.received_at, AppealRow.id).offset(f.offset).limit(f.limit))]


def events(session: Session, consumer: Consumer, f: Filters, city_code: str, ids: list[int] | None = None) -> list[dict]:
    q = select(OrderEventRow, OrderRow.number, OrderRow.region, OrderRow.unit).join(OrderRow, OrderRow.id == OrderEventRow.order_id) \
        .where(_region_cond(OrderRow.region, consumer, city_code, f.region))
    if consumer.unit:
        q = q.where(OrderRow.unit == consumer.unit)
    if ids is not None:
        q = q.where(OrderEventRow.order_id.in_(ids))
    if f.since:
        q = q.where(OrderEventRow.at >= f.since)
    if f.until:
        q = q.where(OrderEventRow.at < f.until)
    return [{"order_number": number, "seq": e.seq, "action": e.action, "from_status": e.from_status,
             "to_status": e.to_status, "at": _iso(e.at), "unit": unit, "role": e.role, "region": region}
            for e, number, region, unit in session.execute(q.order_by(OrderEventRow.id).offset(f.offset).limit(f.limit))]


def day_of(session: Session, column):
    """The Beijing calendar day of a timestamp, in SQL (SQLite stores Beijing time without zone)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("Asia/Shanghai", column), Date)
    return func.date(column)


def stats(session: Session, consumer: Consumer, f: Filters, city_code: str) -> list[dict]:
    """Orders opened per day, region, platform and category, and how many of them are closed."""
    day = day_of(session, OrderRow.created_at).label("day")
    closed = func.sum(case((OrderRow.closed_at.is_not(None), 1), else_=0))
    q = select(day, OrderRow.region, OrderRow.platform, OrderRow.category_code, OrderRow.category_name,
               func.count().label("opened"), closed.label("closed")) \
        .where(_region_cond(OrderRow.region, consumer, city_code, f.region))
    if consumer.unit:
        q = q.where(OrderRow.unit == consumer.unit)
    if f.since:
        q = q.where(OrderRow.created_at >= f.since)
    if f.until:
        q = q.where(OrderRow.created_at < f.until)
    q = q.group_by(day, OrderRow.region, OrderRow.platform, OrderRow.category_code, OrderRow.category_name) \
        .order_by(day, OrderRow.region, OrderRow.platform, OrderRow.category_code)
    return [{"day": str(r.day), "region": r.region, "platform": r.platform, "category_code": r.category_code,
             "category_name": r.category_name, "opened": int(r.opened), "closed": int(r.closed or 0)}
            for r in session.execute(q.offset(f.offset).limit(f.limit))]


READERS = {"orders": orders, "appeals": appeals, "events": events, "stats": stats}


def feed_changes(session: Session, rows: list[FeedRow], dataset: str) -> list[dict]:
    """Feed rows as dataset rows: an order's snapshot with its caller's fields, or the event itself."""
    if dataset == "events":
        return [{"order_number": r.order_number, "seq": r.seq, "action": r.action, "from_status": r.from_status,
                 "to_status": r.to_status, "at": _iso(r.at), "unit": r.unit, "role": r.role, "region": r.region}
                for r in rows]
    ids = {r.appeal_id for r in rows}
    callers = {a.id: a for a in session.execute(
        select(AppealRow.id, AppealRow.caller_name, AppealRow.caller_phone, AppealRow.address)
        .where(AppealRow.id.in_(ids)))} if ids else {}
    out = []
    for r in rows:
        a = callers.get(r.appeal_id)
        out.append({**r.snapshot, "caller_name": a.caller_name if a else None,
                    "caller_phone": a.caller_phone if a else None, "address": a.address if a else None})
    return out
