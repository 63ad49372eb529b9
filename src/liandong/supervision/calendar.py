"""The working calendar (工作日历) and the arithmetic of working time.

Which days are working days
    The official source is `chinese_calendar` (the State Council's yearly 放假安排, including the
    调休 make-up working days on weekends). A city may add working days or holidays on top, because
    next year's schedule is published late (usually November or December) and the library lags.
    Overrides always win. A date the official source does not cover (outside its years) falls back
    to "Monday–Friday work, weekends off" plus the overrides; such dates are reported by
    `WorkingCalendar.is_official` and any deadline that crossed them is *provisional* (see
    `WorkingCalendar.provisional_between`), so callers can say so to users.

Working hours
    A day's working time is a tuple of periods, by default 09:00–12:00 and 13:30–17:30 (lunch
    break excluded). A moment is *working* when it lies in [start, end) of a period on a working
    day. All datetimes are Beijing time: naive values are read as CST, aware ones are converted.

Semantics (chosen once, used everywhere)
    * The clock starts at the *next working moment*: an order received on a Friday evening before
      National Day starts counting at 09:00 on the first working day after the holiday.
    * `add_working_hours(start, h)`: the moment at which exactly `h` hours of working time have
      elapsed since the clock started. A deadline that falls exactly at the end of a period is that
      end (17:30), not the next morning.
    * `add_working_days(start, n)`: close of business of the n-th working day *after* the day on
      which the clock starts. The start day itself is not counted (as in 民法典 第二百零一条: the
      day an event happens is not counted in a period reckoned in days), so every order whose clock
      starts on the same day gets the same deadline, whatever the hour.
    * `working_time_between(a, b)`: the working time in [a, b); zero when b <= a.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from liandong.core.clock import CST, as_cst
from liandong.core.errors import InvalidInput

DEFAULT_PERIODS: tuple[tuple[time, time], ...] = ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 30)))

MAX_WORKING_DAYS = 366  # a limit longer than a year of working days is a data error, not a policy
MAX_WORKING_HOURS = 2000.0
_MAX_SCAN_DAYS = 3 * 366  # no real calendar has this many holidays in a row


def official_workday(day: date) -> bool | None:
    """Ask chinese_calendar; None when the library has no data for that year."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@dataclass
