"""Use cases of analytics (统计分析): KPI tables and rankings, trends and the orders behind a figure.

Every method takes the caller's read session and actor; the figures are aggregates in the database
(`queries.kpi_counts`), labelled and scored here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from liandong.analytics import rollup
from liandong.analytics.calls_service import CALL_GROUPS, call_counts
from liandong.analytics.kpis import Kpis, composite_score, rate
from liandong.analytics.periods import Grain, Period, buckets
from liandong.analytics.queries import GROUPS, figure_orders, kpi_counts
from liandong.analytics.rollup import rolled_days
from liandong.analytics.scope import counts_scope
from liandong.core.actors import Actor
from liandong.orders.scope import scope_filter
from liandong.regions.registry import CityRegistry

DESK_LABELS = {"12345": "12345 热线", "110": "110 报警台"}


@dataclass(frozen=True)
class Figure:  # 一项指标的数值
    code: str
    name: str
    numerator: int
    denominator: int
    rate: float | None  # None: nothing to count (无数据)
    higher_is_better: bool
    available: bool = True  # False: the measure needs data the city has not supplied (话务数据) for this figure


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    figures: dict[str, Figure]
    score: float | None
    rank: int | None = None


@dataclass(frozen=True)
class Table:  # 指标表
    period: Period
    group: str
    rows: list[Row]
    total: Row
    composite_name: str
    codes: list[str] = field(default_factory=list)


@dataclass
class Analytics:  # 统计分析
    city: CityRegistry
    kpis: Kpis

    def label(self, group: str, key: str) -> str:
        if key == "":
            return "未知"
        if group in ("street", "district"):
            region = self.city.regions.get(key)
            return region.name if region else key
        if group == "unit":
            unit = self.city.units.get(key)
            return unit.name if unit else key
        if group == "desk":
            return DESK_LABELS.get(key, key)
        return key

    def _row(self, key: str, label: str, counts: dict[str, tuple[int, int]]) -> Row:
        figures = {}
        for k in self.kpis.defs:
            num, den = counts.get(k.code, (0, 0))
            available = not k.needs_calls or den > 0  # no call data for it: 无数据, never 0 %
            figures[k.code] = Figure(k.code, k.name, num, den, rate(num, den) if available else None,
                                     k.higher_is_better, available=available)
        return Row(key, label, figures, composite_score({c: f.rate for c, f in figures.items()}, self.kpis.composite))

    def table(self, session: Session, *, actor: Actor, period: Period, group: str = "unit", as_of: datetime,
              where=None) -> Table:
        """The measures of `period` per group, ranked by the composite score (best first), with the total;
        from the daily roll-up when it holds every day of the period."""
        counts = rollup.period_counts(session, actor, group, period.start, period.end) if where is None else None
        if counts is None:  # a day the roll-up does not hold, a grouping it has no column for, or a filter
            counts = kpi_counts(session, self.kpis, start=period.start, end=period.end, group=group,
                                scope=counts_scope(actor), as_of=as_of, where=where)
        calls = {} if where is not None else call_counts(session, self.kpis, start=period.start, end=period.end,
                                                         group=group, actor=actor)  # a filtered table has no calls
        for key, c in calls.items():  # 话务数据: the 12345 desk's, by day, or the whole city's
            counts.setdefault(key, {}).update(c)
        rows = [self._row(key, self.label(group, key), c) for key, c in counts.items()] if group != "all" else []
        rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.label))
        rows = [Row(r.key, r.label, r.figures, r.score, i + 1 if r.score is not None else None)
                for i, r in enumerate(rows)]
        summed: dict[str, tuple[int, int]] = {}  # every grouping partitions the orders: the total is the sum
        for c in counts.values():
            for code, (n, d) in c.items():
                a, b = summed.get(code, (0, 0))
                summed[code] = (a + n, b + d)
        if where is None and group not in CALL_GROUPS:  # calls belong to no unit, street or category: total only
            summed.update(call_counts(session, self.kpis, start=period.start, end=period.end, group="all",
                                      actor=actor).get("all", {}))
        total = self._row("all", "合计", summed)
        return Table(period, group, rows, total, self.kpis.composite.name, [k.code for k in self.kpis.defs])

    def trend(self, session: Session, *, actor: Actor, period: Period, grain: Grain, as_of: datetime,
              where=None) -> list[tuple[Period, Row]]:
        """The total of each `grain` bucket across `period`: by day from the roll-up (`rollup`) where it holds
        the day, else from the orders, summed into the buckets."""
        rolled = rolled_days(session, period.start, period.end) if where is None else set()
        daily = rollup.daily_counts(session, actor, rolled)
        live = [d for d in period.days() if d not in rolled]
        if live:  # the days the roll-up does not hold (today, or never rolled up): from the orders
            daily.update(kpi_counts(session, self.kpis, start=min(live), end=max(live) + timedelta(days=1),
                                    group="day", scope=counts_scope(actor), as_of=as_of, where=where))
        if where is None:  # 话务数据 by day (a filtered trend, e.g. one street's, has no calls)
            for day, c in call_counts(session, self.kpis, start=period.start, end=period.end, group="day",
                                      actor=actor).items():
                daily.setdefault(day, {}).update(c)
        out = []
        for bucket in buckets(period, grain):
            summed: dict[str, tuple[int, int]] = {}
            for day in bucket.days():
                for code, (n, d) in daily.get(day.isoformat(), {}).items():
                    a, b = summed.get(code, (0, 0))
                    summed[code] = (a + n, b + d)
            out.append((bucket, self._row(bucket.label, bucket.title, summed)))
        return out

    def drill(self, session: Session, *, actor: Actor, platform: str, code: str, period: Period, part: str,
              group: str = "all", key: str | None = None, as_of: datetime, limit: int = 200) -> tuple[int, list[dict]]:
        """The orders behind one figure, those the viewer may open (their platform, unit, region)."""
        if group not in GROUPS:
            group = "all"
        return figure_orders(session, self.kpis.get(code), start=period.start, end=period.end, part=part,
                             group=group, key=key, scope=scope_filter(actor, platform), as_of=as_of, limit=limit)
