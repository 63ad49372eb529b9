"""Open-data reads through the API (数据共享): scoped, masked, logged; bad input refused in Chinese."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.builders import World
from tests.conftest import USE_PG
from tests.share_kit import add_consumer, consumer_get, open_appeal


@pytest.fixture
def opened(world: World):
    first = open_appeal(world)
    open_appeal(world, region="148803001", address="西城区某街道某路1号", text="西城区路灯不亮")
    return first["orders"][0]["id"]


def test_orders_are_masked_and_scoped_to_region_and_unit(world: World, opened):
    key = add_consumer(world, "城管局", unit="URBAN", region="148802")
    body = consumer_get(world, key, "/share/datasets/orders").json()
    assert body["masked"] is True and [r["number"] for r in body["rows"]] == [opened]
    row = body["rows"][0]
    assert row["caller_name"] == "李**" and row["caller_phone"] == "138****5678"
    assert row["address"] == "东城区东门街道（详址已脱敏）"
    appeals = consumer_get(world, key, "/share/datasets/appeals").json()["rows"]
    assert len(appeals) == 1 and "13812345678" not in appeals[0]["text"]
    stats = consumer_get(world, key, "/share/datasets/stats").json()["rows"]
    assert sum(s["opened"] for s in stats) == 1


def test_unmasked_reads_need_the_grant_and_record_their_purpose(world: World, opened):
    key = add_consumer(world, "回访中心", kind="ops_centre", unmasked="caller_phone", purpose="满意度回访")
    refused = consumer_get(world, key, "/share/datasets/orders", unmasked="caller_phone")
    assert refused.status_code == 422 and "用途" in refused.json()["message"]
    outside = consumer_get(world, key, "/share/datasets/orders", unmasked="caller_name", purpose="x")
    assert outside.status_code == 403
    ok = consumer_get(world, key, "/share/datasets/orders", unmasked="caller_phone", purpose="满意度回访",
                      fields="number,caller_phone,caller_name")
    assert ok.status_code == 200, ok.text
    rows = ok.json()["rows"]
    assert {r["caller_phone"] for r in rows} == {"13812345678"} and set(rows[0]) == {"number", "caller_name", "caller_phone"}
    log = world.get("admin", "/share/access-log", params={"consumer": "回访中心"}).json()["entries"]
    assert [e["masked"] for e in log] == [False]
    assert log[0]["purpose"] == "满意度回访" and log[0]["unmasked"] == ["caller_phone"] and log[0]["rows"] == 2
    assert log[0]["filters"]["fields"] == ["number", "caller_phone", "caller_name"]


def test_bad_input_gets_a_clear_chinese_error(world: World, opened):
    key = add_consumer(world, "dept", datasets="orders", fields="number,status", region="148802")
    cases = [
        ("/share/datasets/secrets", {}, 422, "未知数据集"),
        ("/share/datasets/appeals", {}, 403, "未获授权读取数据集"),
        ("/share/datasets/orders", {"fields": "number,caller_phone"}, 403, "字段超出授权范围"),
        ("/share/datasets/orders", {"fields": "nope"}, 422, "没有字段"),
        ("/share/datasets/orders", {"limit": "0"}, 422, "不能小于"),
        ("/share/datasets/orders", {"limit": "abc"}, 422, "整数"),
        ("/share/datasets/orders", {"since": "yesterday"}, 422, "日期时间"),
        ("/share/datasets/orders", {"region": "148803"}, 422, "不在接入方的授权辖区"),
        ("/share/datasets/orders", {"region": "12"}, 422, "格式"),
        ("/share/datasets/orders", {"fields": "x" * 600}, 422, "过长"),
        ("/feed/stats", {}, 403, "未获授权"),
        ("/feed/orders", {"cursor": "not-a-cursor"}, 422, "篡改"),
    ]
    for path, params, status, message in cases:
        r = consumer_get(world, key, path, **params)
        assert r.status_code == status and message in r.json()["message"], (path, params, r.text)
    log = world.get("admin", "/share/access-log").json()["entries"]
    assert log == []  # refused reads read nothing and log nothing


def test_the_access_log_is_for_admins_exportable_and_append_only(world: World, opened):
    key = add_consumer(world, "城运中心", kind="ops_centre", datasets="stats,orders")
    consumer_get(world, key, "/share/datasets/stats")
    consumer_get(world, key, "/share/datasets/orders", status="dispatched")
    assert world.get("supervisor", "/share/access-log").status_code == 403
    assert world.client.get("/api/v1/share/access-log", headers={"X-Api-Key": key}).status_code == 401
    entries = world.get("admin", "/share/access-log").json()["entries"]
    assert [(e["dataset"], e["consumer"], e["interface"]) for e in entries] == [("orders", "城运中心", "api"),
                                                                                  ("stats", "城运中心", "api")]
    assert entries[0]["filters"]["status"] == "dispatched" and entries[0]["remote"] == "testclient"
    csv = world.get("admin", "/share/access-log/export", params={"format": "csv"})
    assert csv.status_code == 200 and csv.text.startswith("\ufeffid,at,consumer") and csv.text.count("城运中心") == 2
    jsonl = world.get("admin", "/share/access-log/export", params={"format": "jsonl", "dataset": "stats"})
    assert len(jsonl.text.strip().splitlines()) == 1
    assert world.get("admin", "/share/access-log/export", params={"format": "xml"}).status_code == 422
    for stmt in ("UPDATE share_access_log SET rows = 0", "DELETE FROM share_access_log"):
        with pytest.raises(Exception, match="append-only"):
            with world.ctx.write() as session:
                session.execute(text(stmt))
    assert len(world.get("admin", "/share/access-log").json()["entries"]) == 2


@pytest.mark.skipif(not USE_PG, reason="synchronous_commit is a PostgreSQL setting (run with LIANDONG_TEST_DB=postgres)")
def test_on_postgresql_the_log_row_skips_the_wal_flush_of_its_own_transaction_only(world: World, opened):
    from datetime import datetime

    from liandong.core.clock import CST
    from liandong.share import access
    from liandong.share.scopes import Read

    read = Read(dataset="orders", fields=("number",), unmasked=frozenset(), purpose=None)
    engine = world.ctx.engine
    with engine.connect() as conn:  # one connection, so the session-level setting is visible across transactions
        conn.execute(text("SET synchronous_commit TO on"))
        conn.commit()
        access.record(conn, consumer=None, who="管理员", interface="cli", read=read, filters={"limit": 5},
                      rows=3, remote="127.0.0.1", now=datetime(2026, 11, 23, 10, 0, tzinfo=CST), async_commit=True)
        assert conn.execute(text("SHOW synchronous_commit")).scalar() == "off"
        conn.commit()
        assert conn.execute(text("SHOW synchronous_commit")).scalar() == "on"
        row = conn.execute(text("SELECT consumer, filters, rows, masked, at FROM share_access_log")).one()
    assert row[:4] == ("管理员", {"limit": 5}, 3, True) and row.at == datetime(2026, 11, 23, 10, 0, tzinfo=CST)
