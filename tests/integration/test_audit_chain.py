"""The audit trail is evidence: each route around the append-only triggers is caught by `liandong audit verify`."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from liandong.cli.main import app
from liandong.orders import audit
from liandong.storage.migrate import downgrade, upgrade
from tests.builders import make_world
from tests.fakes import ScriptedRouter

runner = CliRunner()
DAY = "2026-11-23"  # the test clock's day


@pytest.fixture
def world(db_url, clock, monkeypatch):
    monkeypatch.setenv("LIANDONG_DATABASE_URL", db_url)  # the CLI sets it for its sub-processes; restored after
    w = make_world(db_url, clock, router=ScriptedRouter())
    for text_ in ("占道经营，堵住了人行道", "小区门口路灯不亮了"):
        r = w.post("operator", "/appeals", {"channel": "phone", "text": text_, "region": "148802001"})
        assert r.status_code == 201, r.text
    yield w
    w.ctx.close()


def _verify(db_url, roots):
    return runner.invoke(app, ["audit", "verify", "--db", db_url, "--roots", str(roots)])


def _first_event(world):
    with world.ctx.read() as s:
        return s.execute(text("SELECT o.number, e.id, e.order_id, e.seq FROM order_events e JOIN orders o "
                              "ON o.id = e.order_id ORDER BY e.id LIMIT 1")).one()


def _unlocked(world):
    """As someone with the database file or the owner role: the triggers out of the way."""
    with world.ctx.write() as s:
        if s.bind.dialect.name == "sqlite":
            s.execute(text("DROP TRIGGER order_events_no_update"))
        else:
            s.execute(text("ALTER TABLE order_events DISABLE TRIGGER order_events_no_change"))


def test_a_clean_database_verifies_and_the_api_says_so(world, db_url, tmp_path):
    result = _verify(db_url, tmp_path / "roots.jsonl")
    assert result.exit_code == 0, result.output
    assert "审计记录完整" in result.output
    number = _first_event(world).number
    r = world.get("supervisor", f"/orders/{number}/events")
    assert r.status_code == 200 and r.headers["X-Audit-Chain"] == "verified"
    assert [e["seq"] for e in r.json()] == [1, 2]


def test_replace_is_refused_on_sqlite(world):
    if world.ctx.settings.database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL has no REPLACE; ON CONFLICT DO UPDATE fires the UPDATE trigger")
    ev = _first_event(world)
    for statement in (
        f"INSERT OR REPLACE INTO order_events (id, order_id, seq, action, from_status, to_status, actor, role, unit, "
        f"at, note, data) VALUES ({ev.id}, {ev.order_id}, 1, 'receive', NULL, 'received', 'admin', 'admin', NULL, "
        f"'2026-11-23 10:00:00', 'forged', '{{}}')",
        f"REPLACE INTO order_events (id, order_id, seq, action, from_status, to_status, actor, role, unit, at, note, "
        f"data) VALUES (99999, {ev.order_id}, 1, 'receive', NULL, 'received', 'admin', 'admin', NULL, "
        f"'2026-11-23 10:00:00', 'forged', '{{}}')",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            with world.ctx.write() as s:
                s.execute(text(statement))
    with world.ctx.read() as s:
        assert s.scalar(text("SELECT count(*) FROM order_events WHERE actor = 'admin'")) == 0


def test_a_forged_insert_is_named_by_verify(world, db_url, tmp_path):
    ev = _first_event(world)
    with world.ctx.write() as s:
        s.execute(text("INSERT INTO order_events (order_id, seq, action, from_status, to_status, actor, role, unit, "
                       "at, note, data) VALUES (:o, 3, 'close', 'dispatched', 'closed', 'admin', 'admin', NULL, "
                       ":at, '伪造的办结', '{}')"), {"o": ev.order_id, "at": world.ctx.clock.now()})
    result = _verify(db_url, tmp_path / "roots.jsonl")
    assert result.exit_code == 1
    assert f"工单 {ev.number} 第 3 条" in result.output
    r = world.get("supervisor", f"/orders/{ev.number}/events")
    assert r.headers["X-Audit-Chain"] == "broken; seq=3"


def test_an_update_around_the_trigger_is_named_by_verify(world, db_url, tmp_path):
    """SQLite: DROP TRIGGER then UPDATE; PostgreSQL: the owner disables the trigger, then a direct UPDATE."""
    ev = _first_event(world)
    _unlocked(world)
    with world.ctx.write() as s:
        s.execute(text("UPDATE order_events SET actor = 'admin', role = 'admin' WHERE id = :id"), {"id": ev.id})
    result = _verify(db_url, tmp_path / "roots.jsonl")
    assert result.exit_code == 1
    assert f"工单 {ev.number} 第 1 条审计记录：内容与哈希不符" in result.output
    assert world.get("supervisor", f"/orders/{ev.number}/events").headers["X-Audit-Chain"] == "broken; seq=1"


def test_a_rewrite_of_the_whole_chain_is_caught_by_the_signed_roots(world, db_url, tmp_path):
    roots = tmp_path / "roots.jsonl"
    sealed = runner.invoke(app, ["audit", "seal", "--db", db_url, "--roots", str(roots), "--through", DAY])
    assert sealed.exit_code == 0 and DAY in sealed.output, sealed.output
    ev = _first_event(world)
    _unlocked(world)
    with world.ctx.write() as s:  # change the actor and recompute the order's hashes, as a careful forger would
        s.execute(text("UPDATE order_events SET actor = 'admin' WHERE id = :id"), {"id": ev.id})
        prev = audit.GENESIS
        rows = s.execute(text("SELECT * FROM order_events WHERE order_id = :o ORDER BY seq"), {"o": ev.order_id})
        for row in rows.mappings().all():
            fake = _Row(row)
            h = audit.digest(fake, prev)
            s.execute(text("UPDATE order_events SET prev_hash = :p, hash = :h WHERE id = :id"),
                      {"p": prev, "h": h, "id": row["id"]})
            prev = h
    assert runner.invoke(app, ["audit", "verify", "--db", db_url, "--roots", str(tmp_path / "none")]).exit_code == 0
    result = _verify(db_url, roots)
    assert result.exit_code == 1
    assert f"工单 {ev.number} 第 2 条审计记录：与 {DAY} 的签名存证不符" in result.output
    tampered = roots.read_text(encoding="utf-8").replace('"events": 4', '"events": 5')
    roots.write_text(tampered, encoding="utf-8")
    assert "签名不符" in _verify(db_url, roots).output


def test_since_limits_the_days_checked(world, db_url, tmp_path):
    result = runner.invoke(app, ["audit", "verify", "--db", db_url, "--since", "2026-11-24",
                                 "--roots", str(tmp_path / "r")])
    assert result.exit_code == 0 and "核验 0 张工单" in result.output
    assert runner.invoke(app, ["audit", "verify", "--db", db_url, "--since", "昨天"]).exit_code == 2
    assert date.fromisoformat(DAY) == world.ctx.clock.now().date()


def test_0005_chains_the_events_written_before_it(world, db_url, tmp_path):
    world.ctx.close()
    downgrade(db_url, "0004")
    with world.ctx.read() as s:
        assert "hash" not in {c["name"] for c in inspect(s.connection()).get_columns("order_events")}
    upgrade(db_url)
    assert _verify(db_url, tmp_path / "roots.jsonl").exit_code == 0
    for statement in ("UPDATE order_events SET note = 'x'", "DELETE FROM order_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            with world.ctx.write() as s:
                s.execute(text(statement))


class _Row:
    def __init__(self, mapping) -> None:
        self.__dict__.update(mapping)
        if isinstance(self.data, str):  # SQLite hands JSON and times back as text
            self.data = json.loads(self.data)
        if isinstance(self.at, str):
            self.at = datetime.fromisoformat(self.at)
