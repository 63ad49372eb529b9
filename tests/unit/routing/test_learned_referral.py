"""The learned referral (引导解释，模型研判) and 119/120 beside the police: learned from the city's labelled calls,
referred only where no rule fired — real government matters next to the same words stay with 12345, and danger
always wins."""

import pytest

from liandong.routing.danger_model import REFER, TARGETS


@pytest.mark.parametrize("text", [
    "我家冰箱坏了你们能派个师傅来修一下吗我自己出钱",
    "你们知道附近哪家火锅店好吃不",
    "我想找个对象，你们这儿能介绍不",
    "问一下明天会不会下雨",
])
def test_calls_neither_platform_takes_are_referred(route, text):
    d = route(text)
    assert d.services == (), (text, d.services, d.reasons)
    assert any("引导解释" in r for r in d.reasons)


@pytest.mark.parametrize("text", [
    "小区电梯坏了三天了没人修",
    "我在网上买的衣服想退货卖家不理我",  # a consumer complaint: market supervision
    "我儿子的学校乱收费，一学期多收了好几百",
    "我想咨询一下公积金提取要带什么材料",
    "楼下烧烤店油烟太大熏得窗户都不敢开",
])
def test_government_matters_beside_such_words_stay_with_12345(route, text):
    d = route(text)
    assert d.services == ("12345",), (text, d.services, d.reasons)


def test_danger_in_a_call_about_a_restaurant_is_not_referred(route):
    d = route("我在火锅店吃饭，旁边桌有个大爷突然倒地抽搐口吐白沫")
    assert "120" in d.services, d.reasons


def test_the_detector_gives_a_referral_probability_beside_the_services(router):
    assert REFER in TARGETS[len(("110", "119", "120")):]  # after the services (the JOINT output follows it)
    p = router.danger.probabilities(router.model.transform(["问一下明天会不会下雨", "小区电梯坏了三天了没人修"]))
    assert p.shape == (2, len(TARGETS))
    assert p[0, TARGETS.index(REFER)] > 0.8 > p[1, TARGETS.index(REFER)]


@pytest.mark.parametrize("text", [
    "车子追尾了，司机头磕在方向盘上一直说头晕想吐",
    "工地上有人打架，一个被铁锹拍了脑袋现在迷迷糊糊的",
])
def test_the_detector_adds_120_beside_the_police_the_rules_sent(route, text):
    d = route(text)
    assert {"110", "120"} <= set(d.services), d.reasons
    assert d.review and any("另需120" in r for r in d.reasons)


@pytest.mark.parametrize("text", ["两辆车剐蹭了一下，都没受伤，对方不肯走保险", "有人在小区门口吵架骂人，没动手"])
def test_no_120_beside_the_police_where_nobody_is_hurt(route, text):
    assert "120" not in route(text).services
