"""Read side: the order list with filters and paging, scoped to the caller. Two queries a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, select
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
