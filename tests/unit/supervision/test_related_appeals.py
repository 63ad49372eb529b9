from datetime import datetime, timedelta

import pytest

from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.supervision.related import RelatedPolicy, RelationKind, flag_caller, relate
from liandong.supervision.similarity import SimilarityIndex

T0 = datetime(2026, 9, 30, 16, 0, tzinfo=CST)
NOISE = "龙湾花园旁边的建筑工地每天晚上施工到十二点多，噪音很大，严重影响居民休息"


@pytest.fixture
def index(city_index):
    idx = city_index
    idx.add("a1", NOISE, "caller-1", "滨江街道", T0 - timedelta(days=2))
    idx.add("a2", "反映龙湾花园附近有个工地夜间施工，十二点以后还在打桩，吵得睡不着觉", "caller-2", "滨江街道", T0 - timedelta(hours=20))
    idx.add("a3", "龙湾花园边上工地夜里偷偷施工，机器声音太吵了，希望城管去查一下", "caller-3", "滨江街道", T0 - timedelta(hours=5))
    idx.add("a4", "龙湾花园3号楼电梯坏了三天，一直没人修，老人上下楼非常困难", "caller-4", "滨江街道", T0 - timedelta(hours=3))
    idx.add("a5", "解放路东段路灯坏了一个星期了，晚上黑漆漆的，行人走路很不安全", "caller-1", "鼓楼街道", T0 - timedelta(days=1))
    return idx


def test_repeat_and_mass_relations(index):
    report = relate(index, appeal_id="new", text="龙湾花园旁边工地夜间施工到凌晨，噪音扰民，睡不着觉", caller_key="caller-1", region="滨江街道", at=T0)
    assert [(r.kind, r.appeal_id) for r in report.repeats] == [(RelationKind.REPEAT, "a1")]
    assert {r.appeal_id for r in report.mass} == {"a2", "a3"}  # other callers; a1 is the caller's own
    assert report.mass_callers == 3
    assert all(r.kind == "mass" for r in report.mass)
    assert not report.caller_flag.flagged


def test_no_mass_relation_below_min_callers(index):
    policy = RelatedPolicy(mass_min_callers=5)
    report = relate(index, appeal_id="new", text=NOISE, caller_key="caller-9", region="滨江街道", at=T0, policy=policy)
    assert report.mass == () and report.mass_callers == 4
    assert report.repeats == ()


def test_mass_window_excludes_old_appeals(index):
    policy = RelatedPolicy(mass_window_hours=24, mass_min_callers=3)
    report = relate(index, appeal_id="new", text=NOISE, caller_key="caller-9", region="滨江街道", at=T0, policy=policy)
    assert {r.appeal_id for r in report.mass} == {"a2", "a3"}  # a1 is two days old


def test_frequent_caller_is_flagged_never_blocked():
    idx = SimilarityIndex()
    for i in range(9):
        idx.add(f"h{i}", f"第{i}次来电，问同一件事", "caller-x", "滨江街道", T0 - timedelta(hours=i))
    flag = flag_caller(idx, "caller-x", "我再问一次", T0)
    assert flag.flagged and flag.calls_in_window == 10
    assert flag.reasons == ("24 小时内来电 10 次",)
    assert not flag_caller(idx, "caller-x", "我再问一次", T0 + timedelta(days=2)).flagged
    report = relate(idx, appeal_id="n", text="我再问一次", caller_key="caller-x", region="滨江街道", at=T0)
    assert report.caller_flag.flagged  # relations are still computed, nothing is refused


def test_abuse_and_threats_are_named():
    idx = SimilarityIndex()
    flag = flag_caller(idx, "c", "你们这帮狗 官！再不处理我就炸掉你们办公楼", T0)
    assert flag.flagged
    assert flag.abusive_words == ("狗官",) and flag.threat_words == ("炸掉",)
    assert "110" in flag.reasons[-1]
    assert not flag_caller(idx, "c", "小区门口道路坑洼，请尽快修复", T0).flagged


def test_policy_validation():
    with pytest.raises(InvalidInput):
        RelatedPolicy(mass_min_callers=1)
    with pytest.raises(InvalidInput):
        RelatedPolicy(harass_max_calls=1)
