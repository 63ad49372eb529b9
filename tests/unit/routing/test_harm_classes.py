"""Classes of harm the dev5 first run missed (docs/routing.md, dev5), each with phrasings written for the test
(not copied from any case) and look-alikes that must stay off the emergency services."""

import pytest

from liandong.routing import policy

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


@pytest.mark.parametrize("text, needed", [
    ("水库边上有个人趴着，脸埋在水里，半天没动", {"110", "119", "120"}),       # a body in the water
    ("江面上浮着一个人，离岸二十来米", {"110", "119", "120"}),
    ("涨潮了，有个钓鱼的被潮水卷走了", {"110", "119", "120"}),                 # swept away
    ("一辆面包车倒车的时候开进了池塘，司机还在车里", {"110", "119", "120"}),   # a car into the water
    ("厨房里的插排着了，火苗已经窜到窗帘上了", {"119"}),                       # fire spreading
    ("我姥爷突然开始说胡话，家里人都认不出了", {"120"}),                       # acute confusion
    ("我弟弟发着高烧，突然浑身抽起来了", {"120"}),                             # convulsing
    ("幼儿园十几个小朋友中午吃完饭都在呕吐", {"120"}),                         # many sick at once
    ("我家小孩把一瓶漂白水喝了一口，在哭", {"120"}),                           # a household chemical swallowed
    ("我表姐给我发了条对不起照顾好爸妈，然后手机就关机了", {"110"}),           # a farewell, then silence
    ("邻居家门从里面反锁着，好几天了，门口一股怪味", {"110", "120"}),           # locked in, a smell
    ("村口那段挡土墙鼓起来了，一直往下掉土，下面就是上学的路，孩子天天走", {"110"}),   # a wall bulging over people
    ("河上那座木桥桥墩被冲空了，还有村民骑摩托从上面过", {"110"}),           # a bridge undermined, people crossing
    ("有人在公交站台冲着女学生露下体", {"110"}),                               # indecent exposure
    ("卖菜的找给我一张一百的假钞，还不认账", {"110"}),                          # counterfeit money
    ("有人在山路拐弯的地方撒了一地三角钉", {"110"}),                           # spikes on a road
])
def test_emergency_families_found_in_dev5(route, text, needed):
    assert needed <= set(route(text).services), route(text).reasons


@pytest.mark.parametrize("text", [
    "我家狗掉进鱼塘里了，在水里扑腾",                          # an animal
    "河面上漂着好多垃圾和死鱼，臭得很",                          # things floating, not a person
    "洗车店一直在抽地下水，地面都沉了",                          # 抽 of water
    "我想问问工业大麻种植要办什么许可",                          # a permit question
    "小区的墙面以前鼓过包，去年修好了",                          # the past
    "怎么识别假钞，银行有没有宣传资料",                          # a question
    "我爸每天晚上要抽两包烟，说也不听",                          # 抽烟
])
def test_dev5_family_look_alikes_stay_off_the_emergency_services(route, text):
    assert not set(route(text).services) & E, route(text).reasons


@pytest.mark.parametrize("text", [
    "有个小伙子坐在楼顶的边上，脚悬在外面，半天不下来",              # a person at an edge, lingering
    "一个阿姨翻过了大桥的护栏外侧，站着不动",                           # outside the railing
    "我老公喝醉了说要把这个家给烧了，手里攥着打火机",                 # to burn a house down
    "两百多个工人围在厂门口讨工资，把路堵了",                         # a crowd by number
])
def test_joint_emergencies_keep_the_hotline_beside_the_police(route, text):
    assert {"110", "12345"} <= set(route(text).services), route(text).reasons


def test_a_threat_against_whoever_comes_is_violence(route):
    assert "110" in route("他拿着铁锹守在门口，说谁敢进来他就砍谁").services


@pytest.mark.parametrize("text, banned", [
    ("那个小孩爬到窗户外面的雨棚上了，下不来", {"12345"}),               # a child climbing out: a rescue, not self-harm
    ("这个事情我们有一百多户居民的联名信，交给信访局了", {"110"}),     # a petition, not a crowd
    ("我站在阳台上晾衣服，看见楼下有人在遛狗", {"110"}),               # standing on a balcony
])
def test_joint_emergency_look_alikes(route, text, banned, monkeypatch):
    """No rule takes a look-alike for the joint emergency; where the learned detector still suspects one
    (阳台 is near the jumpers of its training calls), the decision goes to review with its reason."""
    d = route(text)
    assert not set(d.services) & banned or d.review and any("模型研判" in r for r in d.reasons), d.reasons
    monkeypatch.setattr(policy, "LEARNED", False)
    assert not set(route(text).services) & banned, route(text).reasons


@pytest.mark.parametrize("text", [
    "我同学在宿舍割了手腕，血流了一地",                                # self-harm done: police and ambulance
    "我妹说不想活了，刚才已经吃了半瓶安眠药",
])
def test_self_harm_done_takes_police_and_ambulance(route, text):
    assert {"110", "120"} <= set(route(text).services), route(text).reasons


def test_a_self_harm_threat_is_not_yet_an_ambulance_call(route):
    assert "120" not in route("有个大爷在镇政府门口说再不给解决就喝农药").services


def test_a_child_swallowing_is_an_ambulance_call_not_self_harm(route):
    assert set(route("孩子把一整瓶维生素片吃了，现在肚子疼").services) & E == {"120"}


@pytest.mark.parametrize("text, needed", [
    ("沟帮子塌了，一个工人被埋到胸口", {"119", "120"}),                     # buried to the waist or chest
    ("路边那辆车里锁着一个婴儿，车窗全关着，大人不在", {"119"}),           # a child locked in a car
    ("大客车翻了把一辆面包车压在下面，面包车里面还有人", {"110", "119", "120"}),  # a car under a vehicle, people inside
])
def test_trapped_families(route, text, needed):
    assert needed <= set(route(text).services), route(text).reasons


def test_choking_is_an_ambulance_not_a_rescue(route):
    assert set(route("我儿子吃汤圆卡住了，脸憋得通红").services) & E == {"120"}


@pytest.mark.parametrize("text", [
    "我家着火了，不是，是邻居在楼下烧烤，烟飘上来了",             # a caller correcting themselves
    "有人被打了 不对 是两个人在吵架 没动手",
])
def test_a_retracted_alarm_word_brings_no_emergency_service(route, text):
    assert not set(route(text).services) & E, route(text).reasons


def test_a_correction_to_another_harm_keeps_that_harm(route):
    assert "119" in route("我儿子被狗咬了，不是，是手卡在压面机里了，拔不出来").services
