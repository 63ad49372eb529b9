"""Read side: the order list with filters and paging, scoped to the caller (two queries a page), and the
operations centre's counts (城运中心大屏): grouped in SQL, never by looping over rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, and_, case, func, or_, select
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
    number: str | None = None  # 工单编号, exact
    caller_key: str | None = None  # the stored keyed hash of the caller's phone (`core.masking.caller_key`), exact
    text: str | None = None  # words in the appeal text (LIKE, wildcards escaped)
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
    if f.number:
        conds.append(OrderRow.number == f.number.strip())
    if f.caller_key:
        conds.append(AppealRow.caller_key == f.caller_key)
    if f.text and f.text.strip():
        conds.append(AppealRow.text.like(f"%{escape_like(f.text.strip())}%", escape="\\"))
    where = and_(*conds)
    counted = select(func.count()).select_from(OrderRow)
    if f.caller_key or f.text:
        counted = counted.join(AppealRow, AppealRow.id == OrderRow.appeal_id)
    total = session.scalar(counted.where(where)) or 0
    rows = session.execute(
        select(OrderRow, AppealRow).join(AppealRow, AppealRow.id == OrderRow.appeal_id).where(where)
        .order_by(OrderRow.created_at.desc(), OrderRow.id.desc())
        .limit(f.page_size).offset((f.page - 1) * f.page_size)
    ).all()
    return [(o, a) for o, a in rows], total


def desk_transfers(session: Session, actor: Actor, platform: str, *, incoming: bool,
                   limit: int = 50) -> list[tuple[OrderRow, AppealRow]]:
    """A desk's transfers (转办), scoped: `incoming` — orders opened here from a peer's transfer (转入);
    otherwise orders this desk handed to a peer (转出), whose status is the peer's feedback (the shadow)."""
    if incoming:
        cond = OrderRow.by_transfer.is_(True)
    else:
        cond = and_(OrderRow.by_transfer.is_(False), OrderRow.peer_platform.is_not(None))
    where = and_(scope_filter(actor, platform), OrderRow.platform == platform, cond)
    rows = session.execute(select(OrderRow, AppealRow).join(AppealRow, AppealRow.id == OrderRow.appeal_id).where(where)
                           .order_by(OrderRow.updated_at.desc(), OrderRow.id.desc()).limit(limit)).all()
    return [(o, a) for o, a in rows]


def change_key(session: Session, actor: Actor, platform: str) -> str:
    """A live page's cheap "anything new?" key over the orders a reader sees: the newest `updated_at`,
    the count and the sum of the audit sequence numbers (which grows with every step, even when two
    steps share a timestamp)."""
    newest, count, steps = session.execute(
        select(func.max(OrderRow.updated_at), func.count(), func.coalesce(func.sum(OrderRow.last_event_seq), 0))
        .select_from(OrderRow).where(scope_filter(actor, platform))).one()
    return f"{newest.isoformat() if newest else '-'}|{count}|{steps}"


def status_counts(session: Session, actor: Actor, platform: str) -> dict[str, int]:
    """How many of a desk's orders (inside the reader's scope) stand in each status."""
    where = and_(scope_filter(actor, platform), OrderRow.platform == platform)
    rows = session.execute(select(OrderRow.status, func.count()).where(where).group_by(OrderRow.status)).all()
    return {status: n for status, n in rows}


def escape_like(text: str) -> str:
    """The text as a literal inside a LIKE pattern (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


Grouping = Literal["platform", "status", "level"]
_FINISHED = (Status.CLOSED.value, Status.VISITED.value, Status.EVALUATED.value, Status.CANCELLED.value,
             Status.MERGED.value)  # no longer 在办
_GROUPS = {"platform": OrderRow.platform, "status": OrderRow.status, "level": OrderRow.level}
STREET_DIGITS = 9  # 街道/乡镇: the first nine digits of a GB/T 2260 extended region code


def counts_by(session: Session, actor: Actor, platform: str, grouping: Grouping, *,
              open_only: bool = False) -> dict[str, int]:
    """Orders in scope counted per platform, status or level (one GROUP BY)."""
    column = _GROUPS[grouping]
    conds = [scope_filter(actor, platform)]
    if open_only:
        conds.append(OrderRow.status.not_in(_FINISHED))
    rows = session.execute(select(column, func.count()).where(and_(*conds)).group_by(column)).all()
    return {key: n for key, n in rows}


def busiest_streets(session: Session, actor: Actor, platform: str, since: datetime,
                    limit: int = 10) -> list[tuple[str, int]]:
    """The streets (9-digit prefix of the order's region) with the most orders since `since`, busiest first."""
    street = func.substr(OrderRow.region, 1, STREET_DIGITS)
    n = func.count()
    where = and_(scope_filter(actor, platform), OrderRow.created_at >= since,
                 func.length(OrderRow.region) >= STREET_DIGITS)
    rows = session.execute(select(street, n).where(where).group_by(street).order_by(n.desc(), street)
                           .limit(limit)).all()
    return [(code, count) for code, count in rows]


def _emergency() -> ColumnElement[bool]:  # 紧急: a police order, or any level above 一般
    return or_(OrderRow.platform == Platform.POLICE, OrderRow.level != "一般")


def _joint() -> ColumnElement[bool]:  # 联动: the same appeal has an order on the other platform
    return OrderRow.linked_order.is_not(None)


def latest(session: Session, actor: Actor, platform: str, which: str, limit: int = 8) -> list[OrderRow]:
    """The newest emergencies (`which="emergency"`) or joint orders (`"joint"`) in scope."""
    cond = {"emergency": _emergency, "joint": _joint}[which]()
    return list(session.scalars(select(OrderRow).where(and_(scope_filter(actor, platform), cond))
                                .order_by(OrderRow.created_at.desc(), OrderRow.id.desc()).limit(limit)))


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
