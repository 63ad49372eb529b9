"""Warning lights (红黄灯预警) and the supervision actions due (催办 / 督办).

For each open step the share of its working time already used decides the light:
    正常 ok        used < yellow_at (e.g. 80 %)
    黄灯 warning   yellow_at <= used, not yet due
    红灯 overdue   now >= due
The order's light is the worst light of its open steps (finished steps are reported as met or late
and no longer light the order).

Actions, one per overdue step, never repeated for the same lapse:
    CHASE (催办)     the step is overdue and no chase was sent at or after its due moment
    SUPERVISE (督办)  the step is still open `supervise_after_days` working days after its due moment
                     (close of business of that working day) and no 督办 since the due moment
The scheduler sends the action, records `chased_at` / `supervised_at`, and calls `assess` again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from liandong.core.clock import as_cst
from liandong.supervision.calendar import WorkingCalendar, add_working_days, working_time_between
from liandong.supervision.deadlines import Deadline, Milestone, OrderTimes, order_deadlines
from liandong.supervision.limits import TimeLimitPolicy


class Light(StrEnum):  # 预警灯
    OK = "ok"  # 正常
    WARNING = "warning"  # 黄灯
    OVERDUE = "overdue"  # 红灯


LIGHT_LABELS = {Light.OK: "正常", Light.WARNING: "黄灯", Light.OVERDUE: "红灯"}
_RANK = {Light.OK: 0, Light.WARNING: 1, Light.OVERDUE: 2}


class Reminder(StrEnum):  # what supervision sends when a step is late
    CHASE = "chase"  # 催办
    SUPERVISE = "supervise"  # 督办


REMINDER_LABELS = {Reminder.CHASE: "催办", Reminder.SUPERVISE: "督办"}


@dataclass(frozen=True)
class StepStatus:  # 节点状态
    deadline: Deadline
    light: Light | None  # None when the step is finished
    used: float  # share of the allowed working time used (at `now`, or at completion)
    late: bool  # finished after its deadline, or open past it
    overdue_by: timedelta  # working time past the deadline (0 when not late)


@dataclass(frozen=True)
class ActionDue:  # 待执行的督办动作
    action: Reminder
    milestone: Milestone
    due_at: datetime  # the missed deadline
    reason: str  # Chinese, for the supervisor's screen


@dataclass(frozen=True)
class Assessment:  # 时限评估
    light: Light
    steps: tuple[StepStatus, ...]
    actions: tuple[ActionDue, ...]
    provisional: bool  # some deadline crossed days with no official schedule

    @property
    def label(self) -> str:
        return LIGHT_LABELS[self.light]


def _share(deadline: Deadline, until: datetime, cal: WorkingCalendar) -> float:
    allowed = working_time_between(deadline.started_at, deadline.due_at, cal)
    if allowed <= timedelta():
        return 1.0
    return working_time_between(deadline.started_at, until, cal) / allowed


def step_status(deadline: Deadline, now: datetime, *, yellow_at: float, cal: WorkingCalendar) -> StepStatus:
    """The light of one step at `now` (None for a finished step)."""
    until = deadline.done_at or now
    used = _share(deadline, until, cal)
    late = until > deadline.due_at
    overdue_by = working_time_between(deadline.due_at, until, cal) if late else timedelta()
    if deadline.done_at is not None:
        return StepStatus(deadline, None, used, late, overdue_by)
    light = Light.OVERDUE if now >= deadline.due_at else Light.WARNING if used >= yellow_at else Light.OK
    return StepStatus(deadline, light, used, late, overdue_by)


def assess(order: OrderTimes, now: datetime, *, policy: TimeLimitPolicy, cal: WorkingCalendar) -> Assessment:
    """Lights and actions of one order at `now`; pure, so the scheduler may call it for every open order."""
    now = as_cst(now)
    limits = policy.limits_for(order.category_code, order.category_group, order.level)
    steps = tuple(
        step_status(d, now, yellow_at=policy.warning.yellow_at, cal=cal) for d in order_deadlines(order, limits, cal)
    )
    open_lights = [s.light for s in steps if s.light is not None]
    light = max(open_lights, key=_RANK.__getitem__, default=Light.OK)
    actions: list[ActionDue] = []
    chased = as_cst(order.chased_at) if order.chased_at else None
    supervised = as_cst(order.supervised_at) if order.supervised_at else None
    for step in steps:
        if step.light is not Light.OVERDUE:
            continue
        d = step.deadline
        if chased is None or chased < d.due_at:
            actions.append(ActionDue(Reminder.CHASE, d.milestone, d.due_at, f"{d.label}已超期（时限 {d.due_at:%Y-%m-%d %H:%M}），需催办"))
        supervise_at = add_working_days(d.due_at, policy.chase.supervise_after_days, cal)
        if now >= supervise_at and (supervised is None or supervised < d.due_at):
            actions.append(
                ActionDue(
                    Reminder.SUPERVISE,
                    d.milestone,
                    d.due_at,
                    f"{d.label}超期已逾 {policy.chase.supervise_after_days} 个工作日仍未完成，需督办",
                )
            )
    return Assessment(light, steps, tuple(actions), any(s.deadline.provisional for s in steps))
