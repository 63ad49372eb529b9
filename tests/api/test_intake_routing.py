"""Intake with the real routing engine: the right orders open on the right platforms, with reasons."""

import pytest

from tests.builders import make_world


@pytest.fixture(scope="module")
def router():
    from liandong.routing.router import load_router

    return load_router("demo")


@pytest.fixture
def world(db_url, clock, router):
    w = make_world(db_url, clock, router=router)
    yield w
    w.ctx.close()


def submit(world, text, region="148802001002", who="operator", channel="phone"):
    r = world.post(who, "/appeals", {"channel": channel, "text": text, "region": region,
                                      "caller": {"name": "周建国", "phone": "13900001111"}})
    assert r.status_code == 201, r.text
    return r.json()


def test_non_police_matter_goes_to_the_department_with_reasons(world):
    body = submit(world, "我们小区门口天天有人占道摆摊卖菜，车都开不进来")
    assert body["routing"]["services"] == ["12345"]
    assert body["routing"]["reasons"] and body["routing"]["category"]
    (order,) = body["orders"]
    assert order["platform"] == "12345" and order["unit"] == "URBAN" and order["status"] == "dispatched"


def test_crime_in_progress_goes_to_110_and_12345_keeps_a_shadow(world):
    body = submit(world, "我们小区门口有人持刀抢劫，刚刚抢了一个女的包往东边跑了")
    assert "110" in body["routing"]["services"] and "12345" not in body["routing"]["services"]
    platforms = {o["platform"]: o for o in body["orders"]}
    assert platforms["110"]["unit"] == "PS-148802"
    assert platforms["12345"]["status"] in ("transferred", "peer_handling")


def test_person_threatening_to_jump_is_both_at_once(world):
    body = submit(world, "一个男的站在楼顶边上说不想活了")
    assert set(body["routing"]["services"]) >= {"110", "12345"}
    assert {o["platform"] for o in body["orders"]} == {"110", "12345"}


def test_refer_case_opens_an_order_for_the_operator_to_explain(world):
    body = submit(world, "帮我查一下明天的航班有没有延误")
    assert body["routing"]["services"] == []
    (order,) = body["orders"]
    assert order["status"] == "received" and order["platform"] == "12345"


def test_route_endpoint_answers_without_opening_anything(world):
    r = world.post("operator", "/route", {"text": "商场里着火了，好多人在往外跑", "channel": "12345"})
    assert r.status_code == 200 and "119" in r.json()["services"]
    assert world.get("admin", "/orders").json()["total"] == 0


@pytest.mark.parametrize("text,fragment", [("hello, is anybody there", "中文"), ("", "诉求内容")])
def test_route_refuses_unusable_text(world, text, fragment):
    r = world.post("operator", "/route", {"text": text})
    assert r.status_code == 422 and fragment in r.json()["message"]


def test_an_order_opened_at_intake_carries_the_routings_category(world):
    """Every order of the appeal keeps the list item routing chose: name, code and group (it was lost once)."""
    body = submit(world, "我们小区门口天天有人占道摆摊卖菜，车都开不进来")
    routing = body["routing"]
    assert routing["category"] and routing["category_code"]
    for ref in body["orders"]:
        order = world.get("admin", f"/orders/{ref['id']}").json()
        assert (order["category"], order["category_code"]) == (routing["category"], routing["category_code"])
        assert order["category_group"] and order["category_group"] == order["routing"]["category_group"]
    listed = world.get("admin", "/orders").json()["items"]
    assert {o["category"] for o in listed} == {routing["category"]}


@pytest.mark.parametrize("texts", [
    ("小区门口有人占道摆摊，车都进不来", "小区门口天天有人占道摆摊，车子都进不来了", "我们小区门口有人占道摆摊，车都开不进来"),
    ("路灯坏了好几天了晚上很黑", "我家楼下的路灯坏了好几天，晚上很黑", "路边的路灯坏了好几天了，晚上特别黑"),
])
def test_near_identical_appeals_get_the_same_list_item_when_routing_is_confident(world, texts):
    bodies = [submit(world, t, region=None) for t in texts]
    confident = [b for b in bodies if not b["routing"]["review"]]
    assert len(confident) >= 2, [b["routing"] for b in bodies]
    assert len({b["routing"]["category_code"] for b in confident}) == 1
    orders = [world.get("admin", f"/orders/{b['orders'][0]['id']}").json() for b in confident]
    assert len({(o["category_code"], o["category"], o["category_group"]) for o in orders}) == 1


def test_a_consultation_answered_on_the_call_is_replied_not_dispatched(world):
    """即问即答: with the operator's answer the confident routing does not dispatch; the order is 已答复."""
    body = submit(world, "请问社保卡丢了怎么补办，需要带什么材料")
    assert body["orders"][0]["status"] == "dispatched"  # without an answer it goes to the department
    r = world.post("operator", "/appeals", {"channel": "phone", "text": "请问社保卡丢了怎么补办，需要带什么材料",
                                            "region": "148802001002", "answer": "携带身份证到社保服务大厅补办，当场可取"})
    assert r.status_code == 201, r.text
    (order,) = r.json()["orders"]
    assert order["status"] == "replied" and order["unit"] is None
    trail = [e["action"] for e in world.get("operator", f"/orders/{order['id']}/events").json()]
    assert trail == ["receive", "reply"]


def test_an_emergency_cannot_be_answered_on_the_call_and_nothing_is_stored(world):
    before = world.get("admin", "/orders").json()["total"]
    r = world.post("operator", "/appeals", {"channel": "phone", "text": "有人持刀抢劫，刚刚往东边跑了",
                                            "region": "148802001002", "answer": "请您注意安全"})
    assert r.status_code == 422 and "不能当场答复" in r.json()["message"]
    assert world.get("admin", "/orders").json()["total"] == before
