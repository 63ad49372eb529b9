"""The change feed through the API (变更流): every change once, resumable, the cursor tamper-evident."""

from __future__ import annotations

import base64
import time

from tests.builders import World
from tests.share_kit import add_consumer, consumer_get, open_appeal


def follow(world: World, key: str, dataset: str, cursor=None, *, expect: int = 0, **params) -> tuple[list[dict], str]:
    """Read the feed from `cursor` to its end. On PostgreSQL a change is served once every transaction older
    than it has ended — cluster-wide, so another test's open transaction can hold it back for a moment: with
    `expect`, read again from the same cursor until that many changes are there (bounded)."""
    deadline = time.monotonic() + 30
    start = cursor
    while True:
        seen, cursor = [], start
        while True:
            r = consumer_get(world, key, f"/feed/{dataset}", **({"cursor": cursor} if cursor else {}), **params)
            assert r.status_code == 200, r.text
            body = r.json()
            seen += body["changes"]
            cursor = body["cursor"]
            if not body["more"]:
                break
        if len(seen) >= expect or time.monotonic() > deadline:
            return seen, cursor


def test_a_consumer_sees_each_change_once_and_resumes_from_its_cursor(world: World):
    key = add_consumer(world, "城运中心", kind="ops_centre", datasets="orders,events")
    number = open_appeal(world)["orders"][0]["id"]
    first, cursor = follow(world, key, "orders", limit=1, expect=2)
    assert [(c["seq"], c["action"]) for c in first] == [(1, "receive"), (2, "dispatch")]
    assert first[1]["data"]["status"] == "dispatched" and first[1]["data"]["caller_phone"] == "138****5678"
    assert follow(world, key, "orders", cursor)[0] == []
    world.act("handler_urban", number, "sign")
    world.act("handler_urban", number, "reply", note="已处理")
    more, cursor2 = follow(world, key, "orders", cursor, expect=2)
    assert [(c["seq"], c["action"], c["data"]["status"]) for c in more] == [(3, "sign", "signed"), (4, "reply", "replied")]
    events, _ = follow(world, key, "events", expect=4)
    assert [e["data"]["seq"] for e in events] == [1, 2, 3, 4] and events[2]["data"]["to_status"] == "signed"
    assert follow(world, key, "orders", cursor, expect=2)[0] == more  # the same cursor reads the same changes again


def test_a_department_follows_only_its_unit_in_its_region(world: World):
    urban = add_consumer(world, "城管局", unit="URBAN", datasets="orders")
    water = add_consumer(world, "水务", unit="WSUPPLY", datasets="orders", fields="number,status")
    open_appeal(world)
    open_appeal(world, text="我家停水了", region="148802001")
    mine, _ = follow(world, urban, "orders", expect=1)
    assert {c["data"]["unit"] for c in mine} == {"URBAN"}
    theirs, _ = follow(world, water, "orders", expect=1)
    assert theirs and all(set(c["data"]) == {"number", "status"} for c in theirs)


def test_a_tampered_or_borrowed_cursor_is_refused(world: World):
    a = add_consumer(world, "a", datasets="orders,events")
    b = add_consumer(world, "b", datasets="orders")
    open_appeal(world)
    _, cursor = follow(world, a, "orders", expect=1)
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[3] = ord("9") if raw[3] != ord("9") else ord("8")
    forged = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    r = consumer_get(world, a, "/feed/orders", cursor=forged)
    assert r.status_code == 422 and "篡改" in r.json()["message"]
    r = consumer_get(world, b, "/feed/orders", cursor=cursor)
    assert r.status_code == 422 and "不属于本接入方" in r.json()["message"]
    r = consumer_get(world, a, "/feed/events", cursor=cursor)
    assert r.status_code == 422 and "本数据集" in r.json()["message"]
    assert consumer_get(world, a, "/feed/appeals").status_code == 403
    assert consumer_get(world, add_consumer(world, "c", datasets="appeals"), "/feed/appeals").status_code == 404
    assert consumer_get(world, a, "/feed/orders", limit=0).status_code == 422
