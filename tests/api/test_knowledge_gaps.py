"""知识点下派: consultations answered without an entry become a work order to the department, with a deadline."""

from liandong.auth import service as auth
from tests.api.test_knowledge_intake import ConsultRouter
from tests.builders import make_world


class HrssRouter(ConsultRouter):
    def route(self, text, channel="12345", region=None):
        d = super().route(text, channel, region)
        from dataclasses import replace
        return replace(d, category_name="社会保险", unit_function="human_resources_social_security")


def test_gaps_cluster_into_a_dispatched_task_whose_draft_enters_review(db_url, clock):
    w = make_world(db_url, clock, router=HrssRouter())
    try:
        with w.ctx.write() as s:
            auth.add_user(s, w.ctx.city, name="hrss", role="handler", platform="12345", unit="HRSS", region=None,
                          now=clock.now())
            w.tokens["hrss"] = auth.issue_token(s, "hrss", clock.now())
        for text in ("我问一下社保断缴了怎么补缴", "问下社保断缴三个月能补缴吗", "问问社保断缴怎么补"):
            r = w.post("operator", "/appeals", json={"channel": "12345", "text": text, "answer": "请咨询人社窗口。"})
            assert r.status_code == 201, r.json()
        r = w.post("supervisor", "/knowledge/gaps/run", json={"days": 7})
        assert r.status_code == 200 and len(r.json()) == 1
        gap = r.json()[0]
        assert gap["size"] == 3 and gap["unit"] == "HRSS" and gap["state"] == "open"
        order = w.get("supervisor", f"/orders/{gap['order_number']}").json()
        assert order["unit"] == "HRSS" and order["status"] == "dispatched" and order["reply_due"]
        assert w.post("supervisor", "/knowledge/gaps/run", json={"days": 7}).json() == []  # never twice
        assert w.post("operator", "/knowledge/gaps/run", json={}).status_code == 403
        entry = {"question": "社保断缴怎么补缴", "answer": "可在断缴次月起三个月内补缴。", "gap_id": gap["id"]}
        assert w.post("handler_samr", "/knowledge/entries", json=entry).status_code == 403
        r = w.post("hrss", "/knowledge/entries", json=entry)
        assert r.status_code == 201 and r.json()["state"] == "pending"
        assert w.post("hrss", "/knowledge/entries", json={**entry, "question": "另一个"}).status_code == 409
        assert w.post("hrss", "/knowledge/entries", json={**entry, "gap_id": 999}).status_code == 404
        listed = w.get("supervisor", "/knowledge/gaps").json()
        assert listed[0]["state"] == "drafted" and listed[0]["entry_id"] == r.json()["entry_id"]
        assert w.get("supervisor", "/knowledge/gaps", params={"state": "x"}).status_code == 422
    finally:
        w.ctx.close()


def test_supervisors_see_the_tasks_and_the_review_queue_on_a_page(world):
    from tests.api.test_console_operator_pages import signed_in
    from tests.console_kit import give_passwords

    give_passwords(world.ctx, "supervisor", "operator")
    assert world.post("supervisor", "/knowledge/entries", json={"question": "低保怎么申请", "answer": "到街道申请。"}).json()
    c, _ = signed_in(world, "supervisor")
    r = c.get("/console/knowledge")
    assert r.status_code == 200 and "暂无知识点下派任务" in r.text and "未开启" in r.text and "知识库" in r.text
    c, _ = signed_in(world, "operator")
    assert c.get("/console/knowledge").status_code == 403
