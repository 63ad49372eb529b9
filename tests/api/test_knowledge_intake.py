from liandong.core.actors import Actor, Role
from liandong.knowledge.entry import Content
from liandong.orders.service import get_order
from liandong.routing.decision import RoutingDecision
from tests.builders import make_world


class ConsultRouter:
    """咨询 for a question (问), 投诉 otherwise."""

    def route_many(self, items):
        return [self.route(i["text"]) for i in items]

    def route(self, text, channel="12345", region=None):
        kind = "咨询" if "问" in text else "投诉"
        return RoutingDecision(services=("12345",), category_code="T-1", category_name="政策咨询", category_group="测试类",
                               category_list="12345", kind=kind, unit_function="government_services", level="一般",
                               level_reasons=[], confidence=0.95, review=False, reasons=["测试"])


def test_a_consultation_comes_back_with_the_top_entries_and_a_complaint_without(db_url, clock):
    w = make_world(db_url, clock, router=ConsultRouter())
    try:
        with w.ctx.write() as s:
            entry = w.ctx.knowledge.create(s, Content("护照怎么办理", "到出入境接待大厅办理。", keywords=("护照",)),
                                           actor=Actor("k", Role.KNOWLEDGE_ADMIN), now=clock.now(), publish=True)
        r = w.post("operator", "/appeals", json={"channel": "12345", "text": "我想问一下办护照去哪里"})
        assert r.status_code == 201
        knowledge = r.json()["knowledge"]
        assert knowledge[0]["entry_id"] == entry.id and knowledge[0]["version"] == 1
        r = w.post("operator", "/appeals", json={"channel": "12345", "text": "护照窗口态度很差"})
        assert r.status_code == 201 and r.json()["knowledge"] == []
    finally:
        w.ctx.close()


def test_answering_from_an_entry_records_it_on_the_order_and_the_visit_counts(db_url, clock):
    w = make_world(db_url, clock, router=ConsultRouter())
    try:
        with w.ctx.write() as s:
            entry = w.ctx.knowledge.create(s, Content("护照怎么办理", "到出入境接待大厅办理。", keywords=("护照",)),
                                           actor=Actor("k", Role.KNOWLEDGE_ADMIN), now=clock.now(), publish=True)
        body = {"channel": "12345", "text": "我想问一下办护照去哪里", "answer": "到出入境接待大厅办理。"}
        r = w.post("operator", "/appeals", json={**body, "knowledge_entry": entry.id, "knowledge_version": 9})
        assert r.status_code == 404 and "第 9 版" in r.json()["message"]
        r = w.post("operator", "/appeals", json={**body, "knowledge_entry": entry.id})
        assert r.status_code == 422 and "同时给出" in r.json()["message"]
        r = w.post("operator", "/appeals", json={**body, "knowledge_entry": entry.id, "knowledge_version": 1})
        assert r.status_code == 201
        number = r.json()["orders"][0]["id"]
        assert w.post("operator", f"/orders/{number}/actions", json={"action": "close"}).status_code == 200
        r = w.post("operator", f"/orders/{number}/actions", json={"action": "visit", "satisfied": False})
        assert r.status_code == 200, r.json()
        with w.ctx.read() as s:
            row = w.ctx.knowledge.entry(s, entry.id)
            assert (row.usage_count, row.solved_count, row.unsolved_count) == (1, 0, 1)
            order = get_order(s, number)
            assert (order.knowledge_entry, order.knowledge_version) == (entry.id, 1)
    finally:
        w.ctx.close()
