"""The work-order scenario end to end through the API, as the roles would do it."""

from tests.builders import World

APPEAL = {"channel": "phone", "text": "我们小区门口有人占道摆摊卖菜，堵得车进不来", "address": "东城区东门街道幸福里小区",
          "region": "148802001002", "caller": {"name": "李秀英", "phone": "13812345678"}}


def open_one(world: World, **overrides) -> dict:
    r = world.post("operator", "/appeals", {**APPEAL, **overrides})
    assert r.status_code == 201, r.text
    return r.json()


def test_intake_to_evaluation_with_audit_trail(world: World):
    created = open_one(world)
    assert created["routing"]["services"] == ["12345"]
    (order,) = created["orders"]
    number = order["id"]
    assert number.startswith("GD-148802-20261123-")
    assert order["status"] == "dispatched" and order["unit"] == "URBAN"  # confident routing: dispatched at once

    assert world.act("handler_urban", number, "sign").json()["status"] == "signed"
    assert world.act("handler_urban", number, "handle", step="核实", note="已到现场核实").json()["status"] == "handling"
    assert world.act("handler_urban", number, "reply", note="已劝离摊贩，恢复通行").json()["status"] == "replied"
    assert world.act("dispatcher", number, "close").json()["status"] == "closed"
    assert world.act("operator", number, "visit", satisfied=True).json()["status"] == "visited"
    final = world.act("operator", number, "evaluate", rating=5).json()
    assert final["status"] == "evaluated" and final["rating"] == 5 and final["allowed_actions"] == []

    trail = world.get("supervisor", f"/orders/{number}/events").json()
    assert [e["action"] for e in trail] == ["receive", "dispatch", "sign", "handle", "reply", "close", "visit", "evaluate"]
    assert [e["seq"] for e in trail] == list(range(1, 9))
    assert trail[2]["actor"] == "handler_urban" and trail[2]["role"] == "handler" and trail[2]["unit"] == "URBAN"
    assert trail[2]["from_status"] == "dispatched" and trail[2]["to_status"] == "signed"


def test_illegal_action_is_409_naming_state_and_allowed(world: World):
    number = open_one(world)["orders"][0]["id"]
    r = world.act("dispatcher", number, "close")
    assert r.status_code == 409
    body = r.json()
    assert body["error"] == "illegal_transition"
    assert "已派单" in body["message"] and "签收" in body["message"]


def test_return_goes_through_approval_and_counts(world: World):
    number = open_one(world)["orders"][0]["id"]
    world.act("handler_urban", number, "sign")
    r = world.act("handler_urban", number, "return", reason="not_our_duty", note="应由街道处理")
    assert r.json()["status"] == "return_pending" and r.json()["return_count"] == 1
    assert world.act("handler_urban", number, "approve_return").status_code == 403
    approved = world.act("supervisor", number, "approve_return", note="同意，改派街道")
    assert approved.json()["status"] == "received" and approved.json()["unit"] is None
    redispatched = world.act("dispatcher", number, "dispatch", unit="ST-148802001")
    assert redispatched.json()["unit"] == "ST-148802001" and redispatched.json()["transfer_count"] == 1
    actions = [e["action"] for e in world.get("admin", f"/orders/{number}/events").json()]
    assert actions[-3:] == ["return", "approve_return", "dispatch"]


def test_handler_of_another_unit_gets_403_and_cannot_see_it(world: World):
    number = open_one(world)["orders"][0]["id"]
    assert world.act("handler_water", number, "sign").status_code == 403
    assert world.get("handler_water", f"/orders/{number}").status_code == 403
    assert world.get("handler_water", "/orders").json()["total"] == 0
    assert world.get("handler_urban", "/orders").json()["total"] == 1


def test_district_dispatcher_sees_only_their_region(world: World):
    open_one(world)  # 东城区
    open_one(world, region="148803001001", address="西湖区西湖街道")
    west = world.get("dispatcher_west", "/orders").json()
    assert west["total"] == 1 and west["items"][0]["region"].startswith("148803")
    assert world.get("dispatcher", "/orders").json()["total"] == 2


def test_listing_masks_caller_and_only_the_units_handler_sees_contact(world: World):
    number = open_one(world)["orders"][0]["id"]
    item = world.get("dispatcher", "/orders").json()["items"][0]
    assert item["caller_phone"] == "138****5678" and item["caller_name"] == "李**"
    assert world.get("dispatcher", f"/orders/{number}").json()["caller"]["masked"] is True
    mine = world.get("handler_urban", f"/orders/{number}").json()["caller"]
    assert mine == {"name": "李秀英", "phone": "13812345678", "masked": False}


def test_unsatisfied_visit_reopens(world: World):
    number = open_one(world)["orders"][0]["id"]
    for who, action, extra in [("handler_urban", "sign", {}), ("handler_urban", "reply", {"note": "已处理"}),
                               ("dispatcher", "close", {}), ("operator", "visit", {"satisfied": False})]:
        assert world.act(who, number, action, **extra).status_code == 200
    reopened = world.act("supervisor", number, "reopen", reason="回访不满意，摊贩又回来了")
    assert reopened.json()["status"] == "dispatched" and reopened.json()["unit"] == "URBAN"


