"""The intake page and the 110 desk over HTTP: who may open them, bad input as a Chinese 4xx page with
nothing stored, escaping, the related items, and the live board's "nothing new" answer."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from liandong.api.app import create_app
from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor, Role
from liandong.core.masking import caller_key
from liandong.orders import queries
from liandong.orders.tables import OrderRow
from liandong.supervision import queries as attention
from tests.builders import DEMO_USERS, World
from tests.console_kit import give_passwords, page_csrf, sign_in

REGION = "148802001002"


@pytest.fixture
def web(world: World):
    give_passwords(world.ctx, "operator", "handler_urban", "police", "dispatcher_west")
    return world


def signed_in(world: World, name: str) -> tuple[TestClient, str]:
    c = TestClient(create_app(world.ctx), raise_server_exceptions=False)
    assert sign_in(c, name).status_code == 303
    return c, page_csrf(c)


def appeals_stored(world: World) -> int:
    with world.ctx.read() as s:
        return s.scalar(select(func.count()).select_from(AppealRow))


def form(csrf: str, **fields) -> dict:
    base = {"csrf_token": csrf, "channel": "phone", "caller_name": "", "phone": "", "address": "", "region": REGION,
            "text": "路边占道经营", "answer": "", "mode": "submit"}
    return {**base, **fields}


def test_only_intake_roles_open_the_intake_page_and_only_police_the_110_desk(web):
    handler, _ = signed_in(web, "handler_urban")
    r = handler.get("/console/intake")
    assert r.status_code == 403 and "此操作需要角色" in r.text
    assert handler.get("/console/police").status_code == 403
    operator, _ = signed_in(web, "operator")
    assert operator.get("/console/intake").status_code == 200
    r = operator.get("/console/police")
    assert r.status_code == 403 and "110接警员" in r.text
    police, _ = signed_in(web, "police")
    assert police.get("/console/police").status_code == 200


def test_bad_input_is_a_chinese_422_page_and_nothing_is_stored(web):
    c, csrf = signed_in(web, "operator")
    cases = [(dict(region="999999999"), "行政区划"), (dict(text="   "), "诉求内容"), (dict(phone="abc"), "联系电话"),
             (dict(channel="pigeon"), "受理渠道")]
    for fields, word in cases:
        r = c.post("/console/intake", data=form(csrf, **fields))
        assert r.status_code == 422, (fields, r.status_code)
        assert 'id="intake-errors"' in r.text and word in r.text, fields
    assert appeals_stored(web) == 0
    r = c.post("/console/intake", data={k: v for k, v in form(csrf).items() if k != "csrf_token"})
    assert r.status_code == 403 and "CSRF" in r.text
    assert appeals_stored(web) == 0


def test_submit_shows_the_numbers_to_read_back(web):
    c, csrf = signed_in(web, "operator")
    picked = f"{REGION} {web.ctx.city.region_path(REGION)}"  # as the region picker (datalist) fills it
    r = c.post("/console/intake", data=form(csrf, text="路边占道经营，堵得走不了", phone="13812345678", region=picked))
    assert r.status_code == 200 and "请向来电人复述工单编号" in r.text
    with web.ctx.read() as s:
        (number,) = s.scalars(select(OrderRow.number))
        assert s.scalar(select(AppealRow.region)) == REGION
    assert number in r.text


def test_a_long_transcript_fits_the_form_as_it_fits_the_api(web):
    """5,000 Chinese characters (the API's limit) are 45 KB once URL-encoded: the console form takes them."""
    c, csrf = signed_in(web, "operator")
    text = ("路边占道经营，堵得走不了。" * 400)[:5000]
    r = c.post("/console/intake", data=form(csrf, text=text, phone="13812345678", region=REGION))
    assert r.status_code == 200 and "请向来电人复述工单编号" in r.text
    with web.ctx.read() as s:
        assert len(s.scalar(select(AppealRow.text))) == 5000


def test_suggestion_lists_earlier_calls_escaped_and_clusters_in_the_same_street(web):
    first = web.post("operator", "/appeals", {"channel": "phone", "text": '油烟扰民<script>alert(1)</script>"><img onerror=x>',
                                             "region": REGION, "caller": {"phone": "13812345678"}})
    assert first.status_code == 201, first.text
    first = first.json()
    number = first["orders"][0]["id"]
    with web.ctx.write() as s:
        s.execute(OrderRow.__table__.update().where(OrderRow.number == number).values(mass_lead=True))
    c, csrf = signed_in(web, "operator")
    r = c.post("/console/intake/suggest", data={"csrf_token": csrf, "text": "抢劫了", "phone": "138-1234-5678",
                                                 "region": "148802001001", "channel": "phone"})
    assert r.status_code == 200
    assert "紧急警情" in r.text and 'id="hand-to-110"' in r.text  # the scripted router: 抢劫 → 110
    assert "重复来电" in r.text and number in r.text
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;" in r.text and "<img" not in r.text
    assert "群诉 1 件" in r.text
    r = c.post("/console/intake/suggest", data={"csrf_token": csrf, "text": "路灯坏了", "phone": "13700000000",
                                                 "region": "148802002001"})
    assert "该号码无历史诉求" in r.text and "群诉" not in r.text.split("附近群体诉求")[1]
    assert "紧急警情" not in r.text
    r = c.post("/console/intake/suggest", data={"csrf_token": csrf, "text": "x", "region": "12"})
    assert r.status_code == 200 and 'id="region-error"' in r.text


def test_earlier_calls_and_clusters_are_scoped(web):
    web.post("operator", "/appeals", {"channel": "phone", "text": "路灯坏了", "region": REGION,
                                      "caller": {"phone": "13812345678"}})
    key = caller_key("13812345678", web.ctx.settings.phone_salt)
    now = web.ctx.clock.now()
    with web.ctx.write() as s:
        s.execute(OrderRow.__table__.update().values(mass_lead=True))
    operator, west, police = actor("operator"), actor("dispatcher_west"), actor("police")
    with web.ctx.read() as s:
        assert len(attention.earlier_calls(s, operator, "12345", key)) == 1
        assert attention.earlier_calls(s, west, "12345", key) == []  # another district
        assert attention.earlier_calls(s, police, "110", key) == []  # another desk
        assert attention.earlier_calls(s, operator, "12345", None) == []
        since = now - timedelta(hours=24)
        assert len(attention.mass_leads_near(s, operator, "12345", "148802001001", since=since)) == 1
        assert attention.mass_leads_near(s, operator, "12345", "148802002001", since=since) == []  # another street
        assert attention.mass_leads_near(s, operator, "12345", "148802", since=since) == []  # a district is too wide
        assert attention.mass_leads_near(s, operator, "12345", REGION, since=now + timedelta(minutes=1)) == []
        assert attention.mass_leads_near(s, west, "12345", REGION, since=since) == []


def actor(name: str) -> Actor:
    (role, unit, region) = next((r, u, g) for n, r, _, u, g in DEMO_USERS if n == name)
    return Actor(name=name, role=Role(role), unit=unit, region=region)


def test_the_110_board_answers_204_until_something_changes(web):
    police, _ = signed_in(web, "police")
    with web.ctx.read() as s:
        key = queries.change_key(s, actor("police"), "110")
    r = police.get("/console/police/board", params={"key": key}, headers={"hx-request": "true"})
    assert r.status_code == 204
    body = web.post("operator", "/appeals", {"channel": "phone", "text": "有人抢劫", "region": REGION}).json()
    police_order = next(o["id"] for o in body["orders"] if o["platform"] == "110")
    r = police.get("/console/police/board", params={"key": key}, headers={"hx-request": "true"})
    assert r.status_code == 200 and police_order in r.text and f'data-alarm="{police_order}"' in r.text
    assert 'hx-trigger="every 3s"' in r.text
    with web.ctx.read() as s:
        desk = actor("police")
        assert queries.change_key(s, desk, "110") != key
        assert queries.status_counts(s, desk, "110") == {"dispatched": 1}
        (incoming,) = queries.desk_transfers(s, desk, "110", incoming=True)
        assert incoming[0].number == police_order and incoming[0].peer_platform == "12345"
        assert queries.desk_transfers(s, desk, "110", incoming=False) == []
    assert police.get("/console/police", params={"status": "nonsense"}).status_code == 422


def test_the_110_desk_shows_an_overdue_transfer_and_the_feedback_state(web):
    body = web.post("operator", "/appeals", {"channel": "phone", "text": "有人抢劫", "region": REGION}).json()
    police_order = next(o["id"] for o in body["orders"] if o["platform"] == "110")
    with web.ctx.write() as s:
        s.execute(OrderRow.__table__.update().where(OrderRow.number == police_order).values(transfer_overdue="overdue"))
    police, _ = signed_in(web, "police")
    r = police.get("/console/police")
    overdue = r.text.split('id="overdue"')[1]
    assert "超时未签收" in overdue and police_order in overdue
    incoming = r.text.split('id="transfers-in"')[1].split('id="transfers-out"')[0]
    assert police_order in incoming and "已派警" in incoming
    r = police.get("/console/police", params={"status": "closed"})
    assert r.status_code == 200 and "暂无警单" in r.text
