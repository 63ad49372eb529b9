"""The city's rules file is validated on load: an unknown rule or a bad parameter names the file and the line."""

from pathlib import Path

import pytest

from liandong.core.errors import ConfigError
from liandong.quality.rules import RULES, load_city_quality, load_quality_rules

DEMO = Path(__file__).resolve().parents[3] / "src" / "liandong" / "cities" / "demo" / "quality.yaml"


def test_the_demo_city_rules_load_with_a_template_per_kind():
    rules = load_city_quality("demo")
    assert set(rules.params) == set(RULES)
    assert rules.template_for("call", "投诉").name == "来电·投诉举报"
    assert rules.template_for("reply", "咨询").name == "答复·咨询求助建议"
    assert rules.template_for("reply", None).record == "reply"


def _write(tmp_path, text):
    path = tmp_path / "quality.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unknown_rule_is_refused_with_its_line(tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace("  call.hangup_first:  # 坐席先挂机", "  call.mood:\n  call.hangup_first:")
    line = text.splitlines().index("  call.mood:") + 1
    with pytest.raises(ConfigError, match="未知的质检规则「call.mood」") as err:
        load_quality_rules(_write(tmp_path, text))
    assert err.value.line == line


def test_an_unknown_rule_in_a_template_is_refused(tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace("weights: {call.opening: 10,", "weights: {call.smile: 10, call.opening: 10,", 1)
    with pytest.raises(ConfigError, match="未知的质检规则「call.smile」"):
        load_quality_rules(_write(tmp_path, text))


def test_a_bad_parameter_is_refused(tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace("max_seconds: 8", "max_seconds: -2")
    with pytest.raises(ConfigError, match="call.silence"):
        load_quality_rules(_write(tmp_path, text))


def test_a_bad_regex_is_refused(tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace('"工号[是为:：]?\\\\s*(\\\\d{3,6})"', '"工号(("')
    with pytest.raises(ConfigError, match="正则表达式"):
        load_quality_rules(_write(tmp_path, text))


def test_a_bad_number_pattern_of_a_readback_is_refused(tmp_path):
    text = DEMO.read_text(encoding="utf-8")
    start = text.index("    number: ", text.index("call.readback_phone:"))
    end = text.index("\n", start)
    with pytest.raises(ConfigError, match="正则表达式"):
        load_quality_rules(_write(tmp_path, text[:start] + '    number: "[0-9"' + text[end:]))
