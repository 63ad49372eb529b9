"""Service conventions (conventions.py and the combinations in policy.py): new phrasings, not copies of case files."""

import pytest

from liandong.routing.router import load_router


@pytest.fixture(scope="module")
def router():
    return load_router("demo")


@pytest.mark.parametrize("text, gold", [
    ("果园里的土坡垮下来了，我表哥被埋到腰那里，喊他只哼哼", {"119", "120"}),
    ("厂房里的钢架子倒了，压住了一个焊工的腿，他在叫", {"119", "120"}),
    ("修管道的师傅掉进窨井里了，喊他半天没反应", {"119", "120"}),
])
def test_a_trapped_person_who_is_hurt_also_gets_an_ambulance(router, text, gold):
    d = router.route(text)
    assert set(d.services) == gold, (text, d.services, d.reasons)


@pytest.mark.parametrize("text", [
    "商场的电梯停在三楼和四楼中间，我们两个人关在里面，按铃没人理",
    "我家猫钻进下水道口卡住了，出不来",
])
def test_a_person_only_shut_in_or_an_animal_gets_no_ambulance(router, text):
    assert "120" not in router.route(text).services


@pytest.mark.parametrize("text", [
    "街口那栋老宿舍楼塌了一角，听说有人压在底下",
    "两辆货车在高架上追尾，有个司机卡在驾驶室里出不来",
])
def test_a_building_down_or_a_crash_with_someone_trapped_is_110_119_120(router, text):
    assert set(router.route(text).services) == {"110", "119", "120"}


@pytest.mark.parametrize("text", [
    "隔壁院子里堆了几十桶柴油，说是给拖拉机用的，挨着就是幼儿园",
    "河堤裂了好长一道口子，下面住着好多户人家",
])
def test_a_hazard_not_yet_harming_anyone_is_110_with_the_department(router, text):
    assert set(router.route(text).services) == {"110", "12345"}


@pytest.mark.parametrize("text", [
    "我在网约车上，司机把门锁了不让我下车，一直往山里开",
    "超市门口两个小青年拿着棍子追着一个人打，往停车场跑了",
])
def test_a_harm_being_done_next_to_a_department_word_is_110_alone(router, text):
    d = router.route(text)
    assert "110" in d.services and "12345" not in d.services, (text, d.services, d.reasons)
