"""The router's contract, services for typical appeals, bad input, levels."""

import json

import pytest

from liandong.core.errors import InvalidInput
from liandong.core.types import Level
from liandong.routing.decision import KINDS, RoutingDecision
from liandong.routing.lists import unit_function_keys
from liandong.routing.router import load_router


def test_contract_fields(route):
    d = route("解放路和中山路路口的红绿灯坏了")
    assert isinstance(d, RoutingDecision)
    assert d.services == ("110",)
    assert d.category_code == "JC-A03" and d.category_name == "交通信号灯"
    assert d.category_group == "公安交通类" and d.category_list == "12345→110"
    assert d.kind in KINDS and d.level in set(Level)
    assert d.unit_function in unit_function_keys()
    assert 0 <= d.confidence <= 1 and isinstance(d.review, bool) and d.reasons
    data = d.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False))["services"] == ["110"]
    assert set(data) >= {"services", "category_code", "category_name", "category_group", "category_list", "kind",
                         "unit_function", "level", "level_reasons", "confidence", "review", "reasons"}


def test_router_is_cached_per_city(router):
    assert load_router("demo") is router


@pytest.mark.parametrize(
    ("text", "channel", "services"),
    [
        ("小区门口有人拿刀抢劫，刚往东边跑了", "12345", ("110",)),
        ("我被人打了头在流血，打人的还在旁边", "12345", ("110", "120")),
        ("商场三楼着火了，好多人在往外跑", "12345", ("119",)),
        ("出租屋着火了，有个老人被烟熏晕了", "12345", ("119", "120")),
        ("一辆货车侧翻，司机被卡在驾驶室里", "12345", ("110", "119", "120")),
        ("有个男的站在天台边上说不想活了", "12345", ("110", "12345")),
        ("几十个业主在售楼处拉横幅，和保安推搡", "110", ("110", "12345")),
        ("我爸突然晕倒了，叫不醒", "12345", ("120",)),
        ("我们这栋楼停水两天了", "110", ("12345",)),
        ("公司拖欠三个月工资不发", "110", ("12345",)),
        ("帮我看看明天去北京的航班有没有延误", "12345", ()),
        ("楼道里一股很浓的煤气味", "12345", ("119", "12345")),
    ],
)
def test_services(route, text, channel, services):
    assert route(text, channel).services == services


def test_mixed_appeal_past_crime_with_a_current_complaint(route):
    d = route("我家上个月被偷过，小区门禁坏了半年，物业也不修")
    assert d.services == ("12345",)
    assert any("过去发生" in r for r in d.reasons)


def test_past_crime_alone_is_a_report_to_110(route):
    d = route("上个月我的电动车在楼下被偷了，想报案")
    assert d.services == ("110",) and d.level == "一般" and d.category_code == "JC-A21"


def test_negated_injury_keeps_only_police(route):
    d = route("两辆车在路口追尾了，没有人受伤")
    assert d.services == ("110",)
    assert any(r.startswith("否定") for r in d.reasons)


@pytest.mark.parametrize(
    ("text", "level", "why"),
    [
        ("化工厂发生爆炸，十几个人受伤", "重大", "伤亡"),
        ("电梯困住了好几个人", "较大", "多人被困"),
        ("三百多个村民在镇政府门口聚集", "重大", "群体性"),
        ("小区门口两个人打架", "一般", None),
    ],
)
def test_levels(route, text, level, why):
    d = route(text)
    assert d.level == level
    if why:
        assert any(why in r for r in d.level_reasons)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("请问医保异地备案怎么办理", "咨询"), ("我要举报有人在河里电鱼", "举报"), ("建议在小区门口增设公交站", "建议"),
     ("物业乱收费，我要投诉", "投诉"), ("家里停电了，麻烦派人来修", "求助")],
)
def test_kinds(route, text, kind):
    assert route(text).kind == kind


@pytest.mark.parametrize(
    ("text", "channel", "message"),
    [("", "12345", "为空"), ("   \n ", "12345", "为空"), ("a" * 100_000, "12345", "过长"),
     ("x" * 25_000 + "着火", "12345", "过长"), ("help 12345 !!!", "12345", "不含中文"), ("停水了", "fax", "未知的受理渠道"),
     (None, "12345", "为空")],
)
def test_bad_input(router, text, channel, message):
    with pytest.raises(InvalidInput, match=message):
        router.route(text, channel)


def test_route_many_matches_route(router):
    texts = ["路灯坏了", "有人溺水了", "想问下公积金怎么提取", "帮我订个酒店"]
    many = router.route_many([{"text": t, "channel": "12345"} for t in texts])
    assert [m.services for m in many] == [router.route(t).services for t in texts]
    assert router.route_many([]) == []


def test_review_when_unsure(route):
    d = route("嗯嗯那个就是那个事情你们知道的")
    assert d.review and d.confidence < 0.55
    assert any("熔断" in r for r in d.reasons)
