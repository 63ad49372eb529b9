"""Input at the edge (issue 15 #2): one meaning for every field that reaches storage, never a 500."""

import pytest
from fastapi.routing import APIRoute

from liandong.api.paging import paging
from liandong.api.routers import appeals, meta, orders, supervision

from tests.builders import World

GOOD = {"channel": "phone", "text": "路灯坏了好几天了", "caller": {"phone": "13800001111"}}


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_empty_region_is_no_region_and_the_order_stays_visible(world: World, blank):
    r = world.post("operator", "/appeals", {**GOOD, "region": blank})
    assert r.status_code == 201, r.text
    number = r.json()["orders"][0]["id"]
    for who in ("supervisor", "operator", "dispatcher"):
        listed = world.get(who, "/orders").json()["items"]
        assert number in [o["id"] for o in listed], who
        assert world.get(who, f"/orders/{number}").status_code == 200, who
    assert world.get("admin", f"/orders/{number}").json().get("region") in (None, "")
    assert world.post("operator", "/route", {"text": "路灯坏了", "region": ""}).status_code == 200


@pytest.mark.parametrize("moment,fragment", [
    ("0001-01-01T00:00:00", "不能早于 2000-01-01"),
    ("0365-06-01T08:00:00+08:00", "不能早于 2000-01-01"),
    ("1999-12-31T23:59:59+08:00", "不能早于 2000-01-01"),
    ("2026-11-23T10:06:00+08:00", "不能晚于当前时间"),  # the test clock says 10:00; 5 min ahead is allowed
])
def test_received_at_outside_a_sane_window_is_refused_in_chinese(world: World, moment, fragment):
    r = world.post("operator", "/appeals", {**GOOD, "received_at": moment})
    assert r.status_code == 422, r.text
    assert "受理时间" in r.json()["message"] and fragment in r.json()["message"]
    assert world.get("admin", "/orders").json()["total"] == 0


def test_received_at_inside_the_window_keeps_the_time_of_the_call(world: World):
    r = world.post("operator", "/appeals", {**GOOD, "received_at": "2026-11-23T10:04:00+08:00"})
    assert r.status_code == 201, r.text
    r = world.post("operator", "/appeals", {**GOOD, "received_at": "2000-01-01T00:00:00+08:00"})
    assert r.status_code == 201, r.text
    assert "20000101" in r.json()["orders"][0]["id"]


@pytest.mark.parametrize("path", ["/orders", "/supervision/orders?kind=mass", "/supervision/orders?kind=repeat"])
@pytest.mark.parametrize("query,fragment", [
    ("page=9223372036854775807", "页码：不能大于 100000"),
    ("page=0", "页码：不能小于 1"),
    ("page_size=100000", "每页条数：不能大于 200"),
    ("page_size=-1", "每页条数：不能小于 1"),
])
def test_every_list_bounds_its_paging_alike(world: World, path, query, fragment):
    sep = "&" if "?" in path else "?"
    r = world.get("supervisor", f"{path}{sep}{query}")
    assert r.status_code == 422, r.text
    assert fragment in r.json()["message"]
    assert world.get("supervisor", f"{path}{sep}page=100000&page_size=200").status_code == 200


def test_paging_goes_through_the_one_shared_dependency():
    """No API route declares its own page/page_size: they come from `api.paging.paging`, bounded once."""
    routes = [r for m in (appeals, orders, supervision, meta) for r in m.router.routes if isinstance(r, APIRoute)]
    paged = [r.path for r in routes if any(d.call is paging for d in r.dependant.dependencies)]
    assert {"/orders", "/supervision/orders"} <= set(paged)
    for route in routes:
        own = {p.name for p in route.dependant.query_params}
        assert not own & {"page", "page_size"}, route.path
