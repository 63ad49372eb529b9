"""Linked orders on the two platforms: in one process, or between desks over the exchange.

When 12345 hands an appeal to 110 (or back), the origin keeps a shadow order in 已转办/对方办理中
that follows the peer's order: the peer's dispatch is its 对方签收, each step its 对方进展, and
the peer's close its 对方办结反馈 — only then may the origin close (闭环). Between two separate
desks (a peers file configured) the same links travel as exchange messages queued in the same
transaction (`orders.exchange_out`, received by `orders.exchange_handlers`); in one process they are
applied directly.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from liandong.orders import exchange_out
from liandong.orders.model import ActionCommand, Actor
from liandong.orders.states import Action, Role, Status
from liandong.orders.tables import OrderRow

FEEDBACK = {  # action on the peer's order → action on the origin's shadow
    Action.DISPATCH: Action.PEER_ACCEPT,
    Action.SIGN: Action.PEER_PROGRESS,
    Action.ARRIVE: Action.PEER_PROGRESS,
    Action.HANDLE: Action.PEER_PROGRESS,
    Action.REPLY: Action.PEER_PROGRESS,
    Action.CLOSE: Action.PEER_RESULT,
}
LINKER = Actor(name="linkage", role=Role.SYSTEM)


def _to_peer_desk(session: Session, ctx, *, order: OrderRow, action: Action, cmd: ActionCommand, actor: Actor,
                  now: datetime) -> bool:
    """When the other platform is a separate desk, the same links travel as exchange messages (平台互通)."""
    if action is Action.TRANSFER and exchange_out.can_send(ctx, cmd.target):
        # police that acted first hand the rest to 12345 for mediation by local government (联合调处)
        purpose = "mediation" if order.platform != "12345" and cmd.target == "12345" and order.unit else "handle"
        exchange_out.send_transfer(session, ctx, order=order, target=cmd.target, actor=actor, now=now, purpose=purpose,
                                   note=cmd.note)
        return True
    if action is Action.RECALL and exchange_out.can_send(ctx, order.peer_platform):
        exchange_out.send_recall(session, ctx, order=order, cmd=cmd, actor=actor, now=now)
        return True
    if action is Action.NEGOTIATE and exchange_out.can_send(ctx, cmd.target):
        exchange_out.send_negotiation(session, ctx, order=order, target=cmd.target, cmd=cmd, actor=actor, now=now)
        return True
    exchange_out.send_feedback(session, ctx, order=order, action=action, cmd=cmd, actor=actor, now=now)
    return False


def hosts(ctx, platform: str) -> bool:
    """Whether this process holds `platform`'s orders itself (no peer desk configured for it)."""
    local = getattr(ctx, "local_platforms", None)
    return platform in (local if local is not None else {"12345", "110"})


def shadow_of(session: Session, order: OrderRow) -> OrderRow | None:
    from liandong.orders.service import find_order

    if not order.linked_order:
        return None
    shadow = find_order(session, order.linked_order)
    if shadow is None or shadow.peer_order_id != order.number:
        return None
    if shadow.status not in (Status.TRANSFERRED.value, Status.PEER_HANDLING.value):
        return None
    return shadow


def after_action(session: Session, ctx, *, order: OrderRow, action: Action, cmd: ActionCommand, actor: Actor,
                 now: datetime) -> None:
    from liandong.orders import service

    if action is Action.TRANSFER and hosts(ctx, cmd.target or ""):
        _open_peer_order(session, ctx, origin=order, target=cmd.target or "", now=now)
        return
    if exchange_out.exchange_of(ctx) is not None and _to_peer_desk(session, ctx, order=order, action=action, cmd=cmd,
                                                                   actor=actor, now=now):
        return
    shadow = shadow_of(session, order)
    if shadow is None:
        return
    if action is Action.CANCEL:
        service.act(session, ctx, number=shadow.number, platform=shadow.platform, now=now, check_scope=False,
                    actor=LINKER, cmd=ActionCommand(Action.PEER_RETURN, reason="对方撤销", note=cmd.reason or ""))
        return
    follow = FEEDBACK.get(action)
    if follow is None:
        return
    if shadow.status == Status.TRANSFERRED.value and follow is not Action.PEER_ACCEPT:
        service.act(session, ctx, number=shadow.number, platform=shadow.platform, now=now, check_scope=False,
                    actor=LINKER, cmd=ActionCommand(Action.PEER_ACCEPT, note=f"{order.platform}已受理：{order.number}"))
    note = f"{order.platform} {order.number}：{cmd.note}" if cmd.note else f"{order.platform} {order.number}"
    service.act(session, ctx, number=shadow.number, platform=shadow.platform, now=now, check_scope=False,
                actor=LINKER, cmd=ActionCommand(follow, note=note))


def _open_peer_order(session: Session, ctx, *, origin: OrderRow, target: str, now: datetime) -> OrderRow:
    from liandong.intake.tables import AppealRow, new_appeal
    from liandong.orders import service

    appeal = new_appeal(session, origin.appeal_id) or session.get(AppealRow, origin.appeal_id)
    routing = dict(appeal.routing or {})
    peer = service.open_order(session, ctx, appeal=appeal, platform=target, routing=routing, actor=LINKER, now=now,
                              note=f"由{origin.platform}转办：{origin.number}")
    peer.linked_order = origin.number
    origin.peer_order_id = peer.number
    origin.linked_order = peer.number
    return peer
