"""Open311 GeoReport v2 conformance (wiki.open311.org/GeoReport_v2): every method in JSON and XML, the
documents' shapes, HTTP status codes, the filters of GET requests, and errors in the Open311 convention."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from liandong.appeals.tables import AppealRow
from liandong.core.clock import CST, FrozenClock
from liandong.orders.tables import OrderRow
from tests.builders import make_world
from tests.open311_kit import FakeKeys, ListRouter, module_db

BASE = "/open311/v2"
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]


def _world(url, clock):
    world = make_world(url, clock, router=ListRouter())
    world.keys = FakeKeys()
    world.ctx.__dict__["open311_keys"] = world.keys
    return world


@pytest.fixture(scope="module")
def mclock():
    return FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=CST))


@pytest.fixture(scope="module")
def w(template_db, tmp_path_factory, mclock):
    """One world for the posting tests: each compares the appeal count before and after."""
    for url in module_db(template_db, tmp_path_factory):
        world = _world(url, mclock)
        yield world
        world.ctx.close()


@pytest.fixture(scope="module")
def r(template_db, tmp_path_factory):
    """One world for the reading tests: three published requests a day apart (the middle one closed),
    one the routing sent to 110. Nothing is posted to it afterwards."""
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=CST))
    for url in module_db(template_db, tmp_path_factory):
        world = _world(url, clock)
        answers = []
        for text in ("路灯不亮", "井盖丢了", "路灯闪烁"):
            answers.append(post(world, service_code="JC-B33" if "井盖" in text else "JC-B34", description=text).json()[0])
            clock.advance(timedelta(days=1))
        world.police = post(world, description="有人在路边抢劫").json()[0]
        with world.ctx.write() as s:
            s.execute(update(OrderRow).where(OrderRow.number == answers[1]["service_request_id"]).values(status="closed"))
        world.answers = answers
        world.three = [a["service_request_id"] for a in answers]
        yield world
        world.ctx.close()


@pytest.fixture
def three(r):
    r.keys.reads.clear()
    return r.three


def appeals(w):
    with w.ctx.read() as s:
        return s.scalar(select(func.count()).select_from(AppealRow))


def xml_of(resp):
    assert resp.headers["content-type"].startswith("text/xml")
    assert resp.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(resp.content)


def post(w, fmt="json", key="key-civic", **form):
    data = {"api_key": key, "service_code": "JC-B34", "address_string": "明川市东城区解放路12号3单元",
            "description": "解放路路灯坏了一个月，电话13812345678", "first_name": "敏", "last_name": "张",
            "phone": "13812345678", "email": "zhang@example.cn"} | form
    return w.client.post(f"{BASE}/requests.{fmt}", data={k: v for k, v in data.items() if v is not None})


def assert_error(resp, status, fmt="json", contains=""):
    assert resp.status_code == status
    if fmt == "json":
        body = resp.json()
        assert isinstance(body, list) and list(body[0]) == ["code", "description"]
        assert body[0]["code"] == status and contains in body[0]["description"]
    else:
        root = xml_of(resp)
        assert root.tag == "errors" and [e.tag for e in root] == ["error"]
        assert root.find("error/code").text == str(status) and contains in root.find("error/description").text


# -- GET services ----------------------------------------------------------------------------------
def test_services_json_lists_the_published_categories_with_the_specifications_fields(w):
    r = w.client.get(f"{BASE}/services.json", params={"api_key": "key-civic"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert isinstance(body, list) and len(body) > 20
    assert all(list(s) == SERVICE_FIELDS for s in body)
    lamp = next(s for s in body if s["service_code"] == "JC-B34")
    assert lamp["service_name"] == "路灯故障" and lamp["metadata"] is False and lamp["type"] == "realtime"
    assert not [s for s in body if s["service_code"].startswith(("JC-A", "NA-", "XZ-"))]  # police/119/120/referral


def test_services_xml_has_root_services_and_one_service_element_each(w):
    root = xml_of(w.client.get(f"{BASE}/services.xml", params={"api_key": "key-civic"}))
    assert root.tag == "services" and {c.tag for c in root} == {"service"}
    lamp = next(s for s in root if s.findtext("service_code") == "JC-B34")
    assert [c.tag for c in lamp] == SERVICE_FIELDS and lamp.findtext("metadata") == "false"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_definition_and_an_unknown_code(w, fmt):
    r = w.client.get(f"{BASE}/services/JC-B34.{fmt}", params={"api_key": "key-civic"})
    assert r.status_code == 200
    if fmt == "json":
        assert r.json() == {"service_code": "JC-B34", "attributes": []}
    else:
        root = xml_of(r)
        assert root.tag == "service_definition" and root.findtext("service_code") == "JC-B34"
        assert root.find("attributes") is not None
    assert_error(w.client.get(f"{BASE}/services/NOPE.{fmt}", params={"api_key": "key-civic"}), 404, fmt, "NOPE")
    assert_error(w.client.get(f"{BASE}/services/JC-A21.{fmt}", params={"api_key": "key-civic"}), 404, fmt)


# -- POST requests ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_posted_request_becomes_an_ordinary_routed_appeal_with_an_order(w, fmt):
    r = post(w, fmt)
    assert r.status_code == 200, r.text
    if fmt == "json":
        (answer,) = r.json()
    else:
        root = xml_of(r)
        assert root.tag == "service_requests" and [c.tag for c in root] == ["request"]
        answer = {c.tag: c.text for c in root[0]}
    assert set(answer) == {"service_request_id", "token", "service_notice", "account_id"}
    with w.ctx.read() as s:
        order = s.scalars(select(OrderRow).where(OrderRow.number == answer["service_request_id"])).one()
        appeal = s.get(AppealRow, answer["token"])
    assert appeal.channel == "web" and appeal.created_by == "open311:civic-app" and appeal.caller_name == "张敏"
    assert order.appeal_id == appeal.id and order.category_code == "JC-B34"
    assert order.unit == "URBAN" and order.status == "dispatched"  # routed and dispatched like any appeal
    with_device = post(w, fmt, device_id="ios-1")
    assert with_device.status_code == 200


def test_a_request_the_routing_sends_to_110_is_taken_but_not_published(r):
    answer = r.police
    assert answer["service_request_id"] is None and "110" in answer["service_notice"]
    with r.ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(OrderRow).where(OrderRow.appeal_id == answer["token"])) >= 1
    listed = r.client.get(f"{BASE}/requests.json", params={"api_key": "key-civic"}).json()
    assert len(listed) == 3 and not {x["service_code"] for x in listed} - {"JC-B33", "JC-B34"}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("form, status, words", [
    ({"service_code": None}, 400, "service_code"),
    ({"service_code": "NOPE"}, 404, "NOPE"),
    ({"service_code": "JC-A21"}, 404, "JC-A21"),
    ({"address_string": None}, 400, "位置"),
    ({"address_string": None, "lat": "35.5"}, 400, "lat"),
    ({"address_string": None, "lat": "north", "long": "112"}, 400, "lat"),
    ({"address_string": None, "lat": "95", "long": "112"}, 400, "范围"),
    ({"description": "长" * 4001}, 400, "description"),
    ({"address_string": "路" * 300}, 400, "address_string"),
    ({"phone": "call me"}, 400, "phone"),
    ({"start_date": "x", "received_at": "y"}, 200, ""),  # unknown form fields are ignored, as in the spec
])
def test_malformed_posts_are_refused_in_the_open311_convention_and_store_nothing(w, fmt, form, status, words):
    before = appeals(w)
    resp = post(w, fmt, **form)
    if status == 200:
        assert resp.status_code == 200 and appeals(w) == before + 1
        return
    assert_error(resp, status, fmt, words)
    assert appeals(w) == before


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_posting_needs_a_valid_api_key_and_a_form_body(w, fmt):
    before = appeals(w)
    assert_error(post(w, fmt, key=None), 403, fmt, "api_key")
    assert_error(post(w, fmt, key="stolen"), 403, fmt, "api_key")
    assert_error(w.client.post(f"{BASE}/requests.{fmt}", json={"api_key": "key-civic", "service_code": "JC-B34"}),
                 400, fmt, "表单")
    assert_error(w.client.post(f"{BASE}/requests.{fmt}", content=b"api_key=%ff%fe",
                               headers={"content-type": "application/x-www-form-urlencoded"}), 400, fmt)
    assert appeals(w) == before


def test_a_lat_long_location_is_taken(w):
    (answer,) = post(w, address_string=None, lat="35.49", long="112.85").json()
    with w.ctx.read() as s:
        assert s.get(AppealRow, answer["token"]).address == "经纬度 35.490000,112.850000"


# -- GET requests, GET request, tokens ---------------------------------------------------------------
def get(w, path, **params):
    return w.client.get(f"{BASE}/{path}", params={"api_key": "key-civic", **params})


def test_get_requests_json_newest_first_with_every_field_and_nothing_personal(r, three):
    resp = get(r, "requests.json")
    assert resp.status_code == 200
    body = resp.json()
    assert [x["service_request_id"] for x in body] == three[::-1]
    assert all(list(x) == REQUEST_FIELDS for x in body)
    first = body[-1]
    assert first["status"] == "open" and first["service_code"] == "JC-B34" and first["agency_responsible"] == "明川市城市管理局"
    assert first["address"] == "明川市东城区解放路（详址已脱敏）"
    assert first["requested_datetime"].endswith("+08:00")
    assert body[1]["status"] == "closed" and body[1]["status_notes"] == "已办结"
    raw = resp.content.decode()
    assert "张" not in raw and "13812345678" not in raw and "example.cn" not in raw and "12号" not in raw


def test_get_requests_xml(r, three):
    root = xml_of(get(r, "requests.xml"))
    assert root.tag == "service_requests" and [c.tag for c in root] == ["request"] * 3
    assert [c.tag for c in root[0]] == REQUEST_FIELDS
    assert root[0].findtext("service_request_id") == three[2] and root[0].findtext("lat") == ""


@pytest.mark.parametrize("params, expect", [
    ({"status": "open"}, [2, 0]),
    ({"status": "closed"}, [1]),
    ({"status": "open,closed"}, [2, 1, 0]),
    ({"service_code": "JC-B33"}, [1]),
    ({"service_code": "JC-B33,JC-B34"}, [2, 1, 0]),
    ({"start_date": "2026-11-24T00:00:00+08:00"}, [2, 1]),
    ({"end_date": "2026-11-24T12:00:00Z"}, [1, 0]),
    ({"start_date": "2026-11-24T00:00:00+08:00", "end_date": "2026-11-24T12:00:00+08:00"}, [1]),
])
def test_get_requests_filters(r, three, params, expect):
    assert [x["service_request_id"] for x in get(r, "requests.json", **params).json()] == [three[i] for i in expect]


def test_service_request_id_list_overrides_every_other_filter(r, three):
    body = get(r, "requests.json", service_request_id=f"{three[0]},{three[1]},NOPE", status="open").json()
    assert sorted(x["service_request_id"] for x in body) == sorted(three[:2])


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("params, words", [
    ({"start_date": "yesterday"}, "start_date"),
    ({"end_date": "2026-11-24T00:00:00"}, "时区"),
    ({"start_date": "2026-11-25T00:00:00Z", "end_date": "2026-11-24T00:00:00Z"}, "start_date"),
    ({"status": "pending"}, "status"),
    ({"service_code": "X" * 65}, "service_code"),
])
def test_get_requests_malformed_filters(r, fmt, params, words):
    assert_error(get(r, f"requests.{fmt}", **params), 400, fmt, words)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_get_one_request_and_an_unknown_one(r, three, fmt):
    resp = get(r, f"requests/{three[1]}.{fmt}")
    assert resp.status_code == 200
    if fmt == "json":
        (one,) = resp.json()
        assert one["service_request_id"] == three[1] and one["status"] == "closed"
    else:
        root = xml_of(resp)
        assert root.tag == "service_requests" and root[0].findtext("status") == "closed"
    assert_error(get(r, f"requests/NOPE.{fmt}"), 404, fmt, "NOPE")


def test_a_police_order_is_never_a_service_request(r):
    with r.ctx.read() as s:
        numbers = s.scalars(select(OrderRow.number).where(OrderRow.appeal_id == r.police["token"])).all()
    assert numbers
    for n in numbers:
        assert_error(get(r, f"requests/{n}.json"), 404)


def test_a_client_limited_to_a_region_sees_only_that_region(r, three):
    with r.ctx.write() as s:
        s.execute(update(OrderRow).where(OrderRow.number == three[0]).values(region="148803001"))
        s.execute(update(OrderRow).where(OrderRow.number != three[0]).values(region="148802001"))
    east = get(r, "requests.json", api_key="key-east").json()
    assert sorted(x["service_request_id"] for x in east) == sorted(three[1:])
    assert_error(get(r, f"requests/{three[0]}.json", api_key="key-east"), 404)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_token_gives_the_request_id_to_the_client_that_posted_it_only(r, fmt):
    answer = r.answers[0]
    resp = get(r, f"tokens/{answer['token']}.{fmt}")
    assert resp.status_code == 200
    if fmt == "json":
        assert resp.json() == [{"service_request_id": answer["service_request_id"], "token": answer["token"]}]
    else:
        root = xml_of(resp)
        assert root.tag == "service_requests" and root[0].findtext("token") == answer["token"]
        assert root[0].findtext("service_request_id") == answer["service_request_id"]
    assert_error(get(r, f"tokens/{answer['token']}.{fmt}", api_key="key-east"), 404, fmt)
    assert_error(get(r, f"tokens/NOPE.{fmt}"), 404, fmt)


# -- every method: the key, the format, the log ------------------------------------------------------
READS = ["services.{f}", "services/JC-B34.{f}", "requests.{f}", "requests/X.{f}", "tokens/X.{f}"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("path", READS)
def test_every_read_needs_a_valid_api_key(w, path, fmt):
    w.keys.reads.clear()
    url = f"{BASE}/{path.format(f=fmt)}"
    assert_error(w.client.get(url), 403, fmt, "api_key")
    assert_error(w.client.get(url, params={"api_key": "stolen"}), 403, fmt, "api_key")
    assert w.keys.reads == []


def test_every_read_is_logged_with_its_filters_and_row_count(r, three):
    get(r, "services.json")
    get(r, "services/JC-B34.xml")
    get(r, "requests.json", status="closed")
    get(r, f"requests/{three[0]}.json")
    get(r, "requests/NOPE.json")
    assert [(r["method"], r["rows"]) for r in r.keys.reads] == [
        ("GET services", len(r.ctx.open311.items)), ("GET service definition", 1), ("GET requests", 1),
        ("GET request", 1), ("GET request", 0)]
    assert r.keys.reads[2]["filters"] == {"status": "closed"} and r.keys.reads[0]["client"] == "civic-app"


@pytest.mark.parametrize("path", ["services", "services.csv", "requests/X", "nothing.json", "requests.json/x"])
def test_unknown_paths_and_formats_get_an_open311_error(w, path):
    r = w.client.get(f"{BASE}/{path}", params={"api_key": "key-civic"})
    assert r.status_code in (400, 404)
    assert_error(r, r.status_code)
