"""Time limits on links between desks: transfers not accepted in time, negotiations left unresolved.

    overdue_transfers(session, ctx, now)   a shadow still 已转办待签收 past `accept_within_minutes` →
                                           flag `transfer_overdue` and a warning event on it (the
                                           origin desk's supervisors see it), and an escalation notice
                                           on the link (the receiving desk's supervisors see it)
    expire_negotiations(session, ctx, now) 在线协商 past `negotiation_minutes` → 首接负责制: the
                                           first receiver keeps it (协商确定, back to 已受理)

Both are idempotent and may be called by any scheduler; `desk.DeskExchange` runs them every 30 s.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandong.exchange.messages import EscalationPayload, new_message
from liandong.exchange.policy import negotiation_outcome, transfer_overdue
from liandong.intake.tables import AppealRow
from liandong.orders import exchange_out as out
from liandong.orders import service
from liandong.orders.model import ActionCommand, Actor
from liandong.orders.states import Action, Role, Status
from liandong.orders.tables import OrderEventRow, OrderRow

WATCH = Actor(name="时限监测", role=Role.SYSTEM)


def _since(session: Session, status: str, action: Action) -> list[tuple[OrderRow, datetime]]:
    """Orders in `status` with the time of their latest `action` event."""
    last = (select(OrderEventRow.order_id, func.max(OrderEventRow.at).label("at"))
            .where(OrderEventRow.action == action.value).group_by(OrderEventRow.order_id).subquery())
    rows = session.execute(select(OrderRow, last.c.at).join(last, last.c.order_id == OrderRow.id)
                           .where(OrderRow.status == status).order_by(OrderRow.id)).all()
    return [(o, at) for o, at in rows]


def overdue_transfers(session: Session, ctx, now: datetime) -> list[str]:
    """Warn about transfers to peer desks not accepted within the limit; returns the orders newly flagged."""
    ex = out.exchange_of(ctx)
    if ex is None:
        return []
    flagged = []
    for order, sent_at in _since(session, Status.TRANSFERRED.value, Action.TRANSFER):
        if out.OVERDUE in (order.flags or []) or not out.can_send(ctx, order.peer_platform):
            continue
        warning = transfer_overdue(sent_at=sent_at, accepted_at=None, now=now, rules=ex.rules)
        if warning is None:
            continue
        out.add_flag(order, out.OVERDUE)
        note = f"转办{order.peer_platform}超过{ex.rules.accept_within_minutes}分钟未签收（超时{warning.minutes_overdue}分钟）"
        out.record_notice(session, order, kind="transfer_overdue", now=now, actor=WATCH.name, note=note,
                          data={"peer": order.peer_platform, "due_at": warning.due_at.isoformat()})
        appeal = session.get(AppealRow, order.appeal_id)
        out.queue(session, ctx, new_message("escalation", payload=EscalationPayload(
            level=out.level_of(order), summary=f"转办超时未签收：{order.number}，{note}", target_unit="督办",
            region_code=appeal.region or ctx.city.city.code), **out.envelope(
            ctx, target=order.peer_platform, origin_platform=ex.local_platform, origin_order_id=order.number,
            peer_order_id=None, actor=WATCH, now=now)))
        flagged.append(order.number)
    return flagged


def expire_negotiations(session: Session, ctx, now: datetime) -> list[str]:
    """Negotiations past their limit: the first receiver keeps the order (首接负责制)."""
    ex = out.exchange_of(ctx)
    if ex is None:
        return []
    kept = []
    for order, proposed_at in _since(session, Status.NEGOTIATING.value, Action.NEGOTIATE):
        outcome = negotiation_outcome(proposed_at=proposed_at, now=now, first_receiver=order.platform, rules=ex.rules)
        if outcome.state != "first_receiver_keeps":
            continue
        service.act(session, ctx, number=order.number, platform=order.platform, now=now, order=order, check_scope=False,
                    actor=WATCH, cmd=ActionCommand(Action.NEGOTIATED, note=f"协商超过{ex.rules.negotiation_minutes}分钟未果，"
                                                   "按首接负责制由本平台受理"))
        kept.append(order.number)
    return kept


def watch_once(session: Session, ctx, now: datetime) -> dict[str, list[str]]:
    return {"overdue": overdue_transfers(session, ctx, now), "first_receiver_keeps": expire_negotiations(session, ctx, now)}
