"""Use cases on orders: open them for an appeal, act on them, list and read them.

Every function takes the session of the caller's transaction; nothing here commits. A change of
state, its audit event and any follow-on change of a linked order happen in that one transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from liandong.auth.service import require_view
from liandong.core.errors import InvalidInput, NotFound, StaleUpdate
from liandong.core.ids import order_number
from liandong.intake.tables import AppealRow
from liandong.orders import linkage
from liandong.orders.model import ActionCommand, Actor, OrderFacts, decide, describe
from liandong.orders.states import Action, Role, Status
from liandong.orders.tables import OrderEventRow, OrderRow
from liandong.storage.ids import next_id, this_transaction

SYSTEM = Actor(name="system", role=Role.SYSTEM)
MILESTONE_STAMPS = {  # the times supervision measures limits from
    Action.DISPATCH: "dispatched_at", Action.SIGN: "signed_at", Action.ARRIVE: "signed_at", Action.REPLY: "replied_at",
    Action.PEER_RESULT: "replied_at", Action.CLOSE: "closed_at", Action.VISIT: "visited_at", Action.URGE: "chased_at",
    Action.SUPERVISE: "escalated_at", Action.REOPEN: "dispatched_at",
}
OPENED = "opened_orders"  # orders opened in the current transaction, by number
RECEIVE = "receive"  # 受理: the event that opens an order (not a transition in the table)


def open_order(session: Session, ctx, *, appeal: AppealRow, platform: str, routing: dict, actor: Actor,
               now: datetime, note: str = "", deadlines: bool = True) -> OrderRow:
    """Open an order on `platform` for the appeal, status 已受理, with its first audit event.

    `created_at` is the 受理 moment: when the appeal was received (a transcript keyed in later keeps
    the time of the call), which is where the reply and close limits start. A caller that dispatches
    the order at once passes `deadlines=False` and leaves them to the dispatch (and to `set_deadlines`
    if it does not dispatch after all): they were computed twice, a tenth of intake's time."""
    opened_at = min(appeal.received_at, now) if appeal.received_at else now
    order_id = next_id(session, OrderRow.__table__)
    order = OrderRow(
        id=order_id, number=order_number(platform, appeal.region or ctx.city.city.code, opened_at.strftime("%Y%m%d"), order_id),
        platform=platform, appeal_id=appeal.id, status=Status.RECEIVED.value,
        title=_title(appeal.text), category_code=routing.get("category_code"), category_name=routing.get("category"),
        category_group=routing.get("category_group"), kind=routing.get("kind"), level=routing.get("level") or "一般",
        services=list(routing.get("services") or []), unit_function=routing.get("unit_function"), region=appeal.region,
        review=bool(routing.get("review")), extension_days=0, return_count=0, transfer_count=0, urge_count=0,
        supervised=False, flags=[], created_at=opened_at, updated_at=now, last_event_seq=0,
    )
    if deadlines:
        set_deadlines(ctx, order, now)
    session.add(order)
    this_transaction(session, OPENED)[order.number] = order
    _event(session, order, action=RECEIVE, from_status=None, actor=actor, now=now, note=note or "受理登记")
    return order


def act(session: Session, ctx, *, number: str, cmd: ActionCommand, actor: Actor, platform: str, now: datetime,
        expected_version: int | None = None, check_scope: bool = True, order: OrderRow | None = None) -> OrderRow:
    """Apply one action to an order: table check, guards, changes, audit event, linked-order feedback."""
    order = order if order is not None and order.number == number else get_order(session, number)
    if check_scope:
        require_view(actor, platform, order)
    if expected_version is not None and expected_version != order.version:
        raise StaleUpdate(order.number)
    facts = OrderFacts(number=order.number, platform=order.platform, status=Status(order.status), unit=order.unit,
                       last_visit_satisfied=order.satisfied, return_count=order.return_count)
    decision = decide(facts, cmd, actor, now)
    if cmd.action is Action.DISPATCH:
        _check_dispatch_unit(ctx, order, cmd.unit or "")
        if order.unit is not None or order.return_count > 0:  # passed on from one unit to another
            order.transfer_count += 1
    if cmd.action is Action.MERGE:
        get_order(session, cmd.target or "")
    _apply(order, decision.changes, ctx=ctx, now=now)
    order.status = decision.to_status.value
    order.updated_at = now
    stamp = MILESTONE_STAMPS.get(cmd.action)
    if stamp:
        setattr(order, stamp, now)
    if stamp or cmd.action is Action.APPROVE_EXTENSION:
        set_deadlines(ctx, order, now)
    order.last_event_seq = (order.last_event_seq or 0) + 1
    if not inspect(order).pending:  # an order opened in this transaction has no concurrent writer
        try:
            session.flush()  # the versioned UPDATE first: a concurrent writer is caught here, before any insert
        except StaleDataError:
            raise StaleUpdate(number) from None
    _event(session, order, action=cmd.action.value, from_status=decision.from_status.value, actor=actor,
           now=now, note=cmd.note or describe(decision, cmd.action), data=dict(decision.event_data), seq=order.last_event_seq)
    if cmd.action in (Action.DISPATCH, Action.RETURN):
        _hook(ctx, "on_reassigned", session, order)
    linkage.after_action(session, ctx, order=order, action=cmd.action, cmd=cmd, actor=actor, now=now)
    return order


