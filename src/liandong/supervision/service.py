"""Supervision over stored orders: deadlines on dispatch, the periodic check (lights, 催办, 督办),
bounce flags, and the supervisors' lists.

The arithmetic is the pure core beside this module (calendar, limits, deadlines, warnings,
bounces); this module only reads orders, calls it, and acts through `orders.service.act`, so
every chase and escalation is an ordinary audited action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandong.core.errors import Conflict, InvalidInput
from liandong.orders import service as orders
from liandong.orders.model import ActionCommand
from liandong.orders.states import OPEN_FOR_CHASE, Action, Status
from liandong.orders.tables import OrderEventRow, OrderRow
from liandong.supervision.bounces import ChainEvent, ChainKind, detect_bounce
from liandong.supervision.deadlines import Milestone, OrderTimes, order_deadlines
from liandong.supervision.warnings import Action as Due
from liandong.supervision.warnings import Light, assess

PEER_WAITING = (Status.TRANSFERRED.value, Status.PEER_HANDLING.value, Status.NEGOTIATING.value)
CHECKED = tuple(s.value for s in OPEN_FOR_CHASE if s.value not in PEER_WAITING) + (
    Status.REPLIED.value, Status.CLOSED.value)
LIGHT_FLAG = {Light.OK: None, Light.WARNING: "yellow", Light.OVERDUE: "red"}


def order_times(order: OrderRow) -> OrderTimes:
    level = order.level if order.level in ("一般", "较大", "重大", "特别重大") else None
    return OrderTimes(
        opened_at=order.created_at, category_code=order.category_code, category_group=order.category_group,
        level=level, dispatched_at=order.dispatched_at, signed_at=order.signed_at, replied_at=order.replied_at,
        closed_at=order.closed_at, revisited_at=order.visited_at, extension_days=order.extension_days or 0,
        chased_at=order.chased_at, escalated_at=order.escalated_at,
    )


def refresh_deadlines(ctx, order: OrderRow) -> None:
    """Write the order's current deadlines (签收/答复/办结) onto it, from the city's limits."""
    policy, times = ctx.time_policy, order_times(order)
    try:
        limits = policy.limits_for(order.category_code, order.category_group, times.level)
    except InvalidInput:
        limits = policy.limits_for(None, None, None)
    due = {d.milestone: d.due_at for d in order_deadlines(times, limits, ctx.calendar)}
    order.sign_due = due.get(Milestone.SIGN)
    order.reply_due = due.get(Milestone.REPLY)
    order.close_due = due.get(Milestone.CLOSE)


def bounce_chain(session: Session, order: OrderRow) -> list[ChainEvent]:
    rows = session.scalars(
        select(OrderEventRow).where(OrderEventRow.order_id == order.id,
                                    OrderEventRow.action.in_(("dispatch", "return"))).order_by(OrderEventRow.seq))
    chain = []
    for e in rows:
        if e.action == "dispatch" and e.data.get("unit"):
            chain.append(ChainEvent(ChainKind.ASSIGN, e.data["unit"], e.at))
        elif e.action == "return":
            chain.append(ChainEvent(ChainKind.RETURN, e.data.get("returned_by") or e.unit or "?", e.at,
                                    e.data.get("reason_text", "")))
    return chain


def flag_bounce(session: Session, ctx, order: OrderRow) -> None:
    """After a dispatch or a return: flag 推诿 when the chain passes the city's thresholds."""
    b = ctx.time_policy.bounce
    if order.transfer_count + 1 < b.max_transfers and order.return_count < b.max_returns:
        return
    report = detect_bounce(bounce_chain(session, order), max_transfers=b.max_transfers, max_returns=b.max_returns)
    if report.flagged and "bounce" not in (order.flags or []):
        order.flags = sorted(set(order.flags or []) | {"bounce"})


@dataclass
class CheckReport:  # 一轮督办检查
    checked: int = 0
    yellow: int = 0
    red: int = 0
    chased: int = 0
    escalated: int = 0
    skipped: int = 0  # taken by another worker at the same moment


def run_checks(ctx, now: datetime, *, batch: int = 500) -> CheckReport:
    """One pass over open orders: set the light, chase (催办) and escalate (督办) what is due.

    Safe with several workers: on PostgreSQL each batch is claimed with FOR UPDATE SKIP LOCKED,
    on SQLite the write lock serialises them; an order changed meanwhile is skipped (version check),
    and `assess` never repeats a chase or escalation for the same lapse."""
    report = CheckReport()
    last_id = 0
    while True:
        with ctx.write() as session:
            q = (select(OrderRow).where(OrderRow.status.in_(CHECKED), OrderRow.id > last_id)
                 .order_by(OrderRow.id).limit(batch))
            if session.get_bind().dialect.name == "postgresql":
                q = q.with_for_update(skip_locked=True)
            rows = list(session.scalars(q))
            if not rows:
                return report
            last_id = rows[-1].id
            for order in rows:
                _check_one(session, ctx, order, now, report)


def _check_one(session: Session, ctx, order: OrderRow, now: datetime, report: CheckReport) -> None:
    report.checked += 1
    try:
        result = assess(order_times(order), now, policy=ctx.time_policy, cal=ctx.calendar)
    except InvalidInput:
        return
    flag = LIGHT_FLAG[result.light]
    if order.warning != flag:
        order.warning = flag
    report.yellow += result.light is Light.WARNING
    report.red += result.light is Light.OVERDUE
    for due in result.actions:
        action = Action.URGE if due.action is Due.CHASE else Action.SUPERVISE
        try:
            with session.begin_nested():
                orders.act(session, ctx, number=order.number, platform=order.platform, now=now, actor=orders.SYSTEM,
                           order=order, check_scope=False, cmd=ActionCommand(action, note=due.reason))
        except Conflict:
            report.skipped += 1
            continue
        report.chased += due.action is Due.CHASE
        report.escalated += due.action is Due.ESCALATE
