"""Supervisors' lists (督办清单): which orders each kind of attention means, as SQL over named columns."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, and_, func, not_, select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor
from liandong.orders.scope import scope_filter
from liandong.orders.states import Status
from liandong.orders.tables import OrderRow, RepeatCall

Kind = Literal["warning", "overdue", "chased", "supervised", "bounce", "repeat", "repeat_unresolved", "mass", "harass",
               "review", "return_pending", "extension_pending"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]


def kind_filter(kind: str) -> ColumnElement[bool]:
    return {
        "warning": OrderRow.warning == "yellow",  # 黄灯
        "overdue": OrderRow.warning == "red",  # 红灯
        "chased": OrderRow.urge_count > 0,  # 已催办
        "supervised": OrderRow.supervised.is_(True),  # 已督办
        "bounce": OrderRow.bounce.is_(True),  # 推诿
        "repeat": OrderRow.repeat_call.is_not(None),  # 重复来电
        "repeat_unresolved": OrderRow.repeat_call == RepeatCall.UNRESOLVED.value,  # 重复来电未解决
        "mass": OrderRow.mass.is_(True),  # 群诉成员
        "harass": OrderRow.harass.is_(True),  # 疑似骚扰
        "review": and_(OrderRow.review.is_(True), OrderRow.status == Status.RECEIVED.value),  # 待人工复核
        "return_pending": OrderRow.status == Status.RETURN_PENDING.value,  # 退单待审核
        "extension_pending": OrderRow.status == Status.EXTENSION_PENDING.value,  # 延期待审批
    }[kind]


def list_kind(session: Session, actor: Actor, platform: str, kind: str, *, page: int,
              page_size: int) -> tuple[list[tuple[OrderRow, AppealRow]], int]:
    where = and_(scope_filter(actor, platform), kind_filter(kind))
    total = session.scalar(select(func.count()).select_from(OrderRow).where(where)) or 0
    rows = session.execute(select(OrderRow, AppealRow).join(AppealRow, AppealRow.id == OrderRow.appeal_id).where(where)
                           .order_by(OrderRow.created_at.desc()).limit(page_size).offset((page - 1) * page_size)).all()
    return [(o, a) for o, a in rows], total


def received_queue(session: Session, actor: Actor, platform: str, *, review: bool, page: int = 1,
                   page_size: int = 50) -> tuple[list[tuple[OrderRow, AppealRow]], int]:
    """The dispatch queue (派单队列), oldest first: the received orders waiting for a person's review (熔断,
    `review=True`), or the other received orders in scope."""
    kind = kind_filter("review")
    where = and_(scope_filter(actor, platform), OrderRow.status == Status.RECEIVED.value, kind if review else not_(kind))
    total = session.scalar(select(func.count()).select_from(OrderRow).where(where)) or 0
    rows = session.execute(select(OrderRow, AppealRow).join(AppealRow, AppealRow.id == OrderRow.appeal_id).where(where)
                           .order_by(OrderRow.created_at, OrderRow.id).limit(page_size).offset((page - 1) * page_size)).all()
    return [(o, a) for o, a in rows], total


def overview(session: Session, actor: Actor, platform: str) -> dict[str, int]:
    scope = scope_filter(actor, platform)
    return {kind: session.scalar(select(func.count()).select_from(OrderRow).where(and_(scope, kind_filter(kind)))) or 0
            for kind in KINDS}


def related_of(session: Session, order: OrderRow, appeal: AppealRow) -> dict:
    """The 群诉 lead and members of an order, and the earlier orders it repeats."""
    lead = order.lead_order or (order.number if order.mass_lead else None)
    members = []
    if lead:
        members = list(session.scalars(select(OrderRow.number).where(OrderRow.lead_order == lead).order_by(OrderRow.id)))
    repeats = [r["order_id"] for r in (appeal.routing or {}).get("related", []) if r["relation"] == "repeat"]
    return {"lead_order": lead, "mass_members": members, "mass_count": len(members) + (1 if lead else 0),
            "repeat_of": repeats}


def earlier_calls(session: Session, actor: Actor, platform: str, caller_key: str | None, *,
                  limit: int = 10) -> list[tuple[OrderRow, AppealRow]]:
    """The caller's earlier appeals (重复来电), newest first, by the keyed hash of the number — never the
    number itself — and inside the reader's scope."""
    if not caller_key:
        return []
    where = and_(scope_filter(actor, platform), AppealRow.caller_key == caller_key)
    rows = session.execute(select(OrderRow, AppealRow).join(AppealRow, AppealRow.id == OrderRow.appeal_id).where(where)
                           .order_by(AppealRow.received_at.desc(), OrderRow.id.desc()).limit(limit)).all()
    return [(o, a) for o, a in rows]


def mass_leads_near(session: Session, actor: Actor, platform: str, region: str | None, *, since: datetime,
                    limit: int = 5) -> list[tuple[OrderRow, AppealRow]]:
    """Possible 群诉 clusters near a place: lead orders in the same street (the first 9 digits of a
    street or community code) opened since `since`, inside the reader's scope."""
    if not region or len(region) < 9:
        return []
    street = region[:9]
    where = and_(scope_filter(actor, platform), OrderRow.mass_lead.is_(True), OrderRow.region.startswith(street),
                 OrderRow.created_at >= since)
    rows = session.execute(select(OrderRow, AppealRow).join(AppealRow, AppealRow.id == OrderRow.appeal_id).where(where)
                           .order_by(OrderRow.created_at.desc()).limit(limit)).all()
    return [(o, a) for o, a in rows]


def mass_size(session: Session, lead: str) -> int:
    """How many orders a 群诉 lead gathers, itself included."""
    return 1 + (session.scalar(select(func.count()).select_from(OrderRow).where(OrderRow.lead_order == lead)) or 0)
