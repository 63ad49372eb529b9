"""PostgreSQL roles: the application role cannot rewrite the audit trail or the exchange inbox; the desks still
work as that role; an UPDATE by the owner (who can lift the trigger) is named by `liandong audit verify`."""

from __future__ import annotations

import os
import uuid
from datetime import datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError
from typer.testing import CliRunner

from liandong.cli.main import app
from liandong.core.clock import CST, FrozenClock
from liandong.storage.migrate import upgrade
from tests.builders import make_world
from tests.fakes import ScriptedRouter

pytestmark = pytest.mark.skipif(os.environ.get("LIANDONG_TEST_DB") != "postgres",
                                reason="database roles exist on PostgreSQL only (LIANDONG_TEST_DB=postgres)")
runner = CliRunner()
PG_URL = os.environ.get("LIANDONG_TEST_PG_URL", "postgresql+psycopg://liandong:liandong@127.0.0.1:55432/liandong")


def _url(base: str, user: str, db: str) -> str:
    scheme, rest = base.split("://", 1)
    host = rest.split("@", 1)[1].rsplit("/", 1)[0]
    return f"{scheme}://{user}:{user}@{host}/{db}"


@pytest.fixture(scope="module")
def roles():
    """An owner role that owns a fresh database and migrates it, and an application role; dropped afterwards."""
    tag = uuid.uuid4().hex[:8]
    owner, app_role, db = f"ld_owner_{tag}", f"ld_app_{tag}", f"ld_roles_{tag}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        if not c.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
            admin.dispose()
            pytest.skip("the test role cannot create roles and give them databases (needs SUPERUSER; .ci/postgres.sh grants it)")
        c.execute(text(f"CREATE ROLE {owner} LOGIN PASSWORD '{owner}'"))
        c.execute(text(f"CREATE ROLE {app_role} LOGIN PASSWORD '{app_role}'"))
        c.execute(text(f'CREATE DATABASE "{db}" OWNER {owner}'))
    mp = pytest.MonkeyPatch()
    mp.setenv("LIANDONG_APP_ROLE", app_role)
    try:
        upgrade(_url(PG_URL, owner, db))
    finally:
        mp.undo()
    yield {"owner": _url(PG_URL, owner, db), "app": _url(PG_URL, app_role, db)}
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        c.execute(text(f"DROP ROLE {app_role}"))
        c.execute(text(f"DROP ROLE {owner}"))
    admin.dispose()


@pytest.fixture(scope="module")
def world(roles):
    w = make_world(roles["app"], FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=CST)), router=ScriptedRouter())
    yield w
    w.ctx.close()


def _as(url: str, statement: str, **params) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as c:
            c.execute(text(statement), params)
    finally:
        engine.dispose()


def test_the_desk_works_as_the_application_role(world):
    r = world.post("operator", "/appeals", {"channel": "phone", "text": "占道经营，堵住了人行道", "region": "148802001"})
    assert r.status_code == 201, r.text
    number = r.json()["orders"][0]["id"]
    detail = world.get("admin", f"/orders/{number}").json()
    body = {"action": "urge", "note": "请尽快处理"} if detail["status"] != "received" else {"action": "dispatch", "unit": "URBAN"}
    acted = world.client.post(f"/api/v1/orders/{number}/actions", json=body,
                              headers=world.as_("supervisor" if body["action"] == "urge" else "dispatcher"))
    assert acted.status_code == 200, acted.text
    trail = world.get("supervisor", f"/orders/{number}/events")
    assert trail.status_code == 200 and trail.headers["X-Audit-Chain"] == "verified"
    assert len(trail.json()) >= 3


@pytest.mark.parametrize("statement", [
    "UPDATE order_events SET actor = 'admin'",
    "DELETE FROM order_events",
    "TRUNCATE order_events",
    "UPDATE exchange_inbox SET outcome = 'accepted'",
    "DELETE FROM exchange_inbox",
    "UPDATE exchange_outbox SET body = 'x'",
    "DELETE FROM exchange_outbox",
    "ALTER TABLE order_events DISABLE TRIGGER order_events_no_change",
])
def test_the_application_role_cannot_rewrite_the_trail(roles, world, statement):
    with pytest.raises(ProgrammingError, match="permission denied|must be owner"):
        _as(roles["app"], statement)


def test_the_application_role_may_move_an_outbox_message_through_its_states(roles, world):
    _as(roles["app"], "INSERT INTO exchange_outbox (message_id, link_id, peer, kind, seq, body, state, failed_attempts, "
        "next_attempt_at, created_at) VALUES ('m-roles', 'L1', '110', 'transfer', 1, 'x', 'pending', 0, now(), now())")
    _as(roles["app"], "UPDATE exchange_outbox SET state = 'sent', sent_at = now(), ack = '{}' WHERE message_id = 'm-roles'")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _as(roles["app"], "UPDATE exchange_outbox SET peer = '119' WHERE message_id = 'm-roles'")


def test_an_update_by_the_owner_is_named_by_verify(roles, world, tmp_path):
    r = world.post("operator", "/appeals", {"channel": "phone", "text": "小区门口路灯不亮了", "region": "148802001"})
    number = r.json()["orders"][0]["id"]
    _as(roles["owner"], "ALTER TABLE order_events DISABLE TRIGGER order_events_no_change")
    _as(roles["owner"], "UPDATE order_events SET actor = 'admin' WHERE seq = 1 AND order_id = "
        "(SELECT id FROM orders WHERE number = :n)", n=number)
    _as(roles["owner"], "ALTER TABLE order_events ENABLE TRIGGER order_events_no_change")
    result = runner.invoke(app, ["audit", "verify", "--db", roles["app"], "--roots", str(tmp_path / "roots.jsonl")])
    assert result.exit_code == 1, result.output
    assert f"工单 {number} 第 1 条审计记录：内容与哈希不符" in result.output
