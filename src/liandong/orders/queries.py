"""Read side: the order list with filters and paging, scoped to the caller. Two queries a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor
from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.core.types import Platform
from liandong.orders.scope import scope_filter
from liandong.orders.states import Status
from liandong.orders.tables import OrderRow
from liandong.regions.codes import check_region_code, region_prefix


@dataclass(frozen=True)
class OrderFilter:
    status: str | None = None
    platform: str | None = None
    unit: str | None = None
    region: str | None = None
    category: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    warning: str | None = None
    page: int = 1
    page_size: int = 20


def list_orders(session: Session, actor: Actor, platform: str, f: OrderFilter) -> tuple[list[tuple[OrderRow, AppealRow]], int]:
    conds = [scope_filter(actor, platform)]
    if f.status:
        try:
            conds.append(OrderRow.status == Status(f.status).value)
        except ValueError:
            raise InvalidInput(f"状态「{f.status}」无效，可选：{'、'.join(s.value for s in Status)}") from None
    if f.platform:
        if f.platform not in (Platform.GOV, Platform.POLICE):
            raise InvalidInput("平台应为 12345 或 110")
        conds.append(OrderRow.platform == f.platform)
    if f.unit:
        conds.append(OrderRow.unit == f.unit)
    if f.region:
        check_region_code(f.region)
        conds.append(OrderRow.region.startswith(region_prefix(f.region)))
    if f.category:
        conds.append((OrderRow.category_code == f.category) | (OrderRow.category_name == f.category))
    if f.warning:
        conds.append(OrderRow.warning == f.warning)
    if f.date_from:
        conds.append(OrderRow.created_at >= datetime.combine(f.date_from, time.min, CST))
    if f.date_to:
        conds.append(OrderRow.created_at < datetime.combine(f.date_to + timedelta(days=1), time.min, CST))
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise InvalidInput("起始日期不能晚于结束日期")
    where = and_(*conds)
    total = session.scalar(select(func.count()).select_from(OrderRow).where(where)) or 0
    rows = session.execute(
        select(OrderRow, AppealRow).join(AppealRow, AppealRow.id == OrderRow.appeal_id).where(where)
        .order_by(OrderRow.created_at.desc(), OrderRow.id.desc())
        .limit(f.page_size).offset((f.page - 1) * f.page_size)
    ).all()
    return [(o, a) for o, a in rows], total


INBOX_STATUSES = (Status.DISPATCHED, Status.SIGNED, Status.HANDLING, Status.ON_SCENE, Status.RETURN_PENDING,
                  Status.EXTENSION_PENDING)  # the unit still holds the order: 承办单位待办


def _open_due(due, done):
    return case((and_(done.is_(None), due.is_not(None)), due), else_=None)


def next_due_column():
    """The nearest deadline of the order still open (签收 until signed, 答复 until replied, 办结 until
    closed), as SQL; NULL when none is."""
    s = _open_due(OrderRow.sign_due, OrderRow.signed_at)
    r = _open_due(OrderRow.reply_due, OrderRow.replied_at)
    c = _open_due(OrderRow.close_due, OrderRow.closed_at)
    return case(
        (and_(s.is_not(None), (r.is_(None)) | (s <= r), (c.is_(None)) | (s <= c)), s),
        (and_(r.is_not(None), (c.is_(None)) | (r <= c)), r),
        else_=c,
    )


def inbox(session: Session, actor: Actor, platform: str, *, limit: int = 200) -> list[tuple[OrderRow, AppealRow]]:
    """A unit's open orders in scope, the least time left first (no deadline last)."""
    due = next_due_column()
    where = and_(scope_filter(actor, platform), OrderRow.status.in_([s.value for s in INBOX_STATUSES]))
    rows = session.execute(
        select(OrderRow, AppealRow).join(AppealRow, AppealRow.id == OrderRow.appeal_id).where(where)
        .order_by(due.is_(None), due, OrderRow.id).limit(limit)
    ).all()
    return [(o, a) for o, a in rows]


def next_due(order: OrderRow) -> tuple[str, datetime] | None:
    """The same rule as `next_due_column`, on a loaded row: (时限 label, due) of the nearest open deadline."""
    open_ = [(label, due) for label, due, done in (("签收", order.sign_due, order.signed_at),
                                                   ("答复", order.reply_due, order.replied_at),
                                                   ("办结", order.close_due, order.closed_at))
             if due is not None and done is None]
    return min(open_, key=lambda pair: pair[1]) if open_ else None
