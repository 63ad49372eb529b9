"""Supervision on stored orders, with a frozen clock across National Day 2026 and its make-up Saturday."""

import threading
from datetime import datetime, timedelta

import pytest

from liandong.core.clock import CST, FrozenClock
from tests.builders import make_world
from tests.fakes import ScriptedRouter

AT = datetime(2026, 9, 30, 16, 0, tzinfo=CST)


@pytest.fixture
def world(db_url):
    w = make_world(db_url, FrozenClock(AT), router=ScriptedRouter())
    yield w
    w.ctx.close()


def appeal(world, text="小区门口占道经营", phone="13800000001", region="148802001002", who="operator"):
    r = world.post(who, "/appeals", {"channel": "phone", "text": text, "region": region,
                                     "caller": {"name": "王大妈", "phone": phone}})
    assert r.status_code == 201, r.text
    return r.json()


def test_deadlines_cross_national_day(world):
    number = appeal(world)["orders"][0]["id"]
    order = world.get("dispatcher", f"/orders/{number}").json()
    # 签收 2 working hours from 16:00 on 30 Sept: 1.5 h that day, 0.5 h on 8 Oct (the holiday is 1–7 Oct)
    assert order["sign_due"].startswith("2026-10-08T09:30")
    # 答复 3 and 办结 15 working days (the demo default): 8, 9, 10 (make-up Saturday), 12–16, 19–23, 26, 27 Oct
    assert order["reply_due"].startswith("2026-10-10T17:30")
    assert order["close_due"].startswith("2026-10-27T17:30")


def test_lights_chase_then_escalate_and_never_twice(world):
    clock = world.ctx.clock
    number = appeal(world)["orders"][0]["id"]
    clock.set(datetime(2026, 10, 8, 9, 20, tzinfo=CST))  # 80 % of the sign limit used
    r = world.ctx.supervision.run_checks(world.ctx.write, clock.now())
    assert r.yellow == 1 and r.chased == 0
    assert world.get("dispatcher", f"/orders/{number}").json()["warning"] == "yellow"
    clock.set(datetime(2026, 10, 8, 10, 0, tzinfo=CST))  # past 签收 due (09:30)
    r = world.ctx.supervision.run_checks(world.ctx.write, clock.now())
    assert r.red == 1 and r.chased == 1
    r = world.ctx.supervision.run_checks(world.ctx.write, clock.now())
    assert r.chased == 0  # the same lapse is chased once
    clock.set(datetime(2026, 10, 10, 17, 31, tzinfo=CST))  # two working days later: 9 Oct, the make-up Saturday 10 Oct
    r = world.ctx.supervision.run_checks(world.ctx.write, clock.now())
    assert r.supervised == 1  # 签收 still missing two working days after its deadline
    assert r.chased == 1  # and 答复 (3 working days from 30 Sept: 8, 9, 10 Oct) has just lapsed: a new chase
    order = world.get("supervisor", f"/orders/{number}").json()
    assert order["urge_count"] == 2 and order["supervised"] is True and order["warning"] == "red"
    actions = [(e["action"], e["actor"]) for e in world.get("supervisor", f"/orders/{number}/events").json()]
    assert ("urge", "system") in actions and ("supervise", "system") in actions
    listed = world.get("supervisor", "/supervision/orders", params={"kind": "overdue"}).json()
    assert [i["id"] for i in listed["items"]] == [number]
    assert world.get("supervisor", "/supervision/overview").json()["chased"] == 1


def test_concurrent_scheduler_workers_chase_once(world):
    clock = world.ctx.clock
    numbers = [appeal(world, phone=f"1380000{i:04d}", text=f"占道经营{i}号")["orders"][0]["id"] for i in range(12)]
    clock.set(datetime(2026, 10, 8, 11, 0, tzinfo=CST))
    barrier = threading.Barrier(3)
    reports = []

    def worker():
        barrier.wait()
        reports.append(world.ctx.supervision.run_checks(world.ctx.write, clock.now(), batch=4))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.chased for r in reports) == len(numbers)
    for n in numbers:
        urges = [e for e in world.get("admin", f"/orders/{n}/events").json() if e["action"] == "urge"]
        assert len(urges) == 1


def test_an_order_bouncing_between_three_units_is_flagged_with_its_chain(world):
    number = appeal(world, text="这个不确定找哪个部门")["orders"][0]["id"]
    for unit, handler in [("URBAN", "handler_urban"), ("SAMR", "handler_samr"), ("ST-148802001", "handler_street")]:
        assert world.act("dispatcher", number, "dispatch", unit=unit).status_code == 200
        assert world.act(handler, number, "return", reason="not_our_duty", note=f"{unit}认为不归自己管").status_code == 200
        assert world.act("supervisor", number, "approve_return").status_code == 200
    assert world.act("dispatcher", number, "dispatch", unit="URBAN").status_code == 200
    order = world.get("supervisor", f"/orders/{number}").json()
    assert "bounce" in order["flags"]
    chain = world.get("supervisor", f"/orders/{number}/chain").json()
    assert chain["flagged"] and chain["returns"] == 3 and chain["transfers"] == 3
    assert [c["unit"] for c in chain["chain"] if c["kind"] == "assign"] == ["URBAN", "SAMR", "ST-148802001", "URBAN"]
    assert number in [i["id"] for i in world.get("supervisor", "/supervision/orders", params={"kind": "bounce"}).json()["items"]]