def set_deadlines(ctx, order: OrderRow, now: datetime) -> None:
    _hook(ctx, "on_deadlines", order, now)


def _hook(ctx, name: str, *args) -> None:
    """Supervision's hooks on the composition root (absent in bare test contexts)."""
    hook = getattr(ctx, name, None)
    if hook is not None:
        hook(*args)


def _apply(order: OrderRow, changes: dict, *, ctx, now: datetime) -> None:
    for key, value in changes.items():
        match key:
            case "urge":
                order.urge_count += 1
            case "supervise":
                order.supervised = True
            case "approve_extension":
                order.extension_days += order.pending_extension_days or 0
                order.pending_extension_days = None
            case "reopen":  # the same unit handles it again (重办); the clocks restart at this dispatch
                order.closed_at = order.replied_at = order.signed_at = order.visited_at = None
            case _:
                setattr(order, key, value)


def _check_dispatch_unit(ctx, order: OrderRow, unit_code: str) -> None:
    unit = ctx.city.unit(unit_code)
    police = order.platform != "12345"  # 110, and the minimal 119/120 desks: their own units only
    if police and unit.platform != order.platform:
        raise InvalidInput(f"警单只能派给公安单位，「{unit.name}」不是公安单位" if order.platform == "110"
                           else f"{order.platform}平台的工单只能派给本平台单位，「{unit.name}」不是")
    if not police and unit.platform not in ("12345", "utility"):
        raise InvalidInput(f"工单不能派给「{unit.name}」：请通过转办交由{unit.platform}平台处理")


def _event(session: Session, order: OrderRow, *, action: str, from_status: str | None, actor: Actor,
           now: datetime, note: str = "", data: dict | None = None, seq: int | None = None) -> None:
    if seq is None:
        order.last_event_seq = seq = (order.last_event_seq or 0) + 1
    session.add(OrderEventRow(
        id=next_id(session, OrderEventRow.__table__), order_id=order.id, seq=seq, action=action, from_status=from_status, to_status=order.status,
        actor=actor.name, role=actor.role.value, unit=actor.unit, at=now, note=note, data=data or {},
    ))


def get_order(session: Session, number: str) -> OrderRow:
    order = find_order(session, number)
    if order is None:
        raise NotFound(f"工单「{number}」不存在")
    return order


def opened_here(session: Session) -> list[OrderRow]:
    """The orders opened in this session's current transaction (flushed or not)."""
    return list(this_transaction(session, OPENED).values())


def opened_order(session: Session, number: str) -> OrderRow | None:
    """The order of that number if it was opened in this session's current transaction."""
    return this_transaction(session, OPENED).get(number)


def find_order(session: Session, number: str) -> OrderRow | None:
    """By number; an order opened in this transaction is found without flushing it (and the batch) early."""
    opened = opened_order(session, number)
    return opened if opened is not None else session.scalar(select(OrderRow).where(OrderRow.number == number))


def events_of(session: Session, order: OrderRow) -> list[OrderEventRow]:
    return list(session.scalars(
        select(OrderEventRow).where(OrderEventRow.order_id == order.id).order_by(OrderEventRow.seq)))


def _title(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:40] + ("…" if len(first) > 40 else "")
