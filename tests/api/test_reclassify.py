"""改分类定级 through the API: a review order (熔断) gets a category of the city's lists and a level."""

from tests.builders import World

APPEAL = {"channel": "phone", "text": "不确定该找谁，小区垃圾堆了好几天", "region": "148802001002",
          "caller": {"name": "李秀英", "phone": "13812345678"}}


def test_a_dispatcher_reclassifies_a_review_order_then_dispatches_it(world: World):
    r = world.post("operator", "/appeals", APPEAL)
    assert r.status_code == 201, r.text
    order = r.json()["orders"][0]
    number = order["id"]
    read = world.get("dispatcher", f"/orders/{number}").json()
    assert read["status"] == "received" and read["review"] is True  # the machine was unsure: not dispatched
    assert "reclassify" in read["allowed_actions"]
    version = read["version"]

    bad = world.act("dispatcher", number, "reclassify", category="NO-SUCH")
    assert bad.status_code == 422 and "不在本市分流转办事项清单中" in bad.json()["message"]
    assert world.act("handler_urban", number, "reclassify", level="较大").status_code == 403
    assert world.act("dispatcher", number, "reclassify").status_code == 422

    done = world.act("dispatcher", number, "reclassify", category="JC-B65", level="较大", expected_version=version)
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["category_code"], body["category"], body["category_group"], body["level"]) == \
        ("JC-B65", "垃圾清运", "城市管理类", "较大")
    assert body["review"] is False and body["status"] == "received"
    assert world.get("dispatcher", "/supervision/orders", params={"kind": "review"}).json()["total"] == 0
    stale = world.act("dispatcher", number, "reclassify", level="一般", expected_version=version)
    assert stale.status_code == 409

    trail = world.get("dispatcher", f"/orders/{number}/events").json()
    assert trail[-1]["action"] == "reclassify" and trail[-1]["action_label"] == "改分类定级"
    assert trail[-1]["data"]["category"] == {"from": "T-其他", "to": "JC-B65"}
    assert world.act("dispatcher", number, "dispatch", unit="URBAN").json()["status"] == "dispatched"
