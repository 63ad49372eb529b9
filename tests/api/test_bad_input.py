"""Bad input: a 4xx with a message a person understands, never a 500, never a half-written record."""

import pytest

from tests.builders import World

GOOD = {"channel": "phone", "text": "路灯坏了好几天了", "region": "148802001"}


def count_orders(world: World) -> int:
    return world.get("admin", "/orders").json()["total"]


@pytest.mark.parametrize("body,fragment", [
    ({**GOOD, "text": ""}, "诉求内容"),
    ({**GOOD, "text": "   "}, "不能为空"),
    ({k: v for k, v in GOOD.items() if k != "text"}, "诉求内容：缺少必填字段"),
    ({**GOOD, "text": "很长" * 500_000}, "请求体过大"),
    ({**GOOD, "text": "长" * 6000}, "过长"),
    ({**GOOD, "text": 12345}, "应为文本"),
    ({**GOOD, "channel": "pigeon"}, "受理渠道"),
    ({**GOOD, "region": "999999"}, "行政区划代码"),
    ({**GOOD, "region": "148899"}, "不在明川市"),
    ({**GOOD, "region": "14880"}, "格式错误"),
    ({**GOOD, "caller": {"phone": "call me"}}, "联系电话"),
    ({**GOOD, "received_at": "yesterday"}, "日期时间"),
    ({**GOOD, "surprise": 1}, "不允许的字段"),
])
def test_bad_appeals_are_refused_clearly_and_nothing_is_written(world: World, body, fragment):
    r = world.post("operator", "/appeals", body)
    assert 400 <= r.status_code < 500, r.text
    assert fragment in r.json()["message"]
    assert count_orders(world) == 0


def test_not_json_at_all(world: World):
    r = world.client.post("/api/v1/appeals", content=b"{not json", headers={**world.as_("operator"), "content-type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["message"]


def test_unknown_order_and_unknown_action(world: World):
    r = world.get("admin", "/orders/GD-000000-20260101-000001")
    assert r.status_code == 404 and "不存在" in r.json()["message"]
    number = world.post("operator", "/appeals", GOOD).json()["orders"][0]["id"]
    r = world.act("admin", number, "teleport")
    assert r.status_code == 422 and "操作" in r.json()["message"]


def test_dispatch_to_unknown_or_police_unit_is_refused_without_change(world: World):
    number = world.post("operator", "/appeals", {**GOOD, "text": "不确定找谁"}).json()["orders"][0]["id"]
    r = world.act("dispatcher", number, "dispatch", unit="NOPE")
    assert r.status_code == 404 and "承办单位" in r.json()["message"]
    r = world.act("dispatcher", number, "dispatch", unit="PS-148802")
    assert r.status_code == 422 and "转办" in r.json()["message"]
    order = world.get("dispatcher", f"/orders/{number}").json()
    assert order["status"] == "received" and order["unit"] is None
    assert len(world.get("dispatcher", f"/orders/{number}/events").json()) == 1


def test_bad_list_filters(world: World):
    assert world.get("admin", "/orders", params={"status": "bogus"}).status_code == 422
    assert world.get("admin", "/orders", params={"page_size": 100000}).status_code == 422
    r = world.get("admin", "/orders", params={"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert r.status_code == 422 and "起始日期" in r.json()["message"]


def test_stale_version_is_409(world: World):
    number = world.post("operator", "/appeals", GOOD).json()["orders"][0]["id"]
    seen = world.get("handler_urban", f"/orders/{number}").json()["version"]
    assert world.act("handler_urban", number, "sign", expected_version=seen).status_code == 200
    r = world.act("handler_urban", number, "handle", expected_version=seen)
    assert r.status_code == 409 and "已被他人更新" in r.json()["message"]
