"""The call rules on 40 call transcripts written by hand by a second person (tests/data/quality_calls_handwritten.jsonl,
made by tools/quality_calls_handwritten.py, committed before any rule ran on them), faults known per call.

First run (docs/quality.md): the operators' own wordings defeated three rules — precision 0.208 (地址确认),
0.400 (回电号码复述), recall 0.300 (服务禁语). The rules were then generalised (a confirming question echoing
the order's address or carrying a phone-like number; 禁语 matched across punctuation, a published list), so
these figures are now *tuned on* this set, not held out."""

import json
from pathlib import Path

import pytest

from liandong.quality.inspector import Inspector
from liandong.quality.model import CallRecord, OrderFacts, Speaker, parse_transcript
from liandong.quality.rules import load_city_quality
from liandong.quality.text import WordMatcher
from liandong.supervision.calendar import WorkingCalendar
from tests.unit.quality.measure import confusion

CALLS = Path(__file__).resolve().parents[2] / "data" / "quality_calls_handwritten.jsonl"
SCORED = ["call.opening", "call.readback_address", "call.readback_phone", "call.forbidden", "call.closing"]


@pytest.fixture(scope="module")
def judged():
    inspector = Inspector(load_city_quality("demo"), WorkingCalendar(source=None))
    out = []
    for line in CALLS.read_text(encoding="utf-8").splitlines():
        call = json.loads(line)
        record = CallRecord(parse_transcript(call["transcript"]), hangup_by=Speaker(call["hangup_by"]))
        facts = OrderFacts(kind=call["kind"], text=call["text"], address=call["address"], category=call["category"])
        out.append((call, {f.rule for f in inspector.call(record, facts).findings}))
    return out


@pytest.mark.parametrize("rule", SCORED)
def test_each_scored_rule_on_calls_written_by_someone_else(judged, rule):
    m = confusion([rule in call["faults"] for call, _ in judged], [rule in found for _, found in judged])
    assert m["tp"] >= 4 and m["precision"] >= 0.90, (rule, m)
    # 回电号码复述: the city's rule accepts a read-back of the last four digits (尾号), the hand labels do not
    assert m["recall"] >= (0.80 if rule == "call.readback_phone" else 0.85), (rule, m)


def test_forbidden_words_match_across_punctuation_and_cite_the_original_text():
    matcher = WordMatcher(["你问我我问谁", "不归我们管"])
    text = "这个嘛，你问我，我问谁？真的不归 我们管。"
    assert [(text[s:e], w) for s, e, w in matcher.find(text)] == [("你问我，我问谁", "你问我我问谁"),
                                                                   ("不归 我们管", "不归我们管")]
    assert WordMatcher(["你问我，我问谁"]).find("你问我我问谁") == [(0, 6, "你问我，我问谁")]


def _call(*lines):
    turns = [{"speaker": "operator" if i % 2 == 0 else "caller", "start": i * 3.0, "end": i * 3.0 + 2.5, "text": t}
             for i, t in enumerate(lines)]
    return CallRecord(parse_transcript(turns), hangup_by=Speaker.CALLER)


@pytest.mark.parametrize("readback, found", [
    ("您说的是东湖区光明路28号，对吗？", False),  # the address repeated in a confirming question
    ("是在东湖区光明路28号吧？", False),
    ("好的，光明路那边我记下了。", True),  # not repeated, not asked
    ("您说的是西城区人民路5号，对吗？", True),  # a different address confirmed is no read-back of this one
])
def test_an_address_read_back_is_a_confirming_question_that_repeats_it(readback, found):
    inspector = Inspector(load_city_quality("demo"), WorkingCalendar(source=None))
    record = _call("您好，工号1024为您服务。", "光明路28号楼下油烟很大。", readback, "对。", "感谢您的来电，再见。")
    rules = {f.rule for f in inspector.call(record, OrderFacts(kind="投诉", address="东湖区光明路28号")).findings}
    assert ("call.readback_address" in rules) is found


@pytest.mark.parametrize("readback, found", [
    ("联系电话 139 0731 5678，对吗？", False),
    ("您的电话是幺三八幺二三四五六七八，对吧？", False),  # as speech recognition writes digits
    ("13700001111，我复述一下，没错吧？", False),
    ("方便留个电话吗？", True),  # asked for, not read back
    ("好的，13700001111 记下了。", True),  # repeated but not confirmed
])
def test_a_phone_read_back_is_a_confirming_question_with_the_number(readback, found):
    inspector = Inspector(load_city_quality("demo"), WorkingCalendar(source=None))
    record = _call("您好，工号1024为您服务。", "家门口路灯坏了。", readback, "对。", "感谢您的来电，再见。")
    rules = {f.rule for f in inspector.call(record, OrderFacts(kind="求助")).findings}
    assert ("call.readback_phone" in rules) is found
