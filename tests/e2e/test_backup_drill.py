"""The backup drill (备份恢复演练): load a desk, back it up with the real command, destroy the database,
restore it, and find every order, audit event and outbox row back, the audit chain whole, and the desk
serving (issue 17). On SQLite and on PostgreSQL (pg_dump / pg_restore)."""

import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, select, text

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.auth import service as auth
from liandong.config import Settings
from liandong.exchange.tables import OutboxMessage
from liandong.orders.tables import OrderEventRow, OrderRow
from tests.builders import DEMO_USERS
from tests.conftest import PG_URL, USE_PG
from tests.fakes import ScriptedRouter

SECRET_ENV = "DRILL_PEER_110_SECRET"
TEXTS = ["小区停水了两天", "有人持刀抢劫刚跑了", "楼上漏水到我家", "路灯不亮", "抢劫手机的人往东跑了", "不确定找谁"]


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from liandong.cli.main import app; app()", *args],
                          env=env, capture_output=True, text=True, timeout=300)


def snapshot(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as c:
        shot = {
            "orders": set(c.execute(select(OrderRow.id, OrderRow.number, OrderRow.status, OrderRow.version,
                                           OrderRow.warning, OrderRow.last_event_seq))),
            "events": set(c.execute(select(OrderEventRow.id, OrderEventRow.order_id, OrderEventRow.seq,
                                           OrderEventRow.hash))),
            "outbox": set(c.execute(select(OutboxMessage.message_id, OutboxMessage.peer, OutboxMessage.state,
                                           OutboxMessage.body, OutboxMessage.request_id))),
        }
    engine.dispose()
    return shot


def destroy(url: str, tmp_path) -> None:
    if not USE_PG:
        path = url.split("///", 1)[1]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return
    name = make_url(url).database
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))  # empty: not even the schema
    admin.dispose()


def test_back_up_destroy_restore_and_everything_is_back(db_url, clock, tmp_path, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "drill-secret-12345-110-000000000000")
    peers = tmp_path / "peers.yaml"  # the 110 desk is away: transfers wait in the outbox
    peers.write_text(f"local_platform: '12345'\npeers:\n  - platform: '110'\n    url: http://127.0.0.1:9\n"
                     f"    key_id: drill-1\n    secret_env: {SECRET_ENV}\n", encoding="utf-8")
    ctx = Liandong(Settings(database_url=db_url, peers_file=peers), clock=clock, router_override=ScriptedRouter())
    with ctx.write() as session:
        for name, role, platform, unit, region in DEMO_USERS:
            auth.add_user(session, ctx.city, name=name, role=role, platform=platform, unit=unit, region=region,
                          now=clock.now())
        admin = auth.issue_token(session, "admin", clock.now())
        operator = auth.issue_token(session, "operator", clock.now())
    client = TestClient(create_app(ctx), raise_server_exceptions=False)  # no lifespan: no relay sends
    for i in range(18):
        r = client.post("/api/v1/appeals", headers={"Authorization": f"Bearer {operator}"},
                        json={"channel": "phone", "text": TEXTS[i % len(TEXTS)], "region": "148802001",
                              "caller": {"name": "李四", "phone": f"1390000{i:04d}"}})
        assert r.status_code == 201, r.text
    ctx.supervision.run_checks(ctx.write, clock.now())
    ctx.close()
    before = snapshot(db_url)
    assert len(before["orders"]) >= 18 and len(before["events"]) > len(before["orders"]) and before["outbox"]

    env = {**os.environ, "LIANDONG_DATABASE_URL": db_url}
    out = tmp_path / "backup"
    done = cli("backup", "--out", str(out), env=env)
    assert done.returncode == 0, done.stderr
    assert (out / "manifest.json").exists() and "已备份" in done.stdout

    destroy(db_url, tmp_path)
    done = cli("restore", str(out), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "审计记录完整" in done.stdout

    assert snapshot(db_url) == before
    again = Liandong(Settings(database_url=db_url), clock=clock, router_override=ScriptedRouter())
    try:
        served = TestClient(create_app(again), raise_server_exceptions=False)
        assert served.get("/readyz").status_code == 200
        listed = served.get("/api/v1/orders", headers={"Authorization": f"Bearer {admin}"})  # tokens came back too
        assert listed.status_code == 200 and listed.json()["total"] == len([o for o in before["orders"]
                                                                             if o[1].startswith("GD")])
        r = served.post("/api/v1/appeals", headers={"Authorization": f"Bearer {operator}"},
                        json={"channel": "phone", "text": "小区又停水了", "region": "148802001"})
        assert r.status_code == 201, r.text  # ids and sequences go on after the restored rows
    finally:
        again.close()


def test_restore_refuses_a_directory_that_is_not_a_backup(tmp_path, db_url):
    done = cli("restore", str(tmp_path), env={**os.environ, "LIANDONG_DATABASE_URL": db_url})
    assert done.returncode == 2 and "不是联动备份目录" in done.stderr


@pytest.mark.skipif(USE_PG, reason="the dialect check is the same on both")
def test_a_backup_will_not_land_on_the_other_database_kind(tmp_path, db_url):
    out = tmp_path / "b"
    assert cli("backup", "--out", str(out), env={**os.environ, "LIANDONG_DATABASE_URL": db_url}).returncode == 0
    done = cli("restore", str(out), env={**os.environ,
                                         "LIANDONG_DATABASE_URL": "postgresql+psycopg://x:y@127.0.0.1:9/none"})
    assert done.returncode == 2 and "不能恢复到 PostgreSQL" in done.stderr
    again = cli("backup", "--out", str(out), env={**os.environ, "LIANDONG_DATABASE_URL": db_url})
    assert again.returncode == 2 and "不是空目录" in again.stderr
