"""Revocation that takes effect (issue 15 #4): `liandong user revoke` stops the user's tokens on every
worker process within 1 s — here two desks (`Liandong` objects) on one database, as two workers."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.auth.service import REVOCATION_BOUND_S
from liandong.cli.main import app as cli
from liandong.config import Settings
from tests.builders import World, make_world
from tests.fakes import ScriptedRouter

APPEAL = {"channel": "phone", "text": "幸福路3号门口占道经营", "region": "148802001"}


def test_a_revoked_token_is_refused_by_another_worker_within_one_second(db_url, clock, monkeypatch):
    monkeypatch.setenv("LIANDONG_DATABASE_URL", db_url)  # the CLI sets it for its sub-processes; restored after
    first = make_world(db_url, clock, router=ScriptedRouter())
    ctx = Liandong(Settings(database_url=db_url), clock=clock, router_override=ScriptedRouter())
    second = World(ctx=ctx, client=TestClient(create_app(ctx)), tokens=first.tokens)
    try:
        for w in (first, second):
            assert w.get("operator", "/me").status_code == 200  # the token is now in each worker's cache
        result = CliRunner().invoke(cli, ["user", "revoke", "operator", "--db", db_url])  # a third process
        revoked = time.monotonic()
        assert result.exit_code == 0, result.output
        assert f"{REVOCATION_BOUND_S:g} 秒内在所有工作进程生效" in result.output
        deadline = revoked + REVOCATION_BOUND_S + 0.5  # poll (no sleep) until refused or past the bound
        while (status := second.get("operator", "/me").status_code) == 200 and time.monotonic() < deadline:
            pass
        delay = time.monotonic() - revoked
        assert status == 401, "still accepted after the bound"
        assert delay <= REVOCATION_BOUND_S, f"refused only after {delay:.3f} s"
        print(f"revocation took effect on the other worker after {delay:.3f} s")
        for w in (first, second):  # and no write goes through under the revoked user
            assert w.post("operator", "/appeals", APPEAL).status_code == 401
        assert second.get("dispatcher", "/me").status_code == 200  # other users are untouched
    finally:
        first.ctx.close()
        ctx.close()
