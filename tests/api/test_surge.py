"""话务激增 with a frozen clock: a synthetic burst switches it on, the calm off; in surge a web consultation
is answered from a public entry, an emergency never; matching appeals link to the lead order."""

from datetime import timedelta

from sqlalchemy import select

from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor, Role
from liandong.core.ids import new_id
from liandong.knowledge.entry import Content, Visibility
from liandong.knowledge.surge import SurgePolicy
from liandong.knowledge.tables import SurgeSwitchRow
from liandong.orders.tables import OrderRow
from liandong.routing.decision import RoutingDecision
from tests.builders import make_world


class Router:
    def route_many(self, items):
        return [self.route(i["text"]) for i in items]

    def route(self, text, channel="12345", region=None):
        fire = "着火" in text
        return RoutingDecision(services=("119",) if fire else ("12345",), category_code="T", category_name="测试",
                               category_group="测试类", category_list="12345", kind="咨询",
                               unit_function="fire_rescue" if fire else "water_supply", level="一般", confidence=0.95)


def _arrivals(ctx, at, n):
    with ctx.write() as s:
        s.add_all(AppealRow(id=new_id(), channel="phone", received_at=at, text="停水了", routing={}, created_by="t",
                            created_at=at, attachments=[]) for _ in range(n))


def test_a_burst_switches_surge_on_and_the_calm_off_each_audited(db_url, clock):
    w = make_world(db_url, clock, router=Router())
    try:
        w.ctx.surge.policy = SurgePolicy(on_multiple=3.0, off_multiple=1.5, min_arrivals=30, baseline_days=5)
        now = clock.now()  # a Monday 10:00
        for back in (3, 4, 5, 6, 7, 10, 11):  # the previous working days' same slot: 10 calls each
            _arrivals(w.ctx, now - timedelta(days=back, minutes=5), 10)
            _arrivals(w.ctx, now - timedelta(days=back) + timedelta(minutes=18), 10)
        assert w.post("supervisor", "/surge/check").json() == {"switched": False}
        _arrivals(w.ctx, now - timedelta(minutes=3), 60)  # 60 in 15 minutes against a baseline of 10
        r = w.post("supervisor", "/surge/check").json()
        assert r["switched"] and r["on"] and r["mode"] == "auto" and "6.0 倍" in r["reason"]
        clock.advance(timedelta(minutes=10))
        assert w.post("supervisor", "/surge/check").json() == {"switched": False}  # 60 still in the window
        clock.advance(timedelta(minutes=10))
        _arrivals(w.ctx, clock.now() - timedelta(minutes=2), 12)  # 12 < 1.5 × 10
        r = w.post("supervisor", "/surge/check").json()
        assert r["switched"] and not r["on"] and "自动关闭" in r["reason"]
        assert [s["on"] for s in w.get("operator", "/surge").json()["switches"]] == [False, True]
        assert w.post("operator", "/surge/check").status_code == 403
    finally:
        w.ctx.close()


def test_in_surge_web_consultations_are_answered_and_emergencies_never(db_url, clock):
    w = make_world(db_url, clock, router=Router())
    try:
        with w.ctx.write() as s:
            entry = w.ctx.knowledge.create(s, Content("停水什么时候来水", "东城区因管网抢修停水，预计今晚20时前恢复供水。",
                                                      keywords=("停水", "来水"), visibility=Visibility.PUBLIC),
                                           actor=Actor("k", Role.KNOWLEDGE_ADMIN), now=clock.now(), publish=True)
        lead = w.post("operator", "/appeals", json={"channel": "phone", "text": "东城区大面积停水了"}).json()
        lead_number = lead["orders"][0]["id"]
        assert w.post("operator", "/surge", json={"on": True, "reason": "", "incident": "x"}).status_code == 422
        assert w.post("operator", "/surge", json={"on": True, "reason": "停水", "incident": "x"}).status_code == 403
        assert w.post("supervisor", "/surge", json={"on": True, "reason": "r", "incident": "i",
                                                    "lead_order": "nope"}).status_code == 404
        r = w.post("supervisor", "/surge", json={"on": True, "reason": "东城区管网爆裂，来电激增", "incident": "东城区停水",
                                                 "wording": "预计今晚20时前恢复供水", "keywords": ["停水"],
                                                 "lead_order": lead_number})
        assert r.status_code == 200 and r.json()["mode"] == "manual"
        r = w.post("operator", "/appeals", json={"channel": "web", "text": "停水了什么时候来水"}).json()
        with w.ctx.read() as s:
            order = s.scalar(select(OrderRow).where(OrderRow.number == r["orders"][0]["id"]))
            assert (order.status, order.knowledge_entry, order.lead_order) == ("replied", entry.id, lead_number)
        r = w.post("operator", "/appeals", json={"channel": "phone", "text": "停水了什么时候来水"}).json()
        assert r["orders"][0]["status"] != "replied"  # a phone call is answered by a person
        r = w.post("operator", "/appeals", json={"channel": "web", "text": "停水了楼下着火了什么时候来水"}).json()
        assert all(o["status"] != "replied" for o in r["orders"])  # never an emergency
        assert w.post("supervisor", "/surge", json={"on": False, "reason": "已恢复供水"}).json()["on"] is False
        r = w.post("operator", "/appeals", json={"channel": "web", "text": "停水了什么时候来水"}).json()
        assert r["orders"][0]["status"] != "replied"
        assert w.post("supervisor", "/surge", json={"on": False, "reason": "再关"}).status_code == 409
        with w.ctx.read() as s:
            assert s.scalar(select(SurgeSwitchRow.id).order_by(SurgeSwitchRow.id.desc()).limit(1)) == 2
    finally:
        w.ctx.close()
