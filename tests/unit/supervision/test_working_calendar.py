"""Working calendar: days, hours, and the three pieces of arithmetic.

Official dates below were read from chinese_calendar 1.11 (not guessed):
National Day 2026 is 10-01..10-07 with make-up Saturday 10-10 (and Sunday 09-20);
Mid-Autumn 2026 is 09-25..09-27; Spring Festival 2026 is 02-15..02-23 with make-up Saturdays
02-14 and 02-28; New Year 2026 is 01-01..01-03 with make-up Sunday 01-04.
"""

from datetime import date, datetime, time, timedelta

import pytest

from liandong.core.clock import CST, FrozenClock
from liandong.core.errors import InvalidInput
from liandong.supervision.calendar import (
    WorkingCalendar,
    add_working_days,
    add_working_hours,
    working_time_between,
)

CAL = WorkingCalendar()


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=CST)


# -- days ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 9, 30), True),  # Wednesday before National Day
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # make-up Saturday
        (date(2026, 10, 11), False),  # ordinary Sunday
        (date(2026, 9, 20), True),  # make-up Sunday
        (date(2026, 9, 25), False),  # Mid-Autumn Friday
        (date(2026, 2, 14), True),  # make-up Saturday before Spring Festival
        (date(2026, 2, 16), False),
        (date(2026, 2, 23), False),
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # make-up Saturday after Spring Festival
        (date(2026, 1, 2), False),
        (date(2026, 1, 4), True),  # make-up Sunday
        (date(2025, 12, 31), True),
    ],
)
def test_official_days(day, working):
    assert CAL.is_working_day(day) is working
    assert CAL.is_official(day)


def test_days_outside_the_library_fall_back_to_weekends_and_say_so():
    assert CAL.is_working_day(date(2027, 1, 4))  # Monday
    assert not CAL.is_working_day(date(2027, 1, 2))  # Saturday
    assert not CAL.is_official(date(2027, 1, 4))
    assert CAL.provisional_between(date(2026, 12, 30), date(2027, 1, 4))
    assert not CAL.provisional_between(date(2026, 12, 1), date(2026, 12, 31))
    assert CAL.is_working_day(date(2003, 1, 1)) and not CAL.is_official(date(2003, 1, 1))  # before the library too


def test_city_overrides_win_over_fallback_and_official_source():
    cal = WorkingCalendar(
        extra_holidays=frozenset({date(2027, 1, 1), date(2026, 12, 31)}),
        extra_working_days=frozenset({date(2026, 10, 11)}),
    )
    assert not cal.is_working_day(date(2027, 1, 1))  # a Friday, declared a holiday
    assert cal.is_official(date(2027, 1, 1))
    assert not cal.is_working_day(date(2026, 12, 31))
    assert cal.is_working_day(date(2026, 10, 11))


def test_calendar_rejects_bad_configuration():
    with pytest.raises(InvalidInput):
        WorkingCalendar(periods=((time(12), time(9)),))
    with pytest.raises(InvalidInput):
        WorkingCalendar(periods=((time(9), time(12)), (time(11), time(17))))
    with pytest.raises(InvalidInput):
        WorkingCalendar(periods=())
    with pytest.raises(InvalidInput):
        WorkingCalendar(extra_holidays=frozenset({date(2027, 1, 1)}), extra_working_days=frozenset({date(2027, 1, 1)}))


def test_a_source_that_knows_nothing_means_weekends_only():
    cal = WorkingCalendar(source=None)
    assert cal.is_working_day(date(2026, 10, 1))  # Thursday, no holiday known
    assert not cal.is_working_day(date(2026, 10, 10))


# -- working days ---------------------------------------------------------------------------------


def test_frozen_clock_before_national_day_crosses_the_holiday_and_the_make_up_saturday():
    now = FrozenClock(datetime(2026, 9, 30, 16, 0)).now()
    # start day 09-30 not counted; 10-08, 10-09, 10-10 (Sat, make-up), 10-12
    assert add_working_days(now, 1, CAL) == at(2026, 10, 8, 17, 30)
    assert add_working_days(now, 3, CAL) == at(2026, 10, 10, 17, 30)
    assert add_working_days(now, 4, CAL) == at(2026, 10, 12, 17, 30)


