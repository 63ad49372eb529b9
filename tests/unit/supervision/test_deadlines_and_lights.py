"""Deadlines and lights of one order, on the frozen clock of 2026-09-30 16:00 (before National Day)."""

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from liandong.core.clock import CST, FrozenClock
from liandong.core.errors import InvalidInput
from liandong.supervision.deadlines import Milestone, OrderTimes, due_at, order_deadlines
from liandong.supervision.limits import load_time_limits

FIXTURE = Path(__file__).with_name("time_limits_fixture.yaml")
from liandong.supervision.warnings import Light, Reminder, assess


def at(m, d, hh=0, mm=0, y=2026):
    return datetime(y, m, d, hh, mm, tzinfo=CST)


@pytest.fixture(scope="module")
def policy():
    return load_time_limits(FIXTURE)


@pytest.fixture(scope="module")
def cal(policy):
    return policy.working_calendar()


@pytest.fixture
def clock():
    return FrozenClock(datetime(2026, 9, 30, 16, 0))


ORDER = OrderTimes(opened_at=at(9, 30, 10), dispatched_at=at(9, 30, 10, 30), category_group="环境保护", level="normal")


def by_step(deadlines):
    return {d.milestone: d for d in deadlines}


def test_deadlines_cross_national_day_and_the_make_up_saturday(policy, cal):
    ds = by_step(order_deadlines(ORDER, policy.limits_for(None, "环境保护", "normal"), cal))
    assert ds[Milestone.SIGN].due_at == at(9, 30, 14, 0)  # 1.5 h before lunch + 0.5 h after
    assert ds[Milestone.REPLY].due_at == at(10, 10, 17, 30)  # 10-08, 10-09, Saturday 10-10
    assert ds[Milestone.CLOSE].due_at == at(10, 20, 17, 30)
    assert Milestone.REVISIT not in ds
    assert not any(d.provisional for d in ds.values())


def test_extension_moves_only_the_close_deadline(policy, cal):
    extended = replace(ORDER, extension_days=5)
    ds = by_step(order_deadlines(extended, policy.limits_for(None, "环境保护", None), cal))
    assert ds[Milestone.CLOSE].due_at == at(10, 27, 17, 30)
    assert ds[Milestone.REPLY].due_at == at(10, 10, 17, 30)
    with pytest.raises(InvalidInput):
        replace(ORDER, extension_days=-1)


def test_revisit_counts_from_closing_and_a_stale_signature_does_not_count(policy, cal):
    limits = policy.limits_for(None, "环境保护", None)
    stale = by_step(order_deadlines(replace(ORDER, signed_at=at(9, 30, 9, 0)), limits, cal))
    assert stale[Milestone.SIGN].done_at is None  # signed before the latest dispatch: previous unit
    order = replace(ORDER, signed_at=at(9, 30, 11, 0), closed_at=at(10, 9, 11))
    ds = by_step(order_deadlines(order, limits, cal))
    assert ds[Milestone.SIGN].done_at == at(9, 30, 11, 0)
    assert ds[Milestone.REVISIT].due_at == at(10, 13, 17, 30)  # 10-10 (make-up Saturday), 10-12, 10-13


def test_deadline_helper_wants_exactly_one_limit(cal):
    assert due_at(at(9, 30, 16), cal, working_days=1) == at(10, 8, 17, 30)
    assert due_at(at(9, 30, 16), cal, working_hours=1) == at(9, 30, 17, 0)
    with pytest.raises(InvalidInput):
        due_at(at(9, 30, 16), cal)
    with pytest.raises(InvalidInput):
        due_at(at(9, 30, 16), cal, working_days=1, working_hours=1)


def test_unsigned_order_is_red_and_needs_a_chase(policy, cal, clock):
    a = assess(ORDER, clock.now(), policy=policy, cal=cal)
    assert a.light is Light.OVERDUE and a.label == "红灯"
    assert [(x.action, x.milestone) for x in a.actions] == [(Reminder.CHASE, Milestone.SIGN)]
    assert "签收已超期" in a.actions[0].reason
    sign = a.steps[0]
    assert sign.overdue_by == timedelta(hours=2)  # 14:00 → 16:00


def test_chase_is_not_repeated_and_escalation_comes_after_two_more_working_days(policy, cal, clock):
    chased = replace(ORDER, chased_at=at(9, 30, 14, 5))
    assert assess(chased, clock.now(), policy=policy, cal=cal).actions == ()
    # escalation moment: close of business of the 2nd working day after 09-30 → 10-09 17:30
    assert assess(chased, at(10, 9, 17, 29), policy=policy, cal=cal).actions == ()
    due = assess(chased, at(10, 9, 17, 30), policy=policy, cal=cal).actions
    assert [(x.action, x.milestone) for x in due] == [(Reminder.SUPERVISE, Milestone.SIGN)]
    done = replace(chased, supervised_at=at(10, 9, 17, 31))
    assert assess(done, at(10, 9, 18), policy=policy, cal=cal).actions == ()


def test_yellow_light_at_eighty_percent_of_working_time(policy, cal):
    signed = replace(ORDER, signed_at=at(9, 30, 11))
    # reply: 27 working hours allowed (6 on 09-30, 7 each on 10-08/09/10)
    assert assess(signed, at(10, 10, 10, 0), policy=policy, cal=cal).light is Light.OK  # 21 h = 77.8 %
    a = assess(signed, at(10, 10, 12, 0), policy=policy, cal=cal)  # 23 h = 85 %
    assert a.light is Light.WARNING and a.label == "黄灯"
    assert a.actions == ()
    assert assess(signed, at(10, 5, 12, 0), policy=policy, cal=cal).light is Light.OK  # holiday: clock stopped


def test_finished_steps_report_lateness_but_do_not_light_the_order(policy, cal):
    late = replace(ORDER, signed_at=at(9, 30, 15), replied_at=at(10, 8, 9), closed_at=at(10, 8, 10))
    a = assess(late, at(10, 8, 11), policy=policy, cal=cal)
    sign = a.steps[0]
    assert sign.light is None and sign.late and sign.overdue_by == timedelta(hours=1)
    assert a.light is Light.OK  # only the revisit is open, and it has just started
    assert [s.deadline.milestone for s in a.steps] == [Milestone.SIGN, Milestone.REPLY, Milestone.CLOSE, Milestone.REVISIT]


def test_a_new_lapse_needs_a_new_chase(policy, cal):
    order = replace(ORDER, signed_at=at(9, 30, 11), replied_at=at(10, 8, 9), chased_at=at(9, 30, 14, 5))
    a = assess(order, at(10, 21, 9), policy=policy, cal=cal)  # close was due 10-20 17:30
    assert [(x.action, x.milestone) for x in a.actions] == [(Reminder.CHASE, Milestone.CLOSE)]


def test_deadlines_past_the_known_schedule_are_provisional(policy, cal):
    order = OrderTimes(opened_at=at(12, 28, 10), category_group="环境保护")
    a = assess(order, at(12, 29, 10), policy=policy, cal=cal)
    assert a.provisional
    assert not assess(ORDER, at(10, 8, 10), policy=policy, cal=cal).provisional


def test_closing_ends_steps_without_their_own_time(policy, cal):
    closed = replace(ORDER, closed_at=at(10, 9, 10))  # never signed or replied on record
    a = assess(closed, at(10, 12, 10), policy=policy, cal=cal)
    assert a.light is Light.OK and a.actions == ()
    sign, reply = a.steps[0], a.steps[1]
    assert sign.light is None and sign.late  # closing came after the 14:00 sign deadline
    assert reply.light is None and not reply.late
