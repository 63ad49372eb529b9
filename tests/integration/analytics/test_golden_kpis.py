"""Every demo KPI on the hand-computed golden fixture, exactly, in the database (SQLite and PostgreSQL)."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from liandong.analytics import rollup
from liandong.analytics.kpis import load_kpis
from liandong.analytics.periods import Grain, parse_period
from liandong.analytics.reports.data import build_report
from liandong.analytics.service import Analytics
from liandong.core.actors import Actor, Role
from liandong.core.errors import InvalidInput
from liandong.regions.registry import CITIES_DIR, load_city
from liandong.storage.db import make_engine
from tests.analytics_kit import (
    AS_OF,
    EXPECTED,
    EXPECTED_QUALITY,
    EXPECTED_SCORE,
    EXPECTED_UNITS,
    load_golden,
    module_db,
)

ADMIN = Actor("admin", Role.ADMIN)
WEEK = parse_period("2019-W46")


@pytest.fixture(scope="module")
def golden(template_db, tmp_path_factory):
    with module_db(template_db, tmp_path_factory) as url:
        engine = make_engine(url)
        with Session(engine) as session:
            load_golden(session)
            session.commit()
        analytics = Analytics(load_city("demo"), load_kpis(CITIES_DIR / "demo" / "kpis.yaml"))
        with Session(engine) as session:
            yield analytics, session
        engine.dispose()


def test_every_demo_kpi_has_exactly_the_hand_computed_value(golden):
    analytics, session = golden
    table = analytics.table(session, actor=ADMIN, period=WEEK, group="all", as_of=AS_OF)
    got = {code: (f.numerator, f.denominator) for code, f in table.total.figures.items()}
    assert got == EXPECTED
    assert table.total.figures["agent_answer_rate"].available is True
    assert table.total.figures["agent_answer_rate"].rate == pytest.approx(4 / 6)
    assert table.total.figures["repeat_call_rate"].rate == pytest.approx(1 / 7)
    assert table.total.score == pytest.approx(EXPECTED_SCORE)


def test_units_are_ranked_by_the_weighted_score(golden):
    analytics, session = golden
    table = analytics.table(session, actor=ADMIN, period=WEEK, group="unit", as_of=AS_OF)
    by_key = {r.key: r for r in table.rows}
    for unit, (resp, solve, sat, score) in EXPECTED_UNITS.items():
        f = by_key[unit].figures
        assert (f["response_rate"].numerator, f["response_rate"].denominator) == resp
        assert (f["solve_rate"].numerator, f["solve_rate"].denominator) == solve
        assert (f["satisfaction_rate"].numerator, f["satisfaction_rate"].denominator) == sat
        assert by_key[unit].score == pytest.approx(score)
    assert [r.key for r in table.rows if r.rank is not None][-1] == "URBAN"
    assert by_key["URBAN"].rank == 3 and by_key["URBAN"].label == "明川市城市管理局"
    assert by_key[""].label == "未知" and by_key[""].rank is None  # the transfers never had a unit here


def test_both_desks_side_by_side_and_by_street(golden):
    analytics, session = golden
    desks = {r.key: r for r in analytics.table(session, actor=ADMIN, period=WEEK, group="desk", as_of=AS_OF).rows}
    assert (desks["12345"].figures["response_rate"].numerator, desks["12345"].figures["response_rate"].denominator) \
        == (3, 4)
    assert (desks["110"].figures["response_rate"].numerator, desks["110"].figures["response_rate"].denominator) == (1, 1)
    streets = {r.key: r for r in analytics.table(session, actor=ADMIN, period=WEEK, group="street", as_of=AS_OF).rows}
    assert streets["148802001"].label == "东门街道"
    assert streets["148802001"].figures["overdue_rate"].denominator == 3  # A B F (E cancelled)
    assert streets["148802002"].figures["transfer_timely_rate"].denominator == 2


def test_a_district_supervisor_counts_only_their_region(golden):
    analytics, session = golden
    west = Actor("w", Role.SUPERVISOR, region="148803")
    table = analytics.table(session, actor=west, period=WEEK, group="all", as_of=AS_OF)
    assert all(f.denominator == 0 for f in table.total.figures.values())
    handler = Actor("h", Role.HANDLER, unit="WATER")
    own = analytics.table(session, actor=handler, period=WEEK, group="all", as_of=AS_OF).total.figures
    assert (own["satisfaction_rate"].numerator, own["satisfaction_rate"].denominator) == (2, 2)


def test_the_daily_trend_sums_to_the_week(golden):
    analytics, session = golden
    days = analytics.trend(session, actor=ADMIN, period=WEEK, grain=Grain.DAY, as_of=AS_OF)
    assert len(days) == 7
    assert sum(r.figures["response_rate"].denominator for _, r in days) == 5
    assert days[1][1].figures["response_rate"].denominator == 1  # 11-12: B, signed late
    assert days[1][1].figures["response_rate"].rate == 0.0
    month = analytics.trend(session, actor=ADMIN, period=parse_period("2019-11"), grain=Grain.WEEK, as_of=AS_OF)
    assert [p.label for p, _ in month] == ["2019-W44", "2019-W45", "2019-W46", "2019-W47", "2019-W48"]


def test_drill_down_lists_the_orders_behind_a_figure_within_the_viewers_scope(golden):
    analytics, session = golden
    total, rows = analytics.drill(session, actor=ADMIN, platform="12345", code="response_rate", period=WEEK,
                                  part="gap", as_of=AS_OF)
    assert total == 1 and [r["number"] for r in rows] == ["GD-GOLD-B"]
    total, rows = analytics.drill(session, actor=ADMIN, platform="12345", code="satisfaction_rate", period=WEEK,
                                  part="numerator", group="unit", key="WATER", as_of=AS_OF)
    assert sorted(r["number"] for r in rows) == ["GD-GOLD-D", "GD-GOLD-J"]
    supervisor = Actor("s", Role.SUPERVISOR)  # 12345: the police order F is counted but not listed
    total, rows = analytics.drill(session, actor=supervisor, platform="12345", code="response_rate", period=WEEK,
                                  part="denominator", as_of=AS_OF)
    assert total == 4 and "GD-GOLD-F" not in {r["number"] for r in rows}
    with pytest.raises(InvalidInput, match="穿透口径"):
        analytics.drill(session, actor=ADMIN, platform="12345", code="response_rate", period=WEEK, part="x",
                        as_of=AS_OF)


def test_the_daily_rollup_gives_the_same_trend_as_the_orders(golden):
    analytics, session = golden
    month = parse_period("2019-11")
    live = analytics.trend(session, actor=ADMIN, period=month, grain=Grain.DAY, as_of=AS_OF)
    west = Actor("w", Role.SUPERVISOR, region="148802")
    live_west = analytics.trend(session, actor=west, period=month, grain=Grain.DAY, as_of=AS_OF)
    rollup.refresh(session, analytics.kpis, start=date(2019, 11, 1), end=date(2019, 11, 16), as_of=AS_OF)
    assert rollup.rolled_days(session, month.start, month.end) == {date(2019, 11, d) for d in range(1, 16)}
    mixed = analytics.trend(session, actor=ADMIN, period=month, grain=Grain.DAY, as_of=AS_OF)  # half rolled up
    assert [(p.label, r.figures) for p, r in mixed] == [(p.label, r.figures) for p, r in live]
    assert [r.figures for _, r in analytics.trend(session, actor=west, period=month, grain=Grain.DAY, as_of=AS_OF)] \
        == [r.figures for _, r in live_west]
    session.rollback()


def test_the_weekly_reports_daily_volumes_are_the_same_from_the_rollup(golden):
    analytics, session = golden
    live = build_report(session, analytics, ADMIN, kind="weekly", period_text="2019-W46", street=None, now=AS_OF)
    rollup.refresh(session, analytics.kpis, start=date(2019, 11, 11), end=date(2019, 11, 14), as_of=AS_OF)
    rolled = build_report(session, analytics, ADMIN, kind="weekly", period_text="2019-W46", street=None, now=AS_OF)
    assert rolled.daily == live.daily and sum(a + b for _, a, b in live.daily) == 7
    session.rollback()


def test_a_fully_rolled_up_period_gives_the_same_table(golden):
    analytics, session = golden
    west = Actor("w", Role.SUPERVISOR, region="148802")
    live = {g: analytics.table(session, actor=a, period=WEEK, group=g, as_of=AS_OF)
            for g in ("unit", "street", "desk") for a in (ADMIN,)}
    live_west = analytics.table(session, actor=west, period=WEEK, group="unit", as_of=AS_OF)
    rollup.refresh(session, analytics.kpis, start=WEEK.start, end=WEEK.end, as_of=AS_OF)
    assert rollup.period_counts(session, ADMIN, "unit", WEEK.start, WEEK.end) is not None
    for g, table in live.items():
        rolled = analytics.table(session, actor=ADMIN, period=WEEK, group=g, as_of=AS_OF)
        assert [(r.key, r.figures, r.rank) for r in rolled.rows] == [(r.key, r.figures, r.rank) for r in table.rows]
        assert rolled.total.figures == table.total.figures
    assert analytics.table(session, actor=west, period=WEEK, group="unit", as_of=AS_OF).total.figures \
        == live_west.total.figures
    assert rollup.period_counts(session, ADMIN, "category", WEEK.start, WEEK.end) is None  # no column: live
    session.rollback()


def test_the_agent_answer_rate_is_counted_from_the_call_data_by_beijing_day(golden):
    analytics, session = golden
    days = {p.label: r.figures["agent_answer_rate"] for p, r in
            analytics.trend(session, actor=ADMIN, period=WEEK, grain=Grain.DAY, as_of=AS_OF)}
    assert [(days[d].numerator, days[d].denominator) for d in sorted(days)] == \
        [(1, 2), (1, 1), (1, 1), (0, 0), (0, 1), (0, 0), (1, 1)]  # 11-11 … 11-17 (K6 at 23:59:30 is the 17th)
    assert days["2019-11-14"].available is False and days["2019-11-14"].rate is None  # no calls: 无数据, not 0 %
    desks = {r.key: r for r in analytics.table(session, actor=ADMIN, period=WEEK, group="desk", as_of=AS_OF).rows}
    assert (desks["12345"].figures["agent_answer_rate"].numerator,
            desks["12345"].figures["agent_answer_rate"].denominator) == (4, 6)
    assert desks["110"].figures["agent_answer_rate"].available is False
    units = analytics.table(session, actor=ADMIN, period=WEEK, group="unit", as_of=AS_OF)
    assert all(not r.figures["agent_answer_rate"].available for r in units.rows)  # a call has no unit
    assert (units.total.figures["agent_answer_rate"].numerator, units.total.figures["agent_answer_rate"].denominator) \
        == (4, 6)
    west = Actor("w", Role.SUPERVISOR, region="148802")  # the city's call centre is not the district's
    assert analytics.table(session, actor=west, period=WEEK, group="all", as_of=AS_OF).total \
        .figures["agent_answer_rate"].available is False
    next_week = analytics.table(session, actor=ADMIN, period=parse_period("2019-W47"), group="all", as_of=AS_OF)
    assert (next_week.total.figures["agent_answer_rate"].numerator,
            next_week.total.figures["agent_answer_rate"].denominator) == (1, 1)  # K7


def test_the_weekly_report_has_the_call_section(golden):
    analytics, session = golden
    data = build_report(session, analytics, ADMIN, kind="weekly", period_text="2019-W46", street=None, now=AS_OF)
    c = data.calls
    assert (c.offered, c.answered, c.abandoned, c.operators) == (6, 4, 1, 2)  # K2 abandoned; K5 overflowed
    assert c.mean_wait == pytest.approx(23.75)
    assert c.daily[0] == ("2019-11-11", 2, 1) and c.daily[-1] == ("2019-11-17", 1, 1)
    empty = build_report(session, analytics, ADMIN, kind="weekly", period_text="2019-W40", street=None, now=AS_OF)
    assert empty.calls is None


def test_the_weekly_report_has_the_quality_section_per_unit(golden):
    analytics, session = golden
    data = build_report(session, analytics, ADMIN, kind="weekly", period_text="2019-W46", street=None, now=AS_OF)
    got = {q.label: (q.inspected, q.passed, q.review, q.failed, round(q.mean_score, 2))
           for q in [*data.quality, data.quality_total]}
    assert got == EXPECTED_QUALITY
    west = Actor("w", Role.SUPERVISOR, region="148803")  # another district: none of these inspections
    assert build_report(session, analytics, west, kind="weekly", period_text="2019-W46", street=None,
                        now=AS_OF).quality == []
    empty = build_report(session, analytics, ADMIN, kind="weekly", period_text="2019-W40", street=None, now=AS_OF)
    assert empty.quality == [] and empty.quality_total is None
