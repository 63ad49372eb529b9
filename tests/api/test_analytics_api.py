"""/api/v1/analytics: the figures of the golden fixture, scope, and bad input as Chinese 4xx."""

import pytest

from tests.analytics_kit import EXPECTED, load_golden
from tests.builders import World


@pytest.fixture
def golden_world(world: World) -> World:
    with world.ctx.write() as session:
        load_golden(session)
    return world


def test_the_kpi_table_and_ranking_match_the_golden_figures(golden_world: World):
    w = golden_world
    r = w.get("admin", "/analytics/kpis?period=2019-W46&group=all")
    assert r.status_code == 200, r.text
    got = {f["code"]: (f["numerator"], f["denominator"]) for f in r.json()["total"]["figures"]}
    assert got == EXPECTED and r.json()["total"]["score"] == pytest.approx(78.25)
    assert r.json()["period_title"] == "2019年第46周（11月11日—11月17日）"
    units = w.get("admin", "/analytics/kpis?period=2019-W46&group=unit").json()["rows"]
    assert [u["key"] for u in units if u["rank"]][-1] == "URBAN"
    trend = w.get("admin", "/analytics/kpis/trend?period=2019-W46&grain=day").json()
    assert len(trend) == 7 and trend[1]["period"] == "2019-11-12"
    drill = w.get("supervisor", "/analytics/kpis/response_rate/orders?period=2019-W46&part=gap").json()
    assert drill["total"] == 1 and drill["orders"][0]["number"] == "GD-GOLD-B"
    street = w.get("supervisor", "/analytics/streets/148802001/kpis?period=2019-W46")
    assert street.status_code == 200 and {r["key"] for r in street.json()["rows"]} == {"占道经营", "邻里纠纷"}


def test_a_handler_sees_only_their_units_figures(golden_world: World):
    r = golden_world.get("handler_urban", "/analytics/kpis?period=2019-W46&group=unit")
    assert r.status_code == 200 and [row["key"] for row in r.json()["rows"]] == ["URBAN"]


@pytest.mark.parametrize("who, path, status, words", [
    ("admin", "/analytics/kpis?period=2019-W60", 422, "不存在"),
    ("admin", "/analytics/kpis?period=lastweek", 422, "无法识别"),
    ("admin", "/analytics/kpis?period=", 422, "无法识别"),
    ("admin", "/analytics/kpis?period=2019-W46&group=weather", 422, "统计维度"),
    ("admin", "/analytics/kpis?period=2019-W46&group=day", 422, "按日"),
    ("admin", "/analytics/kpis?period=" + "9" * 40, 422, "统计周期"),
    ("admin", "/analytics/kpis", 422, "统计周期"),
    ("admin", "/analytics/kpis/trend?period=2019-W46&grain=hour", 422, ""),
    ("admin", "/analytics/kpis/speed/orders?period=2019-W46", 404, "指标「speed」不存在"),
    ("admin", "/analytics/kpis/response_rate/orders?period=2019-W46&part=half", 422, "穿透口径"),
    ("dispatcher_west", "/analytics/streets/148802001/kpis?period=2019-W46", 403, "不在您的辖区范围内"),
    ("handler_urban", "/analytics/streets/148802001/kpis?period=2019-W46", 403, "承办人"),
    ("admin", "/analytics/streets/999999999/kpis?period=2019-W46", 422, "不是明川市的街镇代码"),
    ("admin", "/analytics/warnings?from=2019-11-20&to=2019-11-01", 422, "截止日期早于起始日期"),
    ("admin", "/analytics/warnings?from=yesterday&to=2019-11-01", 422, "应写作"),
    ("admin", "/analytics/warnings?from=2019-11-01&to=2019-11-20&kind=storm", 422, "预警类型"),
    ("handler_urban", "/analytics/warnings?from=2019-11-01&to=2019-11-20", 403, "趋势预警"),
    ("admin", "/analytics/hotspots?from=2019-11-01&to=2019-11-20&top=0", 422, ""),
])
def test_bad_input_gets_a_chinese_4xx(golden_world: World, who, path, status, words):
    r = golden_world.get(who, path)
    assert r.status_code == status, r.text
    assert words in r.json()["message"]


def test_warnings_scan_acknowledge_and_refusals(golden_world: World):
    w = golden_world
    assert w.client.get("/api/v1/analytics/kpis?period=2019-W46").status_code == 401
    assert w.post("operator", "/analytics/warnings/scan?day=2019-11-15", {}).status_code == 403
    assert w.post("supervisor", "/analytics/warnings/scan?day=2019-11-15", {}).status_code == 200
    r = w.post("supervisor", "/analytics/warnings/999/acknowledge", {"note": "x"})
    assert r.status_code == 404 and "不存在" in r.json()["message"]
    r = w.post("supervisor", "/analytics/warnings/1/acknowledge", {"note": "x" * 501})
    assert r.status_code == 422
    r = w.post("supervisor", "/analytics/warnings/1/acknowledge", {"note": "x", "colour": "red"})
    assert r.status_code == 422
    r = w.post("supervisor", "/analytics/warnings/abc/acknowledge", {"note": "x"})
    assert r.status_code == 422
    assert w.get("admin", "/analytics/hotspots?from=2019-11-01&to=2019-11-20").json()[0]["count"] >= 2