def test_friday_evening_before_a_holiday_starts_at_the_next_working_moment():
    # Wednesday 09-30 evening: clock starts 10-08 09:00, so day 1 is 10-09
    assert add_working_days(at(2026, 9, 30, 19, 0), 1, CAL) == at(2026, 10, 9, 17, 30)
    assert add_working_days(at(2026, 9, 24, 18, 0), 1, CAL) == at(2026, 9, 29, 17, 30)  # Mid-Autumn


def test_same_start_day_same_deadline_whatever_the_hour():
    expected = at(2026, 11, 3, 17, 30)
    for hh, mm in [(9, 0), (11, 59), (12, 30), (17, 29)]:
        assert add_working_days(at(2026, 11, 2, hh, mm), 1, CAL) == expected
    assert add_working_days(at(2026, 11, 2, 7, 0), 1, CAL) == expected  # before opening


def test_weekend_start():
    # Saturday 11-07: clock starts Monday 11-09; day 1 = Tuesday 11-10
    assert add_working_days(at(2026, 11, 7, 10), 1, CAL) == at(2026, 11, 10, 17, 30)
    assert add_working_days(at(2026, 11, 6, 10), 5, CAL) == at(2026, 11, 13, 17, 30)


def test_year_end_2025_to_2026():
    # 12-31 (Wed) start; 01-01..01-03 off; 01-04 Sunday make-up; 01-05 Monday
    assert add_working_days(at(2025, 12, 31, 10), 1, CAL) == at(2026, 1, 4, 17, 30)
    assert add_working_days(at(2025, 12, 31, 10), 2, CAL) == at(2026, 1, 5, 17, 30)


def test_year_end_2026_to_2027_uses_fallback_and_overrides():
    assert add_working_days(at(2026, 12, 31, 10), 1, CAL) == at(2027, 1, 1, 17, 30)  # fallback: Friday
    cal = WorkingCalendar(extra_holidays=frozenset({date(2027, 1, 1)}))
    assert add_working_days(at(2026, 12, 31, 10), 1, cal) == at(2027, 1, 4, 17, 30)


def test_spring_festival_2026():
    # Friday 02-13 start: 02-14 (Sat make-up) is day 1, then the holiday to 02-23, 02-24 is day 2
    assert add_working_days(at(2026, 2, 13, 10), 1, CAL) == at(2026, 2, 14, 17, 30)
    assert add_working_days(at(2026, 2, 13, 10), 2, CAL) == at(2026, 2, 24, 17, 30)
    assert add_working_days(at(2026, 2, 13, 10), 6, CAL) == at(2026, 2, 28, 17, 30)


@pytest.mark.parametrize("bad", [0, -1, 367, 10**9, 1.5, True, "3", None])
def test_bad_day_counts_are_refused(bad):
    with pytest.raises(InvalidInput):
        add_working_days(at(2026, 11, 2, 10), bad, CAL)


def test_a_full_year_is_allowed():
    assert add_working_days(at(2026, 1, 5, 10), 366, CAL).year == 2027


# -- working hours --------------------------------------------------------------------------------


def test_hours_inside_one_period():
    assert add_working_hours(at(2026, 11, 2, 9, 0), 2, CAL) == at(2026, 11, 2, 11, 0)


def test_hours_skip_the_lunch_break():
    assert add_working_hours(at(2026, 11, 2, 11, 0), 2, CAL) == at(2026, 11, 2, 14, 30)
    assert add_working_hours(at(2026, 11, 2, 12, 15), 1, CAL) == at(2026, 11, 2, 14, 30)


def test_hours_ending_exactly_at_close_stay_on_that_day():
    assert add_working_hours(at(2026, 11, 2, 16, 30), 1, CAL) == at(2026, 11, 2, 17, 30)
    assert add_working_hours(at(2026, 11, 2, 9, 0), 3, CAL) == at(2026, 11, 2, 12, 0)


