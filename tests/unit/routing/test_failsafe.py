"""Fail-safe emergency recognition (issue 11): plausible danger is never '12345 only' (routing/failsafe.py)."""

import pytest

from liandong.routing.failsafe import plausible_danger


def _failsafe_reasons(d):
    return [r for r in d.reasons if "兜底" in r]


def test_a_plausible_danger_the_rules_missed_brings_the_emergency_service_with_review_and_reason(route):
    d = route("我表哥钻到地窖里取菜，喊他好一会也没上来")
    assert "119" in d.services
    assert d.review
    assert any("疑似人身危险" in r and "没上来" in r and "人工复核" in r for r in d.reasons), d.reasons


@pytest.mark.parametrize("text, service", [
    ("我舅舅坐在沙发上突然说不出话了，嘴也歪了", "120"),
    ("我表弟在仓库里搬货，胳膊卡在传送带里拔不出来", "119"),
    ("我姐刚发微信说她不想活了，人在江边", "110"),
    ("我婆婆刚才把一瓶敌敌畏当成饮料喝了", "120"),
])
def test_harm_cues_with_a_person_are_plausible_danger(text, service):
    assert service in {s for _, s, _ in plausible_danger(text)}


@pytest.mark.parametrize("text", [
    "小区门口的路灯坏了三盏，晚上出门很黑",
    "我想问一下社保断缴了半年还能不能补交",
    "上个月邻居被困在电梯里出不来，想投诉物业维保不到位",
])
def test_a_clearly_safe_text_stays_12345_only(route, text):
    d = route(text)
    assert d.services == ("12345",)
    assert not _failsafe_reasons(d)


def test_cues_need_a_person_not_an_animal():
    assert plausible_danger("我家猫卡在空调外机上下不来了") == []
    assert plausible_danger("我家孩子卡在栏杆里出不来") != []


def test_asking_and_no_cue_give_nothing():
    assert plausible_danger("请问老人摔倒起不来的话社区有没有上门服务") == []
    assert plausible_danger("隔壁装修一直在砸墙，吵得睡不着") == []


def test_the_harm_family_decides_the_service():
    assert {s for _, s, _ in plausible_danger("我同事趴在工位上叫了半天，现在倒在地上不会动")} == {"120"}
    assert {s for _, s, _ in plausible_danger("有个男的拿着菜刀在楼下追人")} == {"110"}
