from datetime import date, datetime

from liandong.core.clock import CST
from liandong.knowledge.surge import SurgePolicy, baseline_days, decide

POLICY = SurgePolicy(on_multiple=3.0, off_multiple=1.5, min_arrivals=30)


def test_on_above_the_multiple_off_only_below_the_lower_one():
    assert decide(False, 100, 20.0, POLICY).on is True
    assert decide(False, 50, 20.0, POLICY) is None  # 2.5× — not yet
    assert decide(True, 50, 20.0, POLICY) is None  # still above 1.5×: stays on (hysteresis)
    off = decide(True, 25, 20.0, POLICY)
    assert off.on is False and "低于 1.5 倍" in off.reason
    assert decide(False, 20, 1.0, POLICY) is None  # a quiet slot's small numbers are no surge


def test_the_baseline_is_the_same_kind_of_day():
    rest = {date(2026, 11, 21), date(2026, 11, 22)}  # Saturday, Sunday
    days = baseline_days(datetime(2026, 11, 23, 10, 0, tzinfo=CST), lambda d: d not in rest and d.weekday() < 5, 3)
    assert days == [date(2026, 11, 20), date(2026, 11, 19), date(2026, 11, 18)]
