"""Danger to people without alarm words (组合研判): new phrasings of each kind of miss, and the false alarms."""

import pytest

from liandong.routing.router import load_router


@pytest.fixture(scope="module")
def router():
    return load_router("demo")


@pytest.mark.parametrize("text, must", [
    ("仓库里货架倒了，下面好像压着个搬运工，喊他也不出声", {"119", "120"}),
    ("隔壁独居的王大爷四天没出门了，打他电话一直没人接", {"110", "120"}),
    ("车停在路边一下午了，窗户都关着，里面那个人趴在方向盘上一动不动", {"110", "120"}),
    ("我舅舅在群里发了封遗书，说对不起大家，现在联系不上", {"110"}),
    ("写字楼外墙上的玻璃松动了，风一吹就晃，下面就是公交站", {"110"}),
    ("他家地下室囤了好多桶汽油，说是拿来倒卖的", {"110", "12345"}),
    ("山上一直往下掉石头，坡底下还住着几户人家", {"110", "12345"}),
    ("我婆婆在池塘边滑进去了，自己爬不上来", {"110", "119", "120"}),
    ("一个三四岁的小孩自己在水库边上玩，周围没有大人", {"110"}),
    ("家里烧炭取暖，一家人都头疼想吐", {"119", "120"}),
])
def test_a_person_in_danger_is_sent_to_the_emergency_services_and_reviewed(router, text, must):
    d = router.route(text, "12345")
    assert must <= set(d.services), (text, d.services, d.reasons)
    assert d.review, d.reasons


@pytest.mark.parametrize("text", [
    "我家的猫爬到树上下不来了，在那叫了半天",
    "邻居的狗被电动车撞了，腿瘸了",
    "小区池塘里有只鸭子卡在网里出不来",
    "楼下养的鸡被热得快不行了",
])
def test_an_animal_in_trouble_brings_no_ambulance_or_fire_engine(router, text):
    d = router.route(text, "12345")
    assert not {"119", "120"} & set(d.services), (text, d.services, d.reasons)


@pytest.mark.parametrize("text", [
    "大风把路边的树刮倒了，还好没砸到人，就是挡住了路",
    "商场外墙的广告牌摇摇欲坠，随时会掉下来砸到人",
    "我邻居家门口一直有快递堆着，敲门没人应",
    "人行道上的井盖碎了一块，麻烦来修一下",
    "我怀孕八个月了想咨询一下产检补贴",
    "请问一个人住的老人申请居家养老要什么材料",
])
def test_no_composed_danger_where_nobody_is_at_risk(router, text):
    d = router.route(text, "12345")
    assert not any(r.startswith("组合研判") and "压" in r for r in d.reasons) or "没砸到" not in text
    assert "120" not in d.services and "119" not in d.services, (text, d.services, d.reasons)


def test_an_animal_that_hurts_a_person_still_brings_the_ambulance(router):
    d = router.route("我被邻居家的狗咬伤了，腿上一直流血", "12345")
    assert "120" in d.services, d.reasons


@pytest.mark.parametrize("text", ["楼下那个老人不太对劲，喊也不应", "我爸躺在床上，叫都不应"])
def test_no_answer_when_called_is_unresponsive(route, text):
    d = route(text)
    assert "120" in d.services and d.review


def test_shouldnt_is_not_unresponsive(route):
    assert "120" not in route("物业说这个费用业主不应该交，到底该不该交").services
