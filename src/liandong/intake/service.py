"""Intake (受理): validate an appeal, route it, store it and open its orders, in one transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from liandong.core.clock import as_cst
from liandong.core.errors import InvalidInput
from liandong.core.ids import new_id
from liandong.core.masking import caller_key
from liandong.intake.desk_plan import desk_plan, send_to_peers
from liandong.intake.plan import plan_orders
from liandong.intake.schemas import AppealCreate
from liandong.intake.tables import AppealRow, add_appeal
from liandong.orders import service as orders
from liandong.orders.model import ActionCommand, Actor
from liandong.orders.states import Action
from liandong.orders.tables import OrderRow
from liandong.routing.text import validate


def route_appeal(ctx, body: AppealCreate, *, now: datetime) -> dict:
    """Validate against the city and route: pure work, done before any transaction is opened."""
    check_appeal(ctx, body, now=now)
    return route_checked(ctx, [body])[0]


def check_appeal(ctx, body: AppealCreate, *, now: datetime) -> None:
    """Everything that can refuse an appeal (422), checked before it is queued or stored."""
    if body.region:
        ctx.city.region(body.region)
    if body.received_at and (as_cst(body.received_at) - now).total_seconds() > 300:
        raise InvalidInput("受理时间不能晚于当前时间")
    validate(body.text, body.channel.value)


def route_checked(ctx, bodies: list[AppealCreate]) -> list[dict]:
    """Route checked appeals in one model call, each with the unit that serves its place."""
    decisions = ctx.router.route_many([{"text": b.text, "channel": b.channel.value, "region": b.region} for b in bodies])
    routings = []
    for body, decision in zip(bodies, decisions):
        routing = decision.to_dict()
        unit = ctx.city.unit_for(routing["unit_function"], body.region) if routing.get("unit_function") else None
        routing["unit"] = unit.code if unit else None
        routings.append(routing)
    return routings


def submit_appeal(session: Session, ctx, body: AppealCreate, *, actor: Actor, platform: str, now: datetime,
                  routing: dict | None = None, appeal_id: str | None = None) -> tuple[AppealRow, list[OrderRow]]:
    """Store the appeal and open its orders; `routing` comes from `route_appeal` (called here if absent)."""
    routing = routing if routing is not None else route_appeal(ctx, body, now=now)
    received_at = as_cst(body.received_at) if body.received_at else now
    appeal = AppealRow(
        id=appeal_id or new_id(), channel=body.channel.value, received_at=received_at, caller_name=body.caller.name,
        caller_phone=body.caller.phone, caller_key=caller_key(body.caller.phone, ctx.settings.phone_salt),
        text=body.text, address=body.address, region=body.region,
        attachments=[a.model_dump() for a in body.attachments], routing=routing, created_by=actor.name, created_at=now,
    )
    add_appeal(session, appeal)
    related = ctx.related.examine(session, appeal, now) if getattr(ctx, "related", None) else None
    if related is not None and related.related:
        appeal.routing = {**routing, "related": related.related}
    review = bool(routing.get("review")) or bool(related and related.to_supervisor)
    plan = plan_orders(routing["services"], platform, review=review)
    plan, peer_sends, escalate = desk_plan(plan, ctx, level=routing.get("level") or "一般")  # separate desks
    opened: list[OrderRow] = []
    primary = orders.open_order(session, ctx, appeal=appeal, platform=plan.primary, routing=routing, actor=actor, now=now,
                                deadlines=False)
    opened.append(primary)
    here = [primary]  # the orders this function opens (a transfer's peer order is opened with its deadlines)
    if plan.notify:
        primary.flags = sorted(set(primary.flags) | {f"notify:{p}" for p in plan.notify})
    if plan.transfer_to:
        orders.act(session, ctx, number=primary.number, platform=platform, now=now, actor=orders.SYSTEM, check_scope=False,
                   order=primary,
                   cmd=ActionCommand(Action.TRANSFER, target=plan.transfer_to, note="按分流结果一键转办"))
        if primary.peer_order_id:
            opened.append(orders.get_order(session, primary.peer_order_id))
    if plan.parallel:
        parallel = orders.open_order(session, ctx, appeal=appeal, platform=plan.parallel, routing=routing, actor=actor,
                                     now=now, note=f"紧急事项：110先期处置，同步派发相关部门（关联{primary.number}）",
                                     deadlines=False)
        parallel.linked_order = primary.number
        primary.linked_order = parallel.number
        opened.append(parallel)
        here.append(parallel)
    if related is not None:
        _mark_related(session, opened, related)
    dispatched = set()
    if plan.auto_dispatch:
        for order in opened:
            if order.status == "received" and auto_dispatch(session, ctx, order, routing, now):
                dispatched.add(order.number)
    for order in here:  # opened above without deadlines; a dispatch has set them itself
        if order.number not in dispatched:
            orders.set_deadlines(ctx, order, now)
    if peer_sends or escalate:
        send_to_peers(session, ctx, order=primary, sends=peer_sends, escalate=escalate, actor=actor, now=now)
    return appeal, opened


def _mark_related(session: Session, opened: list[OrderRow], related) -> None:
    """Write the repeat / mass / harassment findings on the new orders (and the mass lead)."""
    for order in opened:
        order.flags = sorted(set(order.flags or []) | related.flags)
        if related.to_supervisor:
            order.review = True
        if related.lead_order and related.lead_order != order.number:
            order.lead_order = related.lead_order
    if related.lead_order:
        _flag_lead(session, related.lead_order)


def _flag_lead(session: Session, number: str) -> None:
    """Mark the 群诉 lead without touching its version: a system flag must neither fail this intake nor
    invalidate what a person is doing on the lead order; if the lead changed meanwhile, the next
    member of the cluster sets the flag."""
    opened = orders.opened_order(session, number)
    if opened is not None:  # opened in this very transaction (the same intake batch): not yet stored
        opened.flags = sorted(set(opened.flags or []) | {"mass_lead"})
        return
    with session.no_autoflush:  # the lead is an older order; flushing the batch here would split its INSERTs
        row = session.execute(select(OrderRow.flags, OrderRow.version).where(OrderRow.number == number)).first()
        if row is None or "mass_lead" in (row.flags or []):
            return
        session.execute(update(OrderRow).where(OrderRow.number == number, OrderRow.version == row.version)
                        .values(flags=sorted(set(row.flags or []) | {"mass_lead"}))
                        .execution_options(synchronize_session=False))


POLICE_FUNCTIONS = ("public_security", "traffic_police")
EMERGENCY_FUNCTIONS = ("fire_rescue", "emergency_medical")


def auto_dispatch(session: Session, ctx, order: OrderRow, routing: dict, now: datetime) -> bool:
    """Send a confidently routed order straight to its unit (派单), as the dispatcher would; whether it did."""
    function = routing.get("unit_function")
    if order.platform == "110":
        function = function if function in POLICE_FUNCTIONS else "public_security"
    elif not function or function in POLICE_FUNCTIONS or function in EMERGENCY_FUNCTIONS:
        return False
    unit = ctx.city.unit_for(function, order.region)
    if unit is None:
        return False
    orders.act(session, ctx, number=order.number, platform=order.platform, now=now, actor=orders.SYSTEM, order=order,
               check_scope=False, cmd=ActionCommand(Action.DISPATCH, unit=unit.code, note=f"智能派单：{unit.name}"))
    return True
