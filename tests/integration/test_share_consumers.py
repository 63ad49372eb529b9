"""Consumers (接入方): registration, their own API keys, rotation and revocation on every worker at once —
two application instances on one database, the change made by the CLI as a third process would."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.cli.main import app as cli
from liandong.config import Settings
from liandong.share.tables import ConsumerRow
from tests.fakes import ScriptedRouter


@pytest.fixture
def workers(db_url, clock, monkeypatch):
    monkeypatch.setenv("LIANDONG_DATABASE_URL", db_url)
    ctxs = [Liandong(Settings(database_url=db_url), clock=clock, router_override=ScriptedRouter()) for _ in range(2)]
    yield [TestClient(create_app(c), raise_server_exceptions=False) for c in ctxs]
    for c in ctxs:
        c.close()


def add(db_url, *args):
    result = CliRunner().invoke(cli, ["consumer", "add", *args, "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def me(client, key):
    return client.get("/api/v1/share/me", headers={"X-Api-Key": key})


def test_a_consumer_sees_its_scopes_and_its_key_is_stored_only_hashed(db_url, workers, clock):
    made = add(db_url, "城管局", "--kind", "department", "--datasets", "orders,events", "--unit", "URBAN",
               "--fields", "number,status,caller_phone,region")
    key = made["api_key"]
    body = me(workers[0], key).json()
    assert body["name"] == "城管局" and body["unit"] == "URBAN"
    assert body["datasets"]["orders"]["fields"] == ["number", "status", "region", "caller_phone"]
    assert body["datasets"]["orders"]["personal"] == ["caller_phone"] and body["unmasked"] == []
    assert workers[1].get("/api/v1/share/me", params={"api_key": key}).status_code == 200
    assert workers[1].get("/api/v1/share/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    ctx = Liandong(Settings(database_url=db_url), clock=clock)
    with ctx.read() as s:
        stored = s.scalars(select(ConsumerRow)).one()
    ctx.close()
    assert key not in json.dumps([stored.key_digest, stored.key_hint]) and len(stored.key_digest) == 64


def test_rotation_and_revocation_hold_on_every_worker_as_soon_as_the_command_returns(db_url, workers):
    key = add(db_url, "城运中心", "--kind", "ops_centre", "--datasets", "stats")["api_key"]
    assert all(me(w, key).status_code == 200 for w in workers)
    rotated = CliRunner().invoke(cli, ["consumer", "rotate", "城运中心", "--db", db_url])
    assert rotated.exit_code == 0, rotated.output
    new_key = rotated.output.strip().rsplit("：", 1)[1]
    for w in workers:
        assert me(w, key).status_code == 401
        assert me(w, new_key).status_code == 200
    revoked = CliRunner().invoke(cli, ["consumer", "revoke", "城运中心", "--db", db_url])
    assert revoked.exit_code == 0, revoked.output
    for w in workers:
        r = me(w, new_key)
        assert r.status_code == 401 and r.json()["message"] == "接入密钥已注销"


def test_bad_registrations_are_refused_in_chinese_and_nothing_is_stored(db_url, workers):
    cases = [
        (["x", "--kind", "robot", "--datasets", "orders"], "接入方类型"),
        (["x", "--kind", "department", "--datasets", "orders,secrets"], "数据集无效"),
        (["x", "--kind", "department", "--datasets", ""], "至少授权一个数据集"),
        (["x", "--kind", "department", "--datasets", "orders", "--fields", "password"], "字段无效"),
        (["x", "--kind", "department", "--datasets", "orders", "--unmasked", "caller_phone"], "用途"),
        (["x", "--kind", "department", "--datasets", "orders", "--unmasked", "status", "--purpose", "p"], "不脱敏字段无效"),
        (["x", "--kind", "department", "--datasets", "orders", "--unit", "NOPE"], "NOPE"),
        (["x", "--kind", "department", "--datasets", "orders", "--region", "999999"], "999999"),
        (["x" * 65, "--kind", "department", "--datasets", "orders"], "名称"),
    ]
    for args, message in cases:
        result = CliRunner().invoke(cli, ["consumer", "add", *args, "--db", db_url])
        assert result.exit_code == 2 and message in result.output, (args, result.output)
    listed = CliRunner().invoke(cli, ["consumer", "list", "--json", "--db", db_url])
    assert json.loads(listed.output) == []
    add(db_url, "dup", "--kind", "open311", "--datasets", "appeals")
    again = CliRunner().invoke(cli, ["consumer", "add", "dup", "--kind", "open311", "--datasets", "appeals", "--db", db_url])
    assert again.exit_code == 2 and "已存在" in again.output


def test_requests_without_a_valid_key_are_refused(workers):
    assert me(workers[0], "").status_code == 401
    assert me(workers[0], "ldc_" + "x" * 43).json()["message"] == "接入密钥无效"
    assert me(workers[0], "y" * 500).status_code == 401


def test_a_consumer_over_its_rate_limit_gets_429(db_url, workers):
    key = add(db_url, "slow", "--kind", "open311", "--datasets", "appeals", "--rate", "3")["api_key"]
    answers = [me(workers[0], key) for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    refused = answers[3]
    assert refused.json()["error"] == "rate_limited" and "请求过于频繁" in refused.json()["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 20  # 3 a minute: a slot frees within 20 s
