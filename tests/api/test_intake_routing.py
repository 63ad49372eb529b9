"""Intake with the real routing engine: the right orders open on the right platforms, with reasons."""

import pytest

from tests.builders import make_world


@pytest.fixture(scope="module")
def router():
    from liandong.routing import load_router

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