class WorkingCalendar:  # 工作日历
    """Working days and working hours of one city. Build it once and pass it in."""

    periods: tuple[tuple[time, time], ...] = DEFAULT_PERIODS
    extra_working_days: frozenset[date] = frozenset()  # 调休上班 the official source does not know yet
    extra_holidays: frozenset[date] = frozenset()  # 放假 the official source does not know yet
    source: Callable[[date], bool | None] | None = official_workday
    _cache: dict[date, tuple[bool, bool]] = field(default_factory=dict, repr=False, compare=False)
    _next: dict[date, date] = field(default_factory=dict, repr=False, compare=False)  # every order's deadlines ask
    _provisional: dict[tuple[date, date], bool] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.periods = tuple(self.periods)
        self.extra_working_days = frozenset(self.extra_working_days)
        self.extra_holidays = frozenset(self.extra_holidays)
        if not self.periods:
            raise InvalidInput("工作时段不能为空")
        previous_end: time | None = None
        for start, end in self.periods:
            if start >= end:
                raise InvalidInput(f"工作时段 {start:%H:%M}–{end:%H:%M} 的开始时间必须早于结束时间")
            if previous_end is not None and start < previous_end:
                raise InvalidInput(f"工作时段 {start:%H:%M}–{end:%H:%M} 与前一时段重叠或顺序颠倒")
            previous_end = end
        both = self.extra_working_days & self.extra_holidays
        if both:
            raise InvalidInput(f"日期 {min(both).isoformat()} 同时被设为工作日和节假日")

    # -- days -----------------------------------------------------------------------------------

    def _lookup(self, day: date) -> tuple[bool, bool]:
        """(is working day, decided by an official or explicit source)."""
        hit = self._cache.get(day)
        if hit is None:
            if day in self.extra_working_days:
                hit = (True, True)
            elif day in self.extra_holidays:
                hit = (False, True)
            else:
                official = self.source(day) if self.source else None
                hit = (official, True) if official is not None else (day.weekday() < 5, False)
            self._cache[day] = hit
        return hit

    def is_working_day(self, day: date) -> bool:
        """A working day: official schedule, city overrides first, weekends-off fallback last."""
        return self._lookup(day)[0]

    def is_official(self, day: date) -> bool:
        """False when the day was decided by the weekend fallback (no schedule known for it)."""
        return self._lookup(day)[1]

    def provisional_between(self, a: date, b: date) -> bool:
        """True if any day in [a, b] was decided by the fallback: a deadline over it may move."""
        if b < a:
            a, b = b, a
        if (b - a).days > _MAX_SCAN_DAYS:
            raise InvalidInput("日期范围过长")
        hit = self._provisional.get((a, b))
        if hit is None:
            hit = self._provisional[(a, b)] = any(not self.is_official(a + timedelta(days=i)) for i in range((b - a).days + 1))
        return hit

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        hit = self._next.get(day)
        if hit is not None:
            return hit
        for i in range(1, _MAX_SCAN_DAYS):
            candidate = day + timedelta(days=i)
            if self.is_working_day(candidate):
                self._next[day] = candidate
                return candidate
        raise InvalidInput(f"{day.isoformat()} 之后很长时间内没有工作日，请检查日历配置")

    # -- moments --------------------------------------------------------------------------------

    def _at(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=CST)

    def day_length(self) -> timedelta:
        """Working time in one working day."""
        return sum((_span(s, e) for s, e in self.periods), timedelta())

    def close_of_business(self, day: date) -> datetime:
        return self._at(day, self.periods[-1][1])

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself if it is working time, else the start of the next working period."""
        moment = as_cst(moment)
        day = moment.date()
        if self.is_working_day(day):
            for start, end in self.periods:
                if moment.time() < end:
                    return max(moment, self._at(day, start))
        return self._at(self.next_working_day(day), self.periods[0][0])

    def working_periods(self, day: date) -> Iterable[tuple[datetime, datetime]]:
        if self.is_working_day(day):
            for start, end in self.periods:
                yield self._at(day, start), self._at(day, end)


def _span(start: time, end: time) -> timedelta:
    return datetime.combine(date.min, end) - datetime.combine(date.min, start)


def _check_number(value: object, limit: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(f"{what}必须是数字，收到：{value!r}")
    if value != value or value <= 0:  # NaN or not positive
        raise InvalidInput(f"{what}必须大于 0，收到：{value}")
    if value > limit:
        raise InvalidInput(f"{what}不能超过 {limit:g}，收到：{value}")
    return float(value)


def add_working_days(start: datetime, n: int, cal: WorkingCalendar) -> datetime:
    """Close of business of the n-th working day after the day the clock starts (see module doc)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidInput(f"工作日数必须是整数，收到：{n!r}")
    _check_number(n, MAX_WORKING_DAYS, "工作日数")
    day = cal.next_working_moment(start).date()
    for _ in range(n):
        day = cal.next_working_day(day)
    return cal.close_of_business(day)


def add_working_hours(start: datetime, hours: float, cal: WorkingCalendar) -> datetime:
    """The moment when `hours` of working time have elapsed since the clock started."""
    remaining = timedelta(hours=_check_number(hours, MAX_WORKING_HOURS, "工作小时数"))
    moment = cal.next_working_moment(start)
    day = moment.date()
    while True:
        for period_start, period_end in cal.working_periods(day):
            if period_end <= moment:
                continue
            begin = max(moment, period_start)
            available = period_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day = cal.next_working_day(day)
        moment = cal._at(day, cal.periods[0][0])


def working_time_between(a: datetime, b: datetime, cal: WorkingCalendar) -> timedelta:
    """Working time in [a, b); zero when b <= a. Used for the share of a time limit already used."""
    a, b = as_cst(a), as_cst(b)
    if b <= a:
        return timedelta()
    if (b.date() - a.date()).days > _MAX_SCAN_DAYS:
        raise InvalidInput("时间范围过长（超过三年）")
    total = timedelta()
    day = a.date()
    while day <= b.date():
        for period_start, period_end in cal.working_periods(day):
            lo, hi = max(a, period_start), min(b, period_end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total
