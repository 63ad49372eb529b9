"""受理台: the top knowledge entries while the operator types, and answering from one (即问即答)."""

from sqlalchemy import select

from liandong.core.actors import Actor, Role
from liandong.knowledge.entry import Content
from liandong.orders.tables import OrderRow
from tests.api.test_console_operator_pages import form, signed_in
from tests.api.test_knowledge_intake import ConsultRouter
from tests.builders import make_world
from tests.console_kit import give_passwords


def test_the_intake_page_suggests_entries_and_answers_from_one(db_url, clock):
    w = make_world(db_url, clock, router=ConsultRouter())
    try:
        give_passwords(w.ctx, "operator")
        with w.ctx.write() as s:
            entry = w.ctx.knowledge.create(s, Content("护照怎么办理", "到出入境接待大厅办理。<b>", keywords=("护照",)),
                                           actor=Actor("k", Role.KNOWLEDGE_ADMIN), now=clock.now(), publish=True)
        c, csrf = signed_in(w, "operator")
        r = c.post("/console/intake/suggest", data={"csrf_token": csrf, "text": "我想问问护照怎么办", "region": ""})
        assert r.status_code == 200 and "护照怎么办理" in r.text and f"entry:{entry.id}:1" in r.text
        assert "&lt;b&gt;" in r.text  # escaped
        r = c.post("/console/intake/suggest", data={"csrf_token": csrf, "text": "我想问问明天下雨吗", "region": ""})
        assert "知识库暂无合适口径" in r.text and "surge-banner" not in r.text
        with w.ctx.write() as s:
            w.ctx.surge.switch(s, on=True, actor=Actor("sup", Role.SUPERVISOR), now=clock.now(), reason="来电激增",
                               incident="出入境系统故障", wording="系统预计14时恢复")
        r = c.post("/console/intake/suggest", data={"csrf_token": csrf, "text": "我想问问护照", "region": ""})
        assert "出入境系统故障" in r.text and "系统预计14时恢复" in r.text
        r = c.post("/console/intake", data=form(csrf, text="我想问问护照怎么办", region="", mode="entry:nope:1"))
        assert r.status_code == 422 and "没有第 1 版" in r.text
        r = c.post("/console/intake", data=form(csrf, text="我想问问护照怎么办", region="", mode=f"entry:{entry.id}:1"))
        assert r.status_code == 200 and "即问即答" in r.text
        with w.ctx.read() as s:
            order = s.scalar(select(OrderRow))
            assert (order.status, order.knowledge_entry, order.knowledge_version) == ("replied", entry.id, 1)
    finally:
        w.ctx.close()