def test_repeat_call_is_linked_and_unresolved_repeat_goes_to_the_supervisor(world):
    first = appeal(world, text="我家楼上漏水，天花板都泡坏了，找物业也不管")["orders"][0]["id"]
    for who, action, extra in [("handler_street", "sign", {}), ("handler_street", "reply", {"note": "已协调"}),
                               ("dispatcher", "close", {}), ("operator", "visit", {"satisfied": False})]:
        assert world.act(who, first, action, **extra).status_code == 200
    world.ctx.clock.advance(timedelta(days=3))
    again = appeal(world, text="还是楼上漏水的事，天花板泡坏了，上次说协调了根本没人管")
    assert {"order_id": first, "relation": "repeat"} in again["related"]
    new = world.get("supervisor", f"/orders/{again['orders'][0]['id']}").json()
    assert "repeat_unresolved" in new["flags"] and new["review"] is True and new["status"] == "received"


def test_mass_complaint_cluster_has_a_lead_and_a_count(world):
    numbers = []
    texts = ["我们小区停水了一整天了，也没有通知", "小区又停水了到现在都没来水", "停水一天了，家里老人孩子没法做饭",
             "整个小区停水，物业说不知道原因", "我们这栋楼停水好久了，什么时候来水"]
    results = []
    for i, text in enumerate(texts):
        world.ctx.clock.advance(timedelta(minutes=20))
        results.append(appeal(world, text=text, phone=f"1391111{i:04d}"))
        numbers.append(results[-1]["orders"][0]["id"])
    assert any(r["relation"] == "mass" for r in results[-1]["related"])
    related = world.get("supervisor", f"/orders/{numbers[-1]}/related").json()
    assert related["lead_order"] == numbers[0]
    assert related["mass_count"] >= 3
    lead = world.get("supervisor", f"/orders/{numbers[0]}").json()
    assert "mass_lead" in lead["flags"]


def test_harassing_caller_is_flagged_never_blocked(world):
    last = None
    for i in range(11):
        last = appeal(world, text=f"你们这些狗官，第{i}次打电话了", phone="13700001111")
    order = world.get("supervisor", f"/orders/{last['orders'][0]['id']}").json()
    assert "harass" in order["flags"]
    assert last["orders"]  # the appeal was still taken


def test_supervision_views_need_a_supervising_role(world):
    assert world.get("handler_urban", "/supervision/orders", params={"kind": "overdue"}).status_code == 403
    assert world.post("operator", "/supervision/run").status_code == 403
    assert world.post("supervisor", "/supervision/run").status_code == 200
    assert world.get("supervisor", "/supervision/orders", params={"kind": "nonsense"}).status_code == 422


def test_a_large_cluster_lists_its_latest_members_and_keeps_its_first_lead(world):
    numbers, last = [], None
    for i in range(16):
        world.ctx.clock.advance(timedelta(minutes=5))
        last = appeal(world, text=f"我们小区停水了一整天了，{i}号楼也没有通知", phone=f"1392222{i:04d}")
        numbers.append(last["orders"][0]["id"])
    mass = [r["order_id"] for r in last["related"] if r["relation"] == "mass"]
    assert 3 <= len(mass) <= 10 and set(mass) <= set(numbers[-11:-1])
    related = world.get("supervisor", f"/orders/{numbers[-1]}/related").json()
    assert related["lead_order"] == numbers[0]
    assert related["mass_count"] >= 15


def test_an_order_left_for_a_person_still_has_its_deadlines(world):
    r = world.post("operator", "/appeals", {"channel": "phone", "text": "不确定这事该谁管，楼道里一直有怪味", "region": "148802001"})
    assert r.status_code == 201, r.text
    order = world.get("dispatcher", f"/orders/{r.json()['orders'][0]['id']}").json()
    assert order["status"] == "received" and order["review"] is True  # not dispatched by the machine
    assert order["sign_due"] is None  # the 签收 clock starts at 派单
    assert order["reply_due"].startswith("2026-10-10T17:30") and order["close_due"].startswith("2026-10-27T17:30")


def test_pending_approvals_are_kinds_of_their_own(world):
    back, late, plain = (appeal(world, text=f"占道经营{i}号", phone=f"1390000000{i}")["orders"][0]["id"] for i in range(3))
    for number in (back, late):
        assert world.act("handler_urban", number, "sign").status_code == 200
    assert world.act("handler_urban", back, "return", reason="not_our_duty", note="非本单位").status_code == 200
    assert world.act("handler_urban", late, "request_extension", days=3, reason="需协调").status_code == 200
    overview = world.get("supervisor", "/supervision/overview").json()
    assert overview["return_pending"] == 1 and overview["extension_pending"] == 1
    for kind, number in (("return_pending", back), ("extension_pending", late)):
        listed = world.get("supervisor", "/supervision/orders", params={"kind": kind}).json()
        assert [i["id"] for i in listed["items"]] == [number] and listed["total"] == 1
    assert world.get("dispatcher_west", "/supervision/overview").json()["return_pending"] == 0  # another district
    assert world.act("supervisor", back, "approve_return").status_code == 200
    assert world.get("supervisor", "/supervision/overview").json()["return_pending"] == 0
    assert plain not in {i["id"] for i in world.get("supervisor", "/supervision/orders",
                                                    params={"kind": "extension_pending"}).json()["items"]}
