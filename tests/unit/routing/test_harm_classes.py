"""Classes of harm the dev5 first run missed (docs/routing.md, dev5), each with phrasings written for the test
(not copied from any case) and look-alikes that must stay off the emergency services."""

import pytest

E = {"110", "119", "120"}


@pytest.mark.parametrize("text", [
    "我同事从梯子上摔下来了，后脑勺着地",                      # a fall from a height
    "有个工人从屋顶上栽下去了，就在村委会后面",
    "他被人用刀划了一下胳膊，血一直往外流",                    # a wound, bleeding
    "我爸额头磕破了，开了个大口子",
    "那人挨了两刀，倒在店门口",
    "炒菜的时候油锅着了，我妈被烫到脸了",                      # a burn
    "邻居家孩子衣服着火了，现在人在地上打滚",
])
def test_a_person_hurt_now_gets_an_ambulance(route, text):
    assert "120" in route(text).services


@pytest.mark.parametrize("text", [
    "一辆货车把骑三轮的大爷撞了，大爷头上破了，血往外冒",          # a crash with a wound: police and ambulance
    "两个人在工地上打架，一个被铁锹敲破了头",                       # violence with a wound
])
def test_harm_done_by_someone_keeps_the_police(route, text):
    assert {"110", "120"} <= set(route(text).services)


@pytest.mark.parametrize("text", [
    "工厂的卷板机把师傅的手绞进去了，机器已经停了",               # caught in a machine while being freed
    "修车的时候车从架子上滑下来，把人夹在底下，他一直在哼",
])
def test_a_rescue_with_a_casualty_takes_an_ambulance(route, text):
    assert {"119", "120"} <= set(route(text).services)


def test_a_body_part_merely_stuck_is_a_rescue_without_an_ambulance(route):
    assert set(route("小孩把脚卡在护栏缝里了，拔不出来，哭得厉害").services) & E == {"119"}


def test_toxic_fumes_with_symptoms_take_an_ambulance(route):
    assert {"119", "120"} <= set(route("隔壁化工厂有毒气泄漏，我们车间好几个人头晕想吐").services)


def test_a_question_is_not_a_denial(route):
    assert "110" in route("对方说是公安局的，让我把钱转到安全账户，我转了两万，是不是被骗了").services


@pytest.mark.parametrize("text", [
    "我家狗从阳台上摔下来了，腿好像断了",                          # an animal
    "我儿子骑车摔了，膝盖擦破点皮，人没什么大事",                  # minor, and said so
    "去年我从梯子上摔下来过，现在想问工伤怎么认定",                 # the past, a claim
    "孩子手上没破皮，就是有点红",                                   # a negation
    "小区楼道里的灭火器过期了，万一着火怎么办",                     # a question about a risk
])
def test_look_alikes_stay_off_the_emergency_services(route, text):
    assert not set(route(text).services) & E, route(text).reasons


@pytest.mark.parametrize("text", [
    "仓库的货架倒了，把一个搬运工砸底下了",                          # something acting on a person
    "冲床把我徒弟的手夹住了，人在喊",
    "拖拉机翻了，车斗扣在老乡身上",
    "我们几个人下到窨井里干活，老王下去半天没上来",                  # went down, did not come up
])
def test_a_person_pinned_or_caught_is_a_rescue_with_an_ambulance(route, text):
    assert {"119", "120"} <= set(route(text).services), route(text).reasons


def test_a_person_dragged_under_a_vehicle_is_police_rescue_and_ambulance(route):
    assert {"110", "119", "120"} <= set(route("一辆渣土车转弯把骑自行车的人卷到车底下了").services)


@pytest.mark.parametrize("text", [
    "把我工资压了三个月不发，老板人也找不到",                       # 压 of wages, not of a person
    "小区门口的树歪了，压在电线上，下面没人",                       # a thing on a thing
    "我家猫被卷帘门夹住了尾巴",                                     # an animal
])
def test_pinned_look_alikes_bring_no_rescue(route, text):
    assert not {"119", "120"} & set(route(text).services), route(text).reasons
