"""Time limits on links between desks: transfers not accepted in time, negotiations left unresolved.

    overdue_transfers(session, linkage, now)   a shadow still 已转办待签收 past `accept_within_minutes` →
                                           flag `transfer_overdue` and a warning event on it (the
                                           origin desk's supervisors see it), and an escalation notice
                                           on the link (the receiving desk's supervisors see it)
    expire_negotiations(session, linkage, now) 在线协商 past `negotiation_minutes` → 首接负责制: the
                                           first receiver keeps it (协商确定, back to 已受理)

Both are idempotent and may be called by any scheduler; `linkage.desk.DeskExchange` runs them every 30 s.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandong.core.actors import Actor, Role
from liandong.linkage.rules import negotiation_outcome, transfer_overdue
from liandong.linkage.service import Linkage
from liandong.orders.model import ActionCommand
from liandong.orders.states import Action, Notice, Status
from liandong.orders.tables import OrderEventRow, OrderRow, TransferOverdue

WATCH = Actor(name="时限监测", role=Role.SYSTEM)


def _since(session: Session, status: str, action: Action) -> list[tuple[OrderRow, datetime]]:
    """Orders in `status` with the time of their latest `action` event."""
    last = (select(OrderEventRow.order_id, func.max(OrderEventRow.at).label("at"))
            .where(OrderEventRow.action == action.value).group_by(OrderEventRow.order_id).subquery())
    rows = session.execute(select(OrderRow, last.c.at).join(last, last.c.order_id == OrderRow.id)
                           .where(OrderRow.status == status).order_by(OrderRow.id)).all()
    return [(o, at) for o, at in rows]


def overdue_transfers(session: Session, linkage: Linkage, now: datetime) -> list[str]:
    """Warn about transfers to peer desks not accepted within the limit; returns the orders newly flagged."""
    desk = linkage.desk
    if desk is None:
        return []
    flagged = []
    for order, sent_at in _since(session, Status.TRANSFERRED.value, Action.TRANSFER):
        if order.transfer_overdue is not None or not desk.can_send(order.peer_platform):
            continue
        warning = transfer_overdue(sent_at=sent_at, accepted_at=None, now=now, rules=desk.rules)
        if warning is None:
            continue
        order.transfer_overdue = TransferOverdue.OVERDUE.value
        note = f"转办{order.peer_platform}超过{desk.rules.accept_within_minutes}分钟未签收（超时{warning.minutes_overdue}分钟）"
        linkage.orders.record_notice(session, order, kind=Notice.TRANSFER_OVERDUE, now=now, actor=WATCH.name, note=note,
                                     data={"peer": order.peer_platform, "due_at": warning.due_at.isoformat()})
        linkage.out.escalation(session, order=order, target=order.peer_platform, unit="督办", actor=WATCH, now=now,
                               summary=f"转办超时未签收：{order.number}，{note}")
        flagged.append(order.number)
    return flagged


def expire_negotiations(session: Session, linkage: Linkage, now: datetime) -> list[str]:
    """Negotiations past their limit: the first receiver keeps the order (首接负责制)."""
    desk = linkage.desk
    if desk is None:
        return []
    kept = []
    for order, proposed_at in _since(session, Status.NEGOTIATING.value, Action.NEGOTIATE):
        outcome = negotiation_outcome(proposed_at=proposed_at, now=now, first_receiver=order.platform, rules=desk.rules)
        if outcome.state != "first_receiver_keeps":
            continue
        linkage.orders.act(session, number=order.number, platform=order.platform, now=now, order=order,
                           check_scope=False, actor=WATCH,
                           cmd=ActionCommand(Action.NEGOTIATED, note=f"协商超过{desk.rules.negotiation_minutes}分钟未果，"
                                             "按首接负责制由本平台受理"))
        kept.append(order.number)
    return kept


def watch_once(session: Session, linkage: Linkage, now: datetime) -> dict[str, list[str]]:
    return {"overdue": overdue_transfers(session, linkage, now),
            "first_receiver_keeps": expire_negotiations(session, linkage, now)}
