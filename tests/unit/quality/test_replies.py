"""Reply rules on small made-up replies: each finding cites the text (or the dates) that triggered it."""

from datetime import datetime

import pytest

from liandong.quality.copies import CopyIndex
from liandong.quality.inspector import Inspector
from liandong.quality.model import CallRecord, OrderFacts, Outcome
from liandong.quality.rules import load_city_quality
from liandong.supervision.calendar import WorkingCalendar

GOOD = ("您好！您反映的滨江路烧烤店噪声扰民问题已收悉。经调查核实，该店确实存在夜间经营噪声超标的情况。"
        "依据《中华人民共和国噪声污染防治法》，我局已责令其限期整改，目前该店已于每晚22时停止营业。"
        "如有疑问请致电0000-12345678。感谢您对我们工作的支持！")
FACTS = OrderFacts(kind="投诉", subject="滨江路烧烤店噪声扰民", text="楼下烧烤店每天半夜还在营业，噪声很大",
                   received_at=datetime(2026, 9, 28, 10), replied_at=datetime(2026, 10, 9, 10))


@pytest.fixture(scope="module")
def inspector():
    return Inspector(load_city_quality("demo"), WorkingCalendar())


def test_a_substantive_timely_reply_passes(inspector):
    inspection = inspector.reply(GOOD, FACTS)
    assert inspection.findings == () and inspection.outcome is Outcome.PASS and inspection.score == 100


def test_a_transfer_only_reply_fails_and_cites_the_transfer_clause(inspector):
    reply = "网友：您好！您反映的问题已转相关部门核实处理，有关情况将及时反馈。2019年9月3日"
    inspection = inspector.reply(reply, FACTS)
    finding = next(f for f in inspection.findings if f.rule == "reply.non_answer")
    assert any("已转相关部门核实处理" in s.quote and reply[int(s.start):int(s.end)].startswith(s.quote[:5])
               for s in finding.spans)
    assert inspection.outcome is Outcome.FAIL


def test_a_late_reply_is_measured_in_working_days_across_national_day(inspector):
    # received Mon 28 Sep 2026; the 15 working days after it skip 1–7 Oct and count Saturday 10 Oct: due 23 Oct
    on_time = inspector.reply(GOOD, FACTS.__class__(**{**FACTS.__dict__, "replied_at": datetime(2026, 10, 23, 17)}))
    late = inspector.reply(GOOD, FACTS.__class__(**{**FACTS.__dict__, "replied_at": datetime(2026, 10, 26, 9)}))
    assert "reply.timeliness" not in {f.rule for f in on_time.findings}
    finding = next(f for f in late.findings if f.rule == "reply.timeliness")
    assert finding.spans[0].source == "time" and "2026-10-23 17:30" in finding.spans[0].quote


def test_forbidden_words_in_a_reply_are_cited(inspector):
    reply = GOOD.replace("感谢您对我们工作的支持！", "这不归我们管，爱找谁找谁。")
    finding = next(f for f in inspector.reply(reply, FACTS).findings if f.rule == "reply.politeness")
    assert [s.quote for s in finding.spans] == ["不归我们管", "爱找谁找谁"]
    assert reply[int(finding.spans[0].start):int(finding.spans[0].end)] == "不归我们管"


def test_the_same_reply_to_a_different_appeal_is_flagged_as_copy_paste(inspector):
    index = CopyIndex()
    index.add("A", "轨道交通线网规划建议", GOOD)
    index.add("B", "咨询公积金贷款额度", GOOD.replace("0000-12345678", "0000-87654321"))
    index.add("C", "投诉小区物业乱收费", "您好！经查，物业收费符合合同约定的标准，已要求物业公示收费依据。" * 2)
    hits = index.nearest_all()
    assert hits["A"].other == "B" and hits["A"].similarity > 0.9
    inspection = inspector.reply(GOOD, FACTS, copy=hits["A"])
    assert "reply.copy_paste" in {f.rule for f in inspection.findings}


def test_a_call_with_only_notes_is_checked_for_consistency_only(inspector):
    inspection = inspector.call(CallRecord(notes="来电反映滨江路烧烤店夜间噪声扰民"),
                                OrderFacts(kind="投诉", address="明川市东湖区滨江路88号", text="烧烤店夜间噪声扰民",
                                           category="噪声扰民"))
    assert set(inspection.applied) == {"call.consistency_place", "call.consistency_request",
                                       "call.consistency_category"}
