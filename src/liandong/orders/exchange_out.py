"""Sending to peer desks (平台互通·发送): the exchange messages an order change produces.

Every function here runs inside the transaction that changes the order and only *queues* messages
(`exchange.outbox.enqueue`); the relay delivers them after the commit. Nothing is sent when this
process has no exchange configured or the target platform is not one of its peers — then the
platforms are hosted in one process and `orders.linkage` links the orders directly.

    origin desk (转出方)                               receiving desk (承办方)
    TRANSFER of a shadow        → transfer            open a local order (BY_TRANSFER)
    RECALL of a shadow          → recall              its dispatch/sign/arrive/handle/reply/close
    a parallel / notify order   → transfer (purpose)     → accept (once), progress, result
    重大/特别重大               → escalation           its cancel → return
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandong.core.masking import mask_name, mask_phone
from liandong.exchange import outbox
from liandong.exchange.messages import (AcceptPayload, Address, Caller, EscalationPayload, Level, OrderRef,
                                        ProgressPayload, RecallPayload, ResultPayload, ReturnPayload, TransferPayload,
                                        new_message)
from liandong.intake.tables import AppealRow
from liandong.orders.model import ActionCommand, Actor
from liandong.orders.states import ACTION_LABELS, Action, Role, Status
from liandong.orders.tables import OrderEventRow, OrderRow
from liandong.storage.ids import next_id

BY_TRANSFER = "by_transfer"  # flag: the order was opened from a peer's transfer (转入)
ACCEPT_SENT = "accept_sent"  # flag: the peer has been told we accepted it (签收)
OVERDUE = "transfer_overdue"  # flag: a transfer not accepted within its limit (超时未签收)
ESCALATED = "escalated"  # flag: the city command was notified (升级通报)
LEVELS = {"一般": Level.GENERAL, "较大": Level.MAJOR, "重大": Level.SERIOUS, "特别重大": Level.EXTRAORDINARY}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}
PURPOSE_LABELS = {"handle": "转办处置", "mediation": "联合调处", "coordinate": "协调联合处置", "notify": "通报"}
NOTICE_LABELS = {  # audit events that record a notice without changing the order's state
    "peer_notice": "对端通报", "escalation": "升级通报", "transfer_overdue": "转办超时预警",
    "negotiation": "在线协商", "peer_transfer": "通报对端平台",
}
PROGRESS_STEPS = {  # action on an order that came by transfer → progress step reported to the origin
    Action.DISPATCH: "dispatched", Action.SIGN: "signed", Action.ARRIVE: "on_scene", Action.HANDLE: "handling",
    Action.REPLY: "replied", Action.RETURN: "unit_returned", Action.APPROVE_RETURN: "redispatching",
    Action.REOPEN: "reopened",
}
RETURN_CODES = {"not_our_duty": "not_our_duty", "duplicate": "duplicate", "incomplete": "insufficient_info"}
RECALLER = Actor(name="对端撤回", role=Role.ADMIN)  # a peer's recall cancels the order in whatever state it is


def exchange_of(ctx):
    return getattr(ctx, "exchange", None)


def can_send(ctx, platform: str | None) -> bool:
    """Whether `platform` is a configured peer desk of this process."""
    ex = exchange_of(ctx)
    return ex is not None and platform is not None and platform in ex.peers.peers


def level_of(order: OrderRow) -> Level:
    return LEVELS.get(order.level or "一般", Level.GENERAL)


def record_notice(session: Session, order: OrderRow, *, kind: str, note: str, now: datetime, actor: str = "exchange",
                  data: dict | None = None) -> None:
    """An audit event on the order that changes no state: a notice sent or received, visible on the order."""
    order.last_event_seq = (order.last_event_seq or 0) + 1
    order.updated_at = now
    session.add(OrderEventRow(id=next_id(session, OrderEventRow.__table__), order_id=order.id, seq=order.last_event_seq,
                              action=kind, from_status=order.status, to_status=order.status, actor=actor, role="system",
                              unit=None, at=now, note=note, data=data or {}))


def add_flag(order: OrderRow, flag: str) -> None:
    if flag not in (order.flags or []):
        order.flags = sorted(set(order.flags or []) | {flag})


def queue(session: Session, ctx, message) -> None:
    outbox.enqueue(session, message)
    exchange_of(ctx).wake_after_commit(session)


def envelope(ctx, *, target: str, origin_platform: str, origin_order_id: str, peer_order_id: str | None,
              actor: Actor, now: datetime) -> dict:
    return dict(sender_platform=exchange_of(ctx).local_platform, sender_unit=(actor.unit or actor.name)[:100],
                receiver_platform=target, sent_at=now,
                order_ref=OrderRef(origin_platform=origin_platform, origin_order_id=origin_order_id,
                                   peer_order_id=peer_order_id))


def send_transfer(session: Session, ctx, *, order: OrderRow, target: str, actor: Actor, now: datetime,
                  purpose: str = "handle", note: str = "") -> None:
    """Queue a transfer (转办) of `order` to the peer desk `target`; `purpose` says why (handle/notify/…)."""
    ex = exchange_of(ctx)
    appeal = session.get(AppealRow, order.appeal_id)
    routing = dict(appeal.routing or {})
    category = ex.outgoing_category(order.category_code, target)
    if order.category_name and not category.label:
        category = category.model_copy(update={"label": order.category_name[:100]})
    region = appeal.region or ctx.city.city.code
    payload = TransferPayload(
        appeal_text=appeal.text[:5000],
        caller=Caller(name_masked=mask_name(appeal.caller_name), phone_masked=mask_phone(appeal.caller_phone),
                      contact_token=None),
        address=Address(text=(appeal.address or "")[:300], region_code=region), level=level_of(order),
        services=list(order.services or [])[:16], reasons=[r[:500] for r in (routing.get("reasons") or [])][:31]
        + ([note[:500]] if note else []), purpose=purpose,
    )
    queue(session, ctx, new_message("transfer", category=category, payload=payload, **envelope(
        ctx, target=target, origin_platform=ex.local_platform, origin_order_id=order.number, peer_order_id=None,
        actor=actor, now=now)))


def send_notice_transfer(session: Session, ctx, *, order: OrderRow, target: str, purpose: str, actor: Actor,
                         now: datetime, reason: str) -> None:
    """A transfer from a live order that stays live here (parallel handling, 119/120 notify, coordinate)."""
    send_transfer(session, ctx, order=order, target=target, actor=actor, now=now, purpose=purpose, note=reason)
    record_notice(session, order, kind="peer_transfer", now=now, data={"target": target, "purpose": purpose},
                  note=f"已{PURPOSE_LABELS[purpose]}至{target}平台：{reason}")


def send_recall(session: Session, ctx, *, order: OrderRow, cmd: ActionCommand, actor: Actor, now: datetime) -> None:
    queue(session, ctx, new_message("recall", payload=RecallPayload(
        reason=(cmd.reason or cmd.note or "撤回转办")[:1000], recalled_by=actor.name[:100]), **envelope(
        ctx, target=order.peer_platform, origin_platform=exchange_of(ctx).local_platform,
        origin_order_id=order.number, peer_order_id=None, actor=actor, now=now)))


def escalate(session: Session, ctx, *, order: OrderRow, now: datetime, actor: Actor, summary: str) -> None:
    """Graded response (分级响应): notify the city command of a 重大/特别重大 event, and record it on the order."""
    rules = exchange_of(ctx).rules
    target, unit = rules.escalation_platform, rules.escalation_unit
    appeal = session.get(AppealRow, order.appeal_id)
    if can_send(ctx, target):
        queue(session, ctx, new_message("escalation", payload=EscalationPayload(
            level=level_of(order), summary=summary[:2000], target_unit=unit,
            region_code=appeal.region or ctx.city.city.code), **envelope(
            ctx, target=target, origin_platform=exchange_of(ctx).local_platform, origin_order_id=order.number,
            peer_order_id=None, actor=actor, now=now)))
        how = f"已发送升级通报至{unit}（{target}）"
    else:
        how = f"升级通报{unit}（未配置{unit}对端，本地登记）"
    add_flag(order, ESCALATED)
    record_notice(session, order, kind="escalation", now=now, note=f"{how}：{order.level}事件，{summary[:200]}",
                  data={"target": target, "unit": unit, "level": order.level})


def send_feedback(session: Session, ctx, *, order: OrderRow, action: Action, cmd: ActionCommand, actor: Actor,
                  now: datetime) -> None:
    """On the receiving desk: report an action on a transferred-in order back to its origin."""
    if BY_TRANSFER not in (order.flags or []) or actor.name == RECALLER.name or not can_send(ctx, order.peer_platform):
        return
    env = dict(target=order.peer_platform, origin_platform=order.peer_platform, origin_order_id=order.peer_order_id,
               peer_order_id=order.number, actor=actor, now=now)
    who = (actor.unit and ctx.city.units.get(actor.unit) and ctx.city.units[actor.unit].name) or actor.name
    if action is Action.CANCEL:
        queue(session, ctx, new_message("return", payload=ReturnPayload(
            reason_code=RETURN_CODES.get(cmd.reason or "", "other"),
            reason=(cmd.note or cmd.reason or "不属本平台受理范围")[:1000], returned_by=who[:100]), **envelope(ctx, **env)))
        return
    if action is not Action.CLOSE and action not in PROGRESS_STEPS:
        return
    if ACCEPT_SENT not in (order.flags or []):
        add_flag(order, ACCEPT_SENT)
        queue(session, ctx, new_message("accept", payload=AcceptPayload(
            accepted_by=who[:100], note=f"{exchange_of(ctx).local_platform}已受理：{order.number}"), **envelope(ctx, **env)))
    unit = ctx.city.units.get(order.unit) if order.unit else None
    handled_by = (unit.name if unit else who)[:100]
    if action is Action.CLOSE:
        queue(session, ctx, new_message("result", payload=ResultPayload(
            outcome="resolved", handled_by=handled_by, note=(cmd.note or _last_reply(session, order) or "已办结")[:5000],
            closed_at=now), **envelope(ctx, **env)))
        return
    note = cmd.note or f"{ACTION_LABELS[action]}" + (f"：{unit.name}" if unit and action is Action.DISPATCH else "")
    queue(session, ctx, new_message("progress", payload=ProgressPayload(
        step=PROGRESS_STEPS[action], note=note[:2000], handled_by=handled_by), **envelope(ctx, **env)))


def _last_reply(session: Session, order: OrderRow) -> str | None:
    return session.scalar(select(OrderEventRow.note).where(
        OrderEventRow.order_id == order.id, OrderEventRow.action == Action.REPLY.value)
        .order_by(OrderEventRow.seq.desc()).limit(1))


def is_remote_shadow(order: OrderRow, ctx) -> bool:
    return order.status in (Status.TRANSFERRED.value, Status.PEER_HANDLING.value) and can_send(ctx, order.peer_platform)


def send_negotiation(session: Session, ctx, *, order: OrderRow, target: str, cmd: ActionCommand, actor: Actor,
                     now: datetime) -> None:
    """Propose online negotiation (在线协商) with a time limit; unresolved → the first receiver keeps it."""
    from datetime import timedelta

    from liandong.exchange.messages import NegotiateProposePayload

    appeal = session.get(AppealRow, order.appeal_id)
    limit = exchange_of(ctx).rules.negotiation_minutes
    queue(session, ctx, new_message("negotiate_propose", payload=NegotiateProposePayload(
        proposal="you_take", reason=(cmd.note or "职责交叉或不明确，请协商确定受理平台")[:1000],
        respond_by=now + timedelta(minutes=limit), appeal_text=appeal.text[:5000]), **envelope(
        ctx, target=target, origin_platform=exchange_of(ctx).local_platform, origin_order_id=order.number,
        peer_order_id=None, actor=actor, now=now)))
