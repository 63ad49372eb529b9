"""KPI files validated with file and line; periods as a city writes them."""

from datetime import date
from pathlib import Path

import pytest

from liandong.analytics.kpis import Composite, composite_score, load_kpis
from liandong.analytics.periods import Grain, buckets, containing, parse_period
from liandong.core.errors import ConfigError, InvalidInput
from liandong.regions.registry import CITIES_DIR


def test_the_demo_city_defines_the_measures_the_seeds_name():
    kpis = load_kpis(CITIES_DIR / "demo" / "kpis.yaml")
    names = [k.name for k in kpis.defs]
    for name in ("响应率", "按时办结率", "解决率", "满意率", "重复来电率", "退单率", "超期率", "转办及时率", "人工接通率"):
        assert name in names
    assert kpis.composite.weights == {"response_rate": 30, "solve_rate": 35, "satisfaction_rate": 35}


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "kpis.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """kpis:
  - code: response_rate
    name: 响应率
    period_by: dispatched
    denominator: [dispatched]
    numerator: [signed_on_time]
composite:
  weights: {response_rate: 100}
"""


def test_an_unknown_field_is_named_with_file_and_line(tmp_path):
    path = _write(tmp_path, GOOD.replace("    period_by: dispatched\n", "    period_by: dispatched\n    colour: red\n"))
    with pytest.raises(ConfigError) as exc:
        load_kpis(path)
    assert exc.value.message == f"{path}:2: kpis.0: 未知字段「colour」"


@pytest.mark.parametrize("change, message", [
    (("[signed_on_time]", "[signed_fast]"), "未知条件「signed_fast」"),
    (("period_by: dispatched", "period_by: weekly"), "统计口径「weekly」无效"),
    (("{response_rate: 100}", "{speed: 100}"), "未定义的指标「speed」"),
    (("    name: 响应率\n", ""), "缺少字段「name」"),
    (("[signed_on_time]", "[calls_answered]"), "话务数据的条件.*不能与工单条件混用"),
])
def test_bad_definitions_say_what_is_wrong_in_chinese(tmp_path, change, message):
    with pytest.raises(ConfigError, match=message):
        load_kpis(_write(tmp_path, GOOD.replace(*change)))


def test_the_composite_uses_only_measures_with_data():
    c = Composite(weights={"a": 30, "b": 35, "c": 35})
    assert composite_score({"a": 1.0, "b": 0.5, "c": None}, c) == pytest.approx(100 * (30 + 17.5) / 65)
    assert composite_score({"a": None}, c) is None


@pytest.mark.parametrize("text, start, end", [
    ("2019-W46", date(2019, 11, 11), date(2019, 11, 18)),
    ("2019-11", date(2019, 11, 1), date(2019, 12, 1)),
    ("2019-Q4", date(2019, 10, 1), date(2020, 1, 1)),
    ("2019", date(2019, 1, 1), date(2020, 1, 1)),
    ("2019-11-05", date(2019, 11, 5), date(2019, 11, 6)),
    ("2020-W53", date(2020, 12, 28), date(2021, 1, 4)),
])
def test_periods_as_a_city_writes_them(text, start, end):
    p = parse_period(text)
    assert (p.start, p.end) == (start, end)


def test_previous_and_year_ago_periods():
    assert parse_period("2019-W46").previous().label == "2019-W45"
    assert parse_period("2019-W46").year_ago().label == "2018-W46"
    assert parse_period("2020-01").previous().label == "2019-12"
    assert parse_period("2019-Q1").previous().label == "2018-Q4"
    assert parse_period("2020-02-29").year_ago().label == "2019-02-28"
    assert parse_period("2019-W46").title == "2019年第46周（11月11日—11月17日）"
    assert [p.label for p in buckets(parse_period("2019-Q4"), Grain.MONTH)] == ["2019-10", "2019-11", "2019-12"]
    assert containing(Grain.QUARTER, date(2019, 8, 1)).label == "2019-Q3"


@pytest.mark.parametrize("text, message", [
    ("2019-W60", "不存在"), ("2019-13", "不存在"), ("last week", "无法识别"), ("", "无法识别"), ("2019/11", "无法识别"),
])
def test_unknown_periods_get_a_chinese_message(text, message):
    with pytest.raises(InvalidInput, match=message):
        parse_period(text)
