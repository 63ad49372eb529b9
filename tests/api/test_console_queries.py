"""The read functions behind the board, the wall and the search: scoped, grouped in SQL, escaped."""

from datetime import datetime

from liandong.core.actors import Actor, Role
from liandong.core.clock import CST
from liandong.core.masking import caller_key
from liandong.orders import queries
from liandong.orders.scope import may_search_by_phone
from liandong.console import search_pages
from tests.builders import DEMO_USERS, World
from tests.console_kit import give_passwords, sign_in

APPEAL = {"channel": "phone", "text": "占道经营，堵路了", "region": "148802001002",
          "caller": {"name": "李秀英", "phone": "13812345678"}}


def appeal(world: World, text: str = APPEAL["text"], **extra) -> str:
    r = world.post("operator", "/appeals", {**APPEAL, "text": text, **extra})
    assert r.status_code == 201, r.text
    return r.json()["orders"][0]["id"]


def _actor(world: World, name: str) -> Actor:
    _, role, _, unit, region = next(u for u in DEMO_USERS if u[0] == name)
    return Actor(name=name, role=Role(role), unit=unit, region=region)


def test_search_filters_number_phone_and_text_with_wildcards_escaped(world: World):
    a = appeal(world, "路灯不亮 50%_折扣")
    b = appeal(world, "路灯不亮 500折扣", caller={"name": "张三", "phone": "13900001111"})
    c = appeal(world, "井盖丢失")
    actor = _actor(world, "admin")
    key = caller_key("139-0000-1111", world.ctx.settings.phone_salt)

    def numbers(**f):
        with world.ctx.read() as s:
            rows, total = queries.list_orders(s, actor, "12345", queries.OrderFilter(**f))
        assert total == len(rows)
        return sorted(o.number for o, _ in rows)

    assert numbers(number=b) == [b]
    assert numbers(number=b + "9") == []
    assert numbers(caller_key=key) == [b]
    assert numbers(text="50%_") == [a]  # % and _ are literal, not wildcards
    assert numbers(text="路灯") == sorted([a, b])
    assert numbers(text="路灯", caller_key=key) == [b]
    assert numbers(text="井盖", status="dispatched") == [c]


def test_wall_counts_are_grouped_and_scoped(world: World):
    appeal(world)
    appeal(world, "有人要跳楼")  # 较大: a 12345 order and its 110 partner
    appeal(world, "井盖丢失", region="148802002001")
    appeal(world, "占道经营", region="148803001001")  # 西城区: the west dispatcher's district
    admin, west = _actor(world, "admin"), _actor(world, "dispatcher_west")
    since = datetime(2026, 11, 23, 0, 0, tzinfo=CST)
    with world.ctx.read() as s:
        by_platform = queries.counts_by(s, admin, "12345", "platform")
        assert by_platform == {"12345": 4, "110": 1}
        assert queries.counts_by(s, admin, "12345", "level", open_only=True) == {"一般": 3, "较大": 2}
        assert queries.counts_by(s, west, "12345", "status") == {"dispatched": 1}
        streets = queries.busiest_streets(s, admin, "12345", since)
        assert streets == [("148802001", 3), ("148802002", 1), ("148803001", 1)]
        assert queries.busiest_streets(s, west, "12345", since) == [("148803001", 1)]
        assert queries.busiest_streets(s, admin, "12345", datetime(2026, 11, 24, tzinfo=CST)) == []
        emergencies = queries.latest(s, admin, "12345", "emergency")
        assert {o.platform for o in emergencies} == {"12345", "110"} and all("跳楼" in o.title for o in emergencies)
        joint = queries.latest(s, admin, "12345", "joint")
        assert {o.linked_order for o in joint} == {o.number for o in emergencies}


def test_phone_search_roles():
    allowed = {r for r in Role if r is not Role.SYSTEM and may_search_by_phone(Actor(name="x", role=r))}
    assert allowed == {Role.OPERATOR, Role.POLICE, Role.HANDLER, Role.ADMIN}


def test_export_is_bounded_with_a_chinese_message(world: World, monkeypatch):
    for i in range(3):
        appeal(world, f"占道经营{i}")
    give_passwords(world.ctx, "operator")
    c = world.client
    assert sign_in(c, "operator").status_code == 303
    r = c.get("/console/search/export.csv", params={"status": "dispatched"})
    assert r.status_code == 200 and r.text.count("GD-") == 3
    monkeypatch.setattr(search_pages, "EXPORT_MAX", 2)
    r = c.get("/console/search/export.xlsx", params={"status": "dispatched"})
    assert r.status_code == 422 and "一次最多导出 2 条" in r.text
    assert c.get("/console/search", params={"phone": "13812345678"}).status_code == 200
    assert c.get("/console/search/export.csv", params={"number": "x" * 41}).status_code == 422


def test_the_order_list_shows_the_warning_light_by_its_name(world: World):
    """orders.warning is stored as yellow/red; the console names it 黄灯/红灯 with the matching style."""
    from sqlalchemy import update

    from liandong.orders.tables import OrderRow

    number = appeal(world)
    with world.ctx.write() as s:
        s.execute(update(OrderRow).where(OrderRow.number == number).values(warning="red"))
    give_passwords(world.ctx, "dispatcher")
    c = world.client
    sign_in(c, "dispatcher")
    page = c.get("/console/").text
    assert '<span class="light red" title="红灯">红灯</span>' in page
