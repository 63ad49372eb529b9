"""Open311 over the real consumer registry (数据共享接入方): only an open311 consumer's key works, revoked
keys stop at once, its field scope holds, and every read is in the shared access log."""

from __future__ import annotations

import pytest

from liandong.share import access
from liandong.share import consumers as registry
from tests.builders import make_world
from tests.open311_kit import ListRouter
from tests.share_kit import add_consumer

BASE = "/open311/v2"
FORM = {"service_code": "JC-B34", "address_string": "明川市东城区解放路12号", "description": "路灯坏了，电话13812345678",
        "first_name": "敏", "last_name": "张", "phone": "13812345678"}


@pytest.fixture
def world(db_url, clock):
    w = make_world(db_url, clock, router=ListRouter())
    yield w
    w.ctx.close()


def test_an_open311_consumer_posts_reads_and_every_read_is_logged(world):
    key = add_consumer(world, "civic", kind="open311", datasets="orders")
    posted = world.client.post(f"{BASE}/requests.json", data={"api_key": key, **FORM})
    assert posted.status_code == 200, posted.text
    number = posted.json()[0]["service_request_id"]
    listed = world.client.get(f"{BASE}/requests.json", params={"api_key": key, "status": "open"})
    assert [r["service_request_id"] for r in listed.json()] == [number]
    assert "13812345678" not in listed.text and "张" not in listed.text
    assert world.client.get(f"{BASE}/services.xml", params={"api_key": key}).status_code == 200
    with world.ctx.read() as s:
        log = access.search(s, consumer="civic")
    assert [(r.interface, r.dataset, r.filters["method"], r.rows, r.masked) for r in reversed(log)] == [
        ("open311", "orders", "GET requests", 1, True), ("open311", "orders", "GET services", len(world.ctx.open311.items), True)]
    assert log[1].filters["status"] == "open"


def test_other_kinds_missing_datasets_and_revoked_keys_are_refused_in_the_open311_convention(world, clock):
    dept = add_consumer(world, "dept", kind="department", datasets="orders")
    no_orders = add_consumer(world, "statsonly", kind="open311", datasets="stats")
    civic = add_consumer(world, "civic", kind="open311", datasets="orders")
    for key, words in [(dept, "不是 Open311"), (no_orders, "未获授权"), ("ldc_nope", "无效")]:
        r = world.client.get(f"{BASE}/requests.xml", params={"api_key": key})
        assert r.status_code == 403 and words in r.text and r.text.count("<error>") == 1
    assert world.client.get(f"{BASE}/requests.json", params={"api_key": civic}).status_code == 200
    with world.ctx.write() as s:
        registry.revoke(s, "civic", clock.now())
    r = world.client.post(f"{BASE}/requests.json", data={"api_key": civic, **FORM})
    assert r.status_code == 403 and "注销" in r.json()[0]["description"]


def test_a_consumer_limited_to_some_fields_sees_the_others_as_null(world):
    key = add_consumer(world, "narrow", kind="open311", datasets="orders", fields="number,status,category_code")
    world.client.post(f"{BASE}/requests.json", data={"api_key": key, **FORM})
    (row,) = world.client.get(f"{BASE}/requests.json", params={"api_key": key}).json()
    assert row["service_request_id"] and row["status"] == "open" and row["service_code"] == "JC-B34"
    assert row["description"] is None and row["address"] is None and row["agency_responsible"] is None
    assert row["service_name"] is None and row["requested_datetime"] is None


def test_a_consumer_over_its_rate_is_told_in_the_open311_convention_when_to_retry(world):
    key = add_consumer(world, "hasty", kind="open311", datasets="orders", rate=2)
    codes = [world.client.get(f"{BASE}/services.json", params={"api_key": key}).status_code for _ in range(2)]
    refused = world.client.get(f"{BASE}/services.xml", params={"api_key": key})
    assert codes == [200, 200] and refused.status_code == 429
    assert "请求过于频繁" in refused.text and refused.text.count("<error>") == 1
    assert 1 <= int(refused.headers["Retry-After"]) <= 30  # 2 a minute: a slot frees within 30 s
