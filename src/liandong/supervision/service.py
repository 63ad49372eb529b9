"""Supervision over stored orders: deadlines after every milestone, bounce flags, and the periodic check
(warning lights, 催办, 督办).

The arithmetic is the pure core beside this module (calendar, limits, deadlines, warnings, bounces);
this module reads orders, calls it, and acts through `Orders.act`, so every 催办 and 督办 is an ordinary
audited action. It listens to the order core's events (`on_order_event`, wired in `app.py`).

Deadlines are recomputed once per order per flush, not once per event: an appeal opened and dispatched
in one transaction has its deadlines computed once, just before its row is written (`before_flush`).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandong.core.actors import SYSTEM
from liandong.core.errors import Conflict, InvalidInput
from liandong.core.types import Level
from liandong.orders.events import OrderChanged, OrderEvent, OrderOpened
from liandong.orders.model import ActionCommand
from liandong.orders.service import Orders
from liandong.orders.states import MILESTONES, OPEN_FOR_CHASE, Action, Status
from liandong.orders.tables import OrderEventRow, OrderRow
from liandong.supervision.bounces import ChainEvent, ChainKind, detect_bounce
from liandong.supervision.calendar import WorkingCalendar
from liandong.supervision.deadlines import Milestone, OrderTimes, order_deadlines
from liandong.supervision.limits import TimeLimitPolicy
from liandong.supervision.warnings import Light, Reminder, assess

PEER_WAITING = (Status.TRANSFERRED.value, Status.PEER_HANDLING.value, Status.NEGOTIATING.value)
CHECKED = tuple(s.value for s in OPEN_FOR_CHASE if s.value not in PEER_WAITING) + (
    Status.REPLIED.value, Status.CLOSED.value)
LIGHT_FLAG = {Light.OK: None, Light.WARNING: "yellow", Light.OVERDUE: "red"}
STALE = "deadlines_stale"  # session.info key: orders whose deadlines must be recomputed before the next flush
REASSIGNING = (Action.DISPATCH, Action.RETURN)
WriteTx = Callable[[], AbstractContextManager[Session]]


def order_times(order: OrderRow) -> OrderTimes:
    level = order.level if order.level in set(Level) else None
    return OrderTimes(
        opened_at=order.created_at, category_code=order.category_code, category_group=order.category_group,
        level=level, dispatched_at=order.dispatched_at, signed_at=order.signed_at, replied_at=order.replied_at,
        closed_at=order.closed_at, revisited_at=order.visited_at, extension_days=order.extension_days or 0,
        chased_at=order.chased_at, supervised_at=order.supervised_at,
    )


def bounce_chain(session: Session, order: OrderRow) -> list[ChainEvent]:
    rows = session.scalars(
        select(OrderEventRow).where(OrderEventRow.order_id == order.id,
                                    OrderEventRow.action.in_((Action.DISPATCH.value, Action.RETURN.value)))
        .order_by(OrderEventRow.seq))
    chain = []
    for e in rows:
        if e.action == Action.DISPATCH.value and e.data.get("unit"):
            chain.append(ChainEvent(ChainKind.ASSIGN, e.data["unit"], e.at))
        elif e.action == Action.RETURN.value:
            chain.append(ChainEvent(ChainKind.RETURN, e.data.get("returned_by") or e.unit or "?", e.at,
                                    e.data.get("reason_text", "")))
    return chain


@dataclass
class CheckReport:  # 一轮督办检查
    checked: int = 0
    yellow: int = 0
    red: int = 0
    chased: int = 0  # 催办 sent
    supervised: int = 0  # 督办 sent
    skipped: int = 0  # taken by another worker at the same moment


@dataclass
class Supervision:  # 督办
    policy: TimeLimitPolicy
    calendar: WorkingCalendar
    orders: Orders

    # -- reacting to the order core ----------------------------------------------------------------
    def on_order_event(self, session: Session, event: OrderEvent) -> None:
        if isinstance(event, OrderOpened):
            self._mark_stale(session, event.order)
            return
        if isinstance(event, OrderChanged):
            if event.action in MILESTONES or event.action in (Action.APPROVE_EXTENSION, Action.RECLASSIFY):
                self._mark_stale(session, event.order)
            if event.action in REASSIGNING:
                self.flag_bounce(session, event.order)

    @staticmethod
    def _mark_stale(session: Session, order: OrderRow) -> None:
        session.info.setdefault(STALE, {})[id(order)] = order

    def before_flush(self, session: Session, _flush_context=None, _instances=None) -> None:
        """Session hook: write the current deadlines of every order marked stale since the last flush."""
        stale = session.info.pop(STALE, None)
        for order in (stale or {}).values():
            self.refresh_deadlines(order)

    def refresh_deadlines(self, order: OrderRow) -> None:
        """Write the order's current deadlines (签收/答复/办结) onto it, from the city's limits."""
        times = order_times(order)
        try:
            limits = self.policy.limits_for(order.category_code, order.category_group, times.level)
        except InvalidInput:
            limits = self.policy.limits_for(None, None, None)
        due = {d.milestone: d.due_at for d in order_deadlines(times, limits, self.calendar)}
        order.sign_due = due.get(Milestone.SIGN)
        order.reply_due = due.get(Milestone.REPLY)
        order.close_due = due.get(Milestone.CLOSE)

    def flag_bounce(self, session: Session, order: OrderRow) -> None:
        """After a dispatch or a return: flag 推诿 when the chain passes the city's thresholds."""
        b = self.policy.bounce
        if order.bounce or (order.transfer_count + 1 < b.max_transfers and order.return_count < b.max_returns):
            return
        report = detect_bounce(bounce_chain(session, order), max_transfers=b.max_transfers, max_returns=b.max_returns)
        if report.flagged:
            order.bounce = True

    # -- the periodic check -----------------------------------------------------------------------
    def run_checks(self, write: WriteTx, now: datetime, *, batch: int = 500) -> CheckReport:
        """One pass over open orders: set the light, send 催办 and 督办 where due.

        Safe with several workers: on PostgreSQL each batch is claimed with FOR UPDATE SKIP LOCKED,
        on SQLite the write lock serialises them; an order changed meanwhile is skipped (version check),
        and `assess` never repeats a 催办 or 督办 for the same lapse."""
        report = CheckReport()
        last_id = 0
        while True:
            with write() as session:
                q = (select(OrderRow).where(OrderRow.status.in_(CHECKED), OrderRow.id > last_id)
                     .order_by(OrderRow.id).limit(batch))
                if session.get_bind().dialect.name == "postgresql":
                    q = q.with_for_update(skip_locked=True)
                rows = list(session.scalars(q))
                if not rows:
                    return report
                last_id = rows[-1].id
                for order in rows:
                    self._check_one(session, order, now, report)

    def _check_one(self, session: Session, order: OrderRow, now: datetime, report: CheckReport) -> None:
        report.checked += 1
        try:
            result = assess(order_times(order), now, policy=self.policy, cal=self.calendar)
        except InvalidInput:
            return
        flag = LIGHT_FLAG[result.light]
        if order.warning != flag:
            order.warning = flag
        report.yellow += result.light is Light.WARNING
        report.red += result.light is Light.OVERDUE
        for due in result.actions:
            action = Action.URGE if due.action is Reminder.CHASE else Action.SUPERVISE
            try:
                with session.begin_nested():
                    self.orders.act(session, number=order.number, platform=order.platform, now=now, actor=SYSTEM,
                                    order=order, check_scope=False, cmd=ActionCommand(action, note=due.reason))
            except Conflict:
                report.skipped += 1
                continue
            report.chased += due.action is Reminder.CHASE
            report.supervised += due.action is Reminder.SUPERVISE