def test_hours_roll_over_the_night_and_holidays():
    assert add_working_hours(at(2026, 11, 2, 17, 0), 1, CAL) == at(2026, 11, 3, 9, 30)
    assert add_working_hours(at(2026, 9, 30, 16, 0), 2, CAL) == at(2026, 10, 8, 9, 30)  # 1.5 h + 0.5 h
    assert add_working_hours(at(2026, 9, 30, 22, 0), 0.5, CAL) == at(2026, 10, 8, 9, 30)


def test_hours_longer_than_a_day():
    # 7 working hours a day: 16 h from Monday 09:00 = 2 days + 2 h → Wednesday 11:00
    assert add_working_hours(at(2026, 11, 2, 9, 0), 16, CAL) == at(2026, 11, 4, 11, 0)


@pytest.mark.parametrize("bad", [0, -2, 2001, float("nan"), "2"])
def test_bad_hours_are_refused(bad):
    with pytest.raises(InvalidInput):
        add_working_hours(at(2026, 11, 2, 10), bad, CAL)


def test_naive_datetimes_are_beijing_time_and_utc_is_converted():
    from datetime import timezone

    assert add_working_hours(datetime(2026, 11, 2, 9, 0), 1, CAL) == at(2026, 11, 2, 10, 0)
    assert add_working_hours(datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc), 1, CAL) == at(2026, 11, 2, 10, 0)


def test_configurable_hours():
    cal = WorkingCalendar(periods=((time(8, 30), time(12, 0)), (time(14, 0), time(18, 0))))
    assert add_working_hours(at(2026, 11, 2, 11, 0), 2, cal) == at(2026, 11, 2, 15, 0)
    assert add_working_days(at(2026, 11, 2, 11, 0), 1, cal) == at(2026, 11, 3, 18, 0)


# -- working time between -------------------------------------------------------------------------


def test_working_time_between_excludes_lunch_nights_and_holidays():
    assert working_time_between(at(2026, 11, 2, 9), at(2026, 11, 2, 17, 30), CAL) == timedelta(hours=7)
    assert working_time_between(at(2026, 11, 2, 11), at(2026, 11, 2, 14), CAL) == timedelta(hours=1, minutes=30)
    assert working_time_between(at(2026, 9, 30, 16), at(2026, 10, 8, 10), CAL) == timedelta(hours=2, minutes=30)


def test_working_time_between_is_zero_when_reversed_and_inverts_add_working_hours():
    assert working_time_between(at(2026, 11, 3), at(2026, 11, 2), CAL) == timedelta()
    start = at(2026, 9, 30, 15, 10)
    for hours in (0.25, 1, 3.5, 7, 20, 60):
        end = add_working_hours(start, hours, CAL)
        assert working_time_between(start, end, CAL) == timedelta(hours=hours)


def test_hours_across_spring_festival_and_year_ends():
    # Friday 2026-02-13 17:00: half an hour left, then make-up Saturday 02-14, then the holiday to 02-23
    assert add_working_hours(at(2026, 2, 13, 17, 0), 1, CAL) == at(2026, 2, 14, 9, 30)
    assert add_working_hours(at(2026, 2, 14, 17, 0), 1, CAL) == at(2026, 2, 24, 9, 30)
    assert add_working_hours(at(2025, 12, 31, 17, 0), 1, CAL) == at(2026, 1, 4, 9, 30)  # make-up Sunday
    cal = WorkingCalendar(extra_holidays=frozenset({date(2027, 1, 1)}))
    assert add_working_hours(at(2026, 12, 31, 17, 0), 1, cal) == at(2027, 1, 4, 9, 30)


def test_working_time_between_over_holidays_and_into_the_fallback_year():
    # Spring Festival: 02-13 16:00 → 02-24 10:00 = 1.5 (02-13) + 7 (02-14) + 1 (02-24)
    assert working_time_between(at(2026, 2, 13, 16), at(2026, 2, 24, 10), CAL) == timedelta(hours=9, minutes=30)
    # 2026-12-31 (Thursday) all day + 2027-01-01 (Friday, fallback: working) all day
    assert working_time_between(at(2026, 12, 31), at(2027, 1, 2), CAL) == timedelta(hours=14)