def test_review_case_waits_for_a_person(world: World):
    created = open_one(world, text="这个事情我也说不清楚，不确定找哪个部门")
    assert created["routing"]["review"] is True
    assert created["orders"][0]["status"] == "received"


def test_emergency_opens_police_and_work_orders_in_parallel(world: World):
    created = open_one(world, text="楼顶有个人要跳楼，说不想活了")
    platforms = sorted(o["platform"] for o in created["orders"])
    assert platforms == ["110", "12345"]
    police = next(o for o in created["orders"] if o["platform"] == "110")
    assert police["id"].startswith("JD-") and police["unit"] == "PS-148802"
    assert world.get("police", f"/orders/{police['id']}").json()["linked_order"].startswith("GD-")


def test_police_only_appeal_keeps_a_shadow_that_follows_the_police_order(world: World):
    created = open_one(world, text="刚才有人抢劫，往东跑了")
    shadow = next(o for o in created["orders"] if o["platform"] == "12345")
    police = next(o for o in created["orders"] if o["platform"] == "110")
    assert shadow["status"] == "peer_handling"  # 110 dispatched police at once: that is the shadow's 对方签收
    trail = [e["action"] for e in world.get("dispatcher", f"/orders/{shadow['id']}/events").json()]
    assert trail == ["receive", "transfer", "peer_accept", "peer_progress"]  # the feedback table: accept, dispatched
    for action, extra in [("arrive", {}), ("handle", {}), ("reply", {"note": "嫌疑人已抓获"}), ("close", {})]:
        assert world.act("police", police["id"], action, **extra).status_code == 200
    after = world.get("dispatcher", f"/orders/{shadow['id']}").json()
    assert after["status"] == "replied"  # the peer's result arrived: 12345 may now close and visit
    assert world.act("dispatcher", shadow["id"], "close").status_code == 200


def test_cancel_and_merge_need_reasons(world: World):
    a = open_one(world, text="这个事情我也说不清楚，不确定")["orders"][0]["id"]
    b = open_one(world, text="还是那个事情，不确定")["orders"][0]["id"]
    assert world.act("operator", a, "cancel").status_code == 422
    merged = world.act("dispatcher", b, "merge", target=a, reason="同一事项重复来电")
    assert merged.json()["status"] == "merged" and merged.json()["merged_into"] == a
    c = open_one(world, text="第三次来电，不确定")["orders"][0]["id"]
    missing = world.act("dispatcher", c, "merge", target="GD-148802-20261123-999999", reason="重复")
    assert missing.status_code == 404 and "不存在" in missing.json()["message"]
    assert world.get("dispatcher", f"/orders/{c}").json()["status"] == "received"  # nothing half-written


def test_a_work_order_received_from_110_reports_returns_and_redispatch_to_the_police_shadow(world: World):
    """One feedback table for both transports: in one process a unit's return and its approval reach the
    origin's shadow as progress, exactly as they travel between separate desks (test_desk_linkage)."""
    r = world.post("police", "/appeals", {"channel": "110", "text": "我们小区停水两天了", "region": "148802001"})
    assert r.status_code == 201, r.text
    orders = {o["platform"]: o for o in r.json()["orders"]}
    shadow, work = orders["110"], orders["12345"]
    assert (shadow["status"], work["status"], work["unit"]) == ("peer_handling", "dispatched", "WSUPPLY")
    assert world.act("handler_water", work["id"], "sign").status_code == 200
    returned = world.act("handler_water", work["id"], "return", reason="not_our_duty", note="供水管网不归我单位")
    assert returned.status_code == 200, returned.text
    assert world.act("supervisor", work["id"], "approve_return").status_code == 200
    trail = world.get("police", f"/orders/{shadow['id']}/events").json()
    assert [e["action"] for e in trail] == ["receive", "transfer", "peer_accept"] + ["peer_progress"] * 4
    assert "供水管网不归我单位" in trail[-2]["note"] and world.get("police", f"/orders/{shadow['id']}").json()[
        "status"] == "peer_handling"


def test_visit_records_solved_and_level_and_first_contact_its_time(world: World):
    number = open_one(world)["orders"][0]["id"]
    assert world.act("handler_urban", number, "sign").status_code == 200
    contacted = world.act("handler_urban", number, "contact", note="已电话联系诉求人")
    assert contacted.status_code == 200 and contacted.json()["status"] == "signed"
    assert contacted.json()["contacted_at"] is not None
    again = world.act("handler_urban", number, "contact")
    assert again.status_code == 409 and "首次联系" in again.json()["message"]
    for who, action, extra in [("handler_urban", "reply", {"note": "已处理"}), ("dispatcher", "close", {})]:
        assert world.act(who, number, action, **extra).status_code == 200
    bad = world.act("operator", number, "visit", satisfaction="很好")
    assert bad.status_code == 422 and "不在本市满意度等级中" in bad.json()["message"]
    visited = world.act("operator", number, "visit", satisfaction="unsatisfied", solved=False).json()
    assert visited["satisfied"] is False and visited["solved"] is False and visited["satisfaction"] == "unsatisfied"
    trail = world.get("supervisor", f"/orders/{number}/events").json()
    assert trail[-1]["data"] == {"satisfied": False, "solved": False, "satisfaction": "unsatisfied"}
    assert world.act("supervisor", number, "reopen", reason="未解决").json()["status"] == "dispatched"
