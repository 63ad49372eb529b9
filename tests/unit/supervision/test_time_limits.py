from datetime import date, datetime, time
from pathlib import Path

import pytest

from liandong.core.clock import CST
from liandong.core.errors import ConfigError, InvalidInput
from liandong.supervision.calendar import add_working_days
from liandong.supervision.limits import TimeLimits, limits_for, load_city_time_limits, load_time_limits

FIXTURE = Path(__file__).with_name("time_limits_fixture.yaml")


@pytest.fixture(scope="module")
def policy():
    return load_time_limits(FIXTURE)


def test_defaults_apply_to_unknown_categories(policy):
    assert policy.limits_for("anything", "no-such-group", None) == TimeLimits(2, 3, 15, 3)


def test_group_then_item_override(policy):
    assert policy.limits_for("other", "环境保护", None).close_within_days == 10
    water = limits_for("water_outage", "城乡建设", "normal", policy=policy)
    assert water == TimeLimits(sign_within_hours=1, reply_within_days=1, close_within_days=3, revisit_within_days=3)


def test_level_only_tightens(policy):
    urgent = policy.limits_for("water_outage", "城乡建设", "urgent")
    assert urgent.sign_within_hours == 0.5  # tightened from 1
    assert urgent.close_within_days == 3  # item already 3, urgent cap 3
    important = policy.limits_for("wage_arrears", "劳动和社会保障", "important")
    assert important.close_within_days == 10
    assert policy.limits_for("x", "劳动和社会保障", "important").close_within_days == 10  # 20 capped to 10


def test_unknown_level_is_refused_in_chinese(policy):
    with pytest.raises(InvalidInput, match="未知的工单级别"):
        policy.limits_for("x", "环境保护", "super-urgent")


def test_city_calendar_carries_hours_and_overrides(policy):
    cal = policy.working_calendar()
    assert cal.periods == ((time(9), time(12)), (time(13, 30), time(17, 30)))
    assert not cal.is_working_day(date(2027, 1, 1))
    assert add_working_days(datetime(2026, 12, 31, 10, tzinfo=CST), 1, cal) == datetime(2027, 1, 4, 17, 30, tzinfo=CST)
    assert policy.warning.yellow_at == 0.8
    assert policy.bounce.max_returns == 2


def test_unknown_city():
    with pytest.raises(InvalidInput):
        load_city_time_limits("atlantis")
    with pytest.raises(InvalidInput):
        load_city_time_limits("../demo")


GOOD_HEAD = """\
defaults:
  sign_within_hours: 2
  reply_within_days: 3
  close_within_days: 15
  revisit_within_days: 3
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "time_limits.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_error_names_file_and_line_of_a_bad_item(tmp_path):
    path = write(tmp_path, GOOD_HEAD + "groups:\n  城乡建设:\n    items:\n      noise:\n        close_within_days: -4\n")
    with pytest.raises(ConfigError) as info:
        load_time_limits(path)
    assert info.value.line == 10
    assert str(path) in info.value.message
    assert "close_within_days" in info.value.message


def test_error_on_unknown_key_and_bad_hours(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_time_limits(write(tmp_path, GOOD_HEAD + "warning:\n  yelow_at: 0.5\n"))
    assert info.value.line == 7
    with pytest.raises(ConfigError, match="HH:MM"):
        load_time_limits(write(tmp_path, GOOD_HEAD + 'calendar:\n  working_hours: [["9点", "12:00"]]\n'))
    with pytest.raises(ConfigError, match="开始时间必须早于结束时间"):
        load_time_limits(write(tmp_path, GOOD_HEAD + 'calendar:\n  working_hours: [["12:00", "09:00"]]\n'))


def test_error_on_yaml_syntax_missing_defaults_and_reply_after_close(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_time_limits(write(tmp_path, GOOD_HEAD + "levels: [unclosed\n"))
    assert info.value.line is not None and info.value.line >= 6
    with pytest.raises(ConfigError, match="defaults"):
        load_time_limits(write(tmp_path, "levels: {}\n"))
    with pytest.raises(ConfigError, match="答复时限不能长于办结时限"):
        load_time_limits(write(tmp_path, GOOD_HEAD.replace("reply_within_days: 3", "reply_within_days: 30")))
    with pytest.raises(ConfigError, match="无法读取"):
        load_time_limits(tmp_path / "missing.yaml")
