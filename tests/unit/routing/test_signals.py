"""Emergency signals: negation, time, hypotheticals and look-alikes."""

import pytest

from liandong.routing.signals import ACTIVE, HYPOTHETICAL, NEGATED, PAST, active_signals, detect
from liandong.routing.text import normalise


def states(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for h in detect(normalise(text)):
        out.setdefault(h.signal, set()).add(h.state)
    return out


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("有人拿着刀在小区门口追着人砍", "violence"),
        ("楼下饭店起火了，烟很大", "fire"),
        ("一股很浓的煤气味，怕是漏气了", "gas_leak"),
        ("电梯卡在半空，里面关着三个人", "trapped"),
        ("有个小孩掉河里了", "drowning"),
        ("我女儿说不想活了", "self_harm"),
        ("他说再不给钱就去报复社会", "threat"),
        ("四十多个工人堵在公司门口讨薪", "gathering"),
        ("有人冒充公安让我往安全账户转账", "fraud"),
        ("我家孩子放学到现在还没回家", "missing_person"),
        ("两辆车在路口撞上了", "traffic_accident"),
        ("老人摔倒了起不来，头在流血", "injury"),
        ("我老婆怀孕八个月，肚子疼得厉害", "medical"),
        ("高速上一辆槽罐车侧翻在漏液体", "hazchem"),
        ("他把我按在地上揍了一顿", "violence"),
        ("孩子突然抽风，翻白眼", "medical"),
        ("孩子被锁在车里，车窗都关着", "trapped"),
        ("有人在喊救命", "distress"),
        ("河里漂着一具尸体", "crime"),
        ("加油站旁边一辆车烧得很旺", "fire"),
    ],
)
def test_signal_fires(text, signal):
    assert ACTIVE in states(text).get(signal, set()), detect(normalise(text))


@pytest.mark.parametrize(
    ("text", "signal", "state"),
    [
        ("两车追尾了，没有人受伤", "injury", NEGATED),
        ("把人撞倒了，还好人没事", "injury", NEGATED),
        ("不是着火，是油烟", "fire", NEGATED),
        ("没有漏气，就是想换燃气表", "gas_leak", NEGATED),
        ("私拉电线很容易着火", "fire", HYPOTHETICAL),
        ("万一着火了人都跑不出去", "fire", HYPOTHETICAL),
        ("楼道堆东西存在火灾隐患", "fire", None),
        ("上个月被偷过一次", "crime", PAST),
        ("去年在路口跟人追尾过，到现在保险也没赔", "traffic_accident", PAST),
        ("前年在工地摔伤了，工伤赔偿还没拿到", "injury", PAST),
        ("我家老人走失了，已经找到了", "missing_person", PAST),
        ("小区里没有人打架，就是两个老人吵嘴", "violence", NEGATED),
        ("小区下水道盖子翻了，小孩容易掉进去", "trapped", HYPOTHETICAL),
    ],
)
def test_negation_time_and_hypotheticals(text, signal, state):
    got = states(text).get(signal, set())
    assert ACTIVE not in got
    if state:
        assert state in got


def test_present_marker_ends_a_past_narrative():
    hits = detect(normalise("上个月，我家被偷了。现在又有人在撬门"))
    assert {(h.signal, h.state) for h in hits} >= {("crime", PAST), ("crime", ACTIVE)}


@pytest.mark.parametrize(
    "text",
    ["商场搞跳楼价大甩卖", "小区绿化带里的树死了好几棵", "我想打电话问一下打疫苗的事", "工厂烟囱天天冒黑烟",
     "天然气打不着火了", "洗车店打了口井抽地下水", "钥匙丢了找不到"],
)
def test_look_alikes_are_not_emergencies(text):
    assert active_signals(detect(normalise(text))) == []
