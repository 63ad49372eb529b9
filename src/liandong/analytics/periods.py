"""Periods as a city writes them (统计周期): `2019-11-05` day, `2019-W46` ISO week, `2019-11` month,
`2019-Q4` quarter, `2019` year. A period is a half-open range of Beijing dates [start, end); 环比 is the
period just before, 同比 the same period a year earlier (for a week: the same ISO week number)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from liandong.core.errors import InvalidInput


class Grain(StrEnum):  # 粒度
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


GRAIN_LABELS = {Grain.DAY: "日", Grain.WEEK: "周", Grain.MONTH: "月", Grain.QUARTER: "季度", Grain.YEAR: "年"}
HINT = "应写作 2019-11-05（日）、2019-W46（周）、2019-11（月）、2019-Q4（季度）或 2019（年）"
_PATTERNS = [
    (Grain.DAY, re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    (Grain.WEEK, re.compile(r"^(\d{4})-W(\d{2})$")),
    (Grain.MONTH, re.compile(r"^(\d{4})-(\d{2})$")),
    (Grain.QUARTER, re.compile(r"^(\d{4})-Q([1-4])$")),
    (Grain.YEAR, re.compile(r"^(\d{4})$")),
]


@dataclass(frozen=True)
class Period:  # 统计周期
    grain: Grain
    label: str
    start: date
    end: date  # exclusive

    @property
    def title(self) -> str:
        """How a report names it: 2019年第46周（11月11日—11月17日）, 2019年11月, 2019年第四季度."""
        last = self.end - timedelta(days=1)
        match self.grain:
            case Grain.DAY:
                return f"{self.start.year}年{self.start.month}月{self.start.day}日"
            case Grain.WEEK:
                return f"{self.label[:4]}年第{int(self.label[6:])}周（{self.start.month}月{self.start.day}日—" \
                       f"{last.month}月{last.day}日）"
            case Grain.MONTH:
                return f"{self.start.year}年{self.start.month}月"
            case Grain.QUARTER:
                return f"{self.start.year}年第{'一二三四'[int(self.label[-1]) - 1]}季度"
        return f"{self.start.year}年"

    def previous(self) -> "Period":  # 环比
        return containing(self.grain, self.start - timedelta(days=1))

    def year_ago(self) -> "Period":  # 同比
        if self.grain is Grain.WEEK:
            year, week = int(self.label[:4]) - 1, int(self.label[6:])
            return parse_period(f"{year}-W{min(week, _weeks_in(year)):02d}")
        if self.grain is Grain.DAY:
            return containing(Grain.DAY, _same_day(self.start, self.start.year - 1))
        return containing(self.grain, _same_day(self.start, self.start.year - 1))

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days)]


def _same_day(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _weeks_in(year: int) -> int:
    return date(year, 12, 28).isocalendar()[1]


def parse_period(text: str) -> Period:
    """The period a city writes, or InvalidInput in Chinese naming the accepted forms."""
    raw = (text or "").strip()
    for grain, pattern in _PATTERNS:
        m = pattern.match(raw)
        if not m:
            continue
        n = [int(g) for g in m.groups()]
        try:
            match grain:
                case Grain.DAY:
                    start = date(n[0], n[1], n[2])
                    return Period(grain, raw, start, start + timedelta(days=1))
                case Grain.WEEK:
                    if not 1 <= n[1] <= _weeks_in(n[0]):
                        raise ValueError
                    start = date.fromisocalendar(n[0], n[1], 1)
                    return Period(grain, raw, start, start + timedelta(days=7))
                case Grain.MONTH:
                    start = date(n[0], n[1], 1)
                    return Period(grain, raw, start, _next_month(start))
                case Grain.QUARTER:
                    start = date(n[0], 3 * n[1] - 2, 1)
                    return Period(grain, raw, start, _next_month(_next_month(_next_month(start))))
                case Grain.YEAR:
                    return Period(grain, raw, date(n[0], 1, 1), date(n[0] + 1, 1, 1))
        except ValueError:
            raise InvalidInput(f"时段「{raw}」不存在（日期或周次超出范围），{HINT}") from None
    raise InvalidInput(f"时段「{raw[:40]}」无法识别，{HINT}")


def containing(grain: Grain, day: date) -> Period:
    """The period of `grain` that contains `day`."""
    match grain:
        case Grain.DAY:
            return parse_period(day.isoformat())
        case Grain.WEEK:
            year, week, _ = day.isocalendar()
            return parse_period(f"{year}-W{week:02d}")
        case Grain.MONTH:
            return parse_period(f"{day.year}-{day.month:02d}")
        case Grain.QUARTER:
            return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    return parse_period(str(day.year))


def buckets(period: Period, grain: Grain) -> list[Period]:
    """The periods of `grain` that cover `period` (a month's weeks, a year's months) for a trend line."""
    out, day = [], period.start
    while day < period.end:
        p = containing(grain, day)
        out.append(p)
        day = p.end
    return out


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)
