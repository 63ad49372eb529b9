"""Deadlines of one work order (工单时限节点), computed from its plain times.

Which clock each limit runs on
    * 签收 (sign): working hours from the *latest* dispatch (派单) to the unit holding the order; a
      signature older than the latest dispatch belongs to a previous unit and does not count.
    * 答复 (reply) and 办结 (close): working days from acceptance (受理, `opened_at`). Returns and
      transfers between units do not restart these clocks: the caller has been waiting since
      acceptance, and a restart would reward passing the order on (推诿). Extensions granted (延期,
      in working days) are added to the close limit only.
    * Closing (办结) ends every earlier step that has no time of its own: a closed order is never red
      for a missing 签收 or 答复 time (it is reported late if it closed after their deadlines).
    * 回访 (revisit): working days from closing (办结).
The lead's scheduler passes the data in; nothing here reads a clock or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from liandong.core.clock import as_cst
from liandong.core.errors import InvalidInput
from liandong.supervision.calendar import WorkingCalendar, add_working_days, add_working_hours
from liandong.supervision.limits import TimeLimits


class Milestone(StrEnum):  # 时限节点
    SIGN = "sign"  # 签收
    REPLY = "reply"  # 答复
    CLOSE = "close"  # 办结
    REVISIT = "revisit"  # 回访


MILESTONE_LABELS = {Milestone.SIGN: "签收", Milestone.REPLY: "答复", Milestone.CLOSE: "办结", Milestone.REVISIT: "回访"}


@dataclass(frozen=True)
class OrderTimes:  # 工单时间要素
    """The plain data of an order that supervision needs; times are Beijing time (naive = CST)."""

    opened_at: datetime  # 受理
    category_code: str | None = None
    category_group: str | None = None
    level: str | None = None
    dispatched_at: datetime | None = None  # latest 派单
    signed_at: datetime | None = None  # latest 签收
    replied_at: datetime | None = None  # 答复
    closed_at: datetime | None = None  # 办结
    revisited_at: datetime | None = None  # 回访
    extension_days: int = 0  # 延期 granted, working days
    chased_at: datetime | None = None  # latest 催办
    supervised_at: datetime | None = None  # latest 督办

    def __post_init__(self) -> None:
        if isinstance(self.extension_days, bool) or not isinstance(self.extension_days, int) or self.extension_days < 0:
            raise InvalidInput(f"延期工作日数必须是非负整数，收到：{self.extension_days!r}")


@dataclass(frozen=True)
class Deadline:  # 时限
    milestone: Milestone
    started_at: datetime  # when this clock started (before moving to the next working moment)
    due_at: datetime
    done_at: datetime | None  # None while the step is still open
    provisional: bool  # the span crossed days with no known official schedule

    @property
    def label(self) -> str:
        return MILESTONE_LABELS[self.milestone]


def due_at(start: datetime, cal: WorkingCalendar, *, working_days: int | None = None, working_hours: float | None = None) -> datetime:
    """`deadline(opened_at, limit, calendar)`: exactly one of working_days / working_hours."""
    if (working_days is None) == (working_hours is None):
        raise InvalidInput("请指定工作日数或工作小时数（二选一）")
    if working_days is not None:
        return add_working_days(start, working_days, cal)
    return add_working_hours(start, working_hours, cal)  # type: ignore[arg-type]


def _deadline(milestone: Milestone, start: datetime, due: datetime, done: datetime | None, cal: WorkingCalendar) -> Deadline:
    start = as_cst(start)
    return Deadline(milestone, start, due, as_cst(done) if done else None, cal.provisional_between(start.date(), due.date()))


def order_deadlines(order: OrderTimes, limits: TimeLimits, cal: WorkingCalendar) -> tuple[Deadline, ...]:
    """Every deadline that applies to the order so far, in process order."""
    out: list[Deadline] = []
    if order.dispatched_at is not None:
        dispatched = as_cst(order.dispatched_at)
        signed = order.signed_at if order.signed_at and as_cst(order.signed_at) >= dispatched else None
        due = add_working_hours(dispatched, limits.sign_within_hours, cal)
        out.append(_deadline(Milestone.SIGN, dispatched, due, signed or order.closed_at, cal))
    due = add_working_days(order.opened_at, limits.reply_within_days, cal)
    out.append(_deadline(Milestone.REPLY, order.opened_at, due, order.replied_at or order.closed_at, cal))
    due = add_working_days(order.opened_at, limits.close_within_days + order.extension_days, cal)
    out.append(_deadline(Milestone.CLOSE, order.opened_at, due, order.closed_at, cal))
    if order.closed_at is not None:
        due = add_working_days(order.closed_at, limits.revisit_within_days, cal)
        out.append(_deadline(Milestone.REVISIT, order.closed_at, due, order.revisited_at, cal))
    return tuple(out)
