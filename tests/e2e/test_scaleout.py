"""Scale-out on one PostgreSQL (issue 17): two serving processes and a job worker of its own, all offering
the supervision check every second. Each due run is taken by exactly one of them (no two runs overlap,
no order is chased twice), and a repeat call (重复来电) taken by one server is found by the other, as are the
members of a mass complaint (群诉) taken by both: the candidates are read from PostgreSQL, no server holds them."""

from __future__ import annotations

import os
import sys
from datetime import timedelta

import httpx
import pytest
from exchange_procs import Proc, free_port, wait_until
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.auth import service as auth
from liandong.config import Settings
from liandong.core.clock import FrozenClock, SystemClock
from liandong.ops.tables import JobRun
from liandong.orders.tables import OrderEventRow
from tests.builders import DEMO_USERS
from tests.conftest import USE_PG
from tests.fakes import ScriptedRouter
from tests.ops_kit import SCRAPE_TOKEN, value

pytestmark = pytest.mark.skipif(not USE_PG, reason="several processes on one database: PostgreSQL (SQLite runs one process)")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _lapsed_orders(db_url: str, clock, count: int) -> dict[str, str]:
    """Orders opened 20 days ago (every time limit has passed), and a token per user."""
    ctx = Liandong(Settings(database_url=db_url), clock=FrozenClock(clock.now() - timedelta(days=20)),
                   router_override=ScriptedRouter())
    tokens = {}
    with ctx.write() as session:
        for name, role, platform, unit, region in DEMO_USERS:
            auth.add_user(session, ctx.city, name=name, role=role, platform=platform, unit=unit, region=region,
                          now=ctx.clock.now())
            tokens[name] = auth.issue_token(session, name, ctx.clock.now())
    client = TestClient(create_app(ctx))
    for i in range(count):
        r = client.post("/api/v1/appeals", headers={"Authorization": f"Bearer {tokens['operator']}"},
                        json={"channel": "phone", "text": f"小区停水了第{i}栋", "region": "148802001"})
        assert r.status_code == 201, r.text
    ctx.close()
    return tokens


def _serve(tmp_path, name: str, db_url: str, env: dict) -> Proc:
    port = free_port()
    argv = [sys.executable, "-c", "from liandong.cli.main import app; app()", "serve", "--db", db_url,
            "--port", str(port), "--no-migrate"]
    return Proc(argv, env, f"http://127.0.0.1:{port}/readyz", tmp_path / f"{name}.log")


def test_two_servers_and_a_worker_share_the_jobs_and_the_repeats(db_url, tmp_path):
    tokens = _lapsed_orders(db_url, SystemClock(), 6)
    env = {**os.environ, "LIANDONG_SUPERVISION_INTERVAL": "1", "LIANDONG_VAR_DIR": os.path.join(REPO, "var"),
           "LIANDONG_LOG_FORMAT": "json", "LIANDONG_LOG_LEVEL": "INFO", "LIANDONG_METRICS_TOKEN": SCRAPE_TOKEN}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    servers = [_serve(tmp_path, f"serve{i}", db_url, env) for i in (1, 2)]
    worker = Proc([sys.executable, "-c", "from liandong.cli.main import app; app()", "worker", "--db", db_url,
                   "--jobs", "supervision", "--tick", "0.2"], env, "", tmp_path / "worker.log")
    engine = create_engine(db_url)
    try:
        worker.spawn()
        for s in servers:
            s.start(timeout=120)
        def enough_runs():
            with engine.connect() as c:
                rows = c.execute(select(JobRun.holder, JobRun.started_at, JobRun.finished_at)
                                 .where(JobRun.name == "supervision", JobRun.finished_at.is_not(None))
                                 .order_by(JobRun.started_at)).all()
            pids = {holder.split(":")[1] for holder, _, _ in rows}
            return rows if len(rows) >= 6 and len(pids) >= 2 else None

        done = wait_until(enough_runs, timeout=120, interval=0.3, what="supervision runs by at least two processes")
        for (_, start, end), (_, next_start, _) in zip(done, done[1:]):
            assert next_start >= end, "two runs of the supervision job overlapped"
            assert (next_start - start).total_seconds() >= 0.99, "a run started before the job was due again"
        with engine.connect() as c:
            per_lapse = c.execute(select(OrderEventRow.order_id, OrderEventRow.action, OrderEventRow.note, func.count())
                                  .where(OrderEventRow.action.in_(["urge", "supervise"]))
                                  .group_by(OrderEventRow.order_id, OrderEventRow.action, OrderEventRow.note)).all()
        assert per_lapse and max(n for *_, n in per_lapse) == 1  # each lapse (milestone, due) chased once, by one
        assert len({o for o, a, *_ in per_lapse if a == "urge"}) == 6

        headers = {"Authorization": f"Bearer {tokens['operator']}"}
        for i in range(4):  # the first call to one server, the second to the other
            first, second = (servers[0], servers[1]) if i % 2 == 0 else (servers[1], servers[0])
            body = {"channel": "phone", "text": f"幸福路{i}号楼下的路灯一直不亮，晚上很危险", "region": "148802001",
                    "caller": {"name": "孙七", "phone": f"1360000{i:04d}"}}
            a = httpx.post(first.health_url.replace("/readyz", "/api/v1/appeals"), json=body, headers=headers, timeout=60)
            assert a.status_code == 201, a.text
            b = httpx.post(second.health_url.replace("/readyz", "/api/v1/appeals"), json=body, headers=headers,
                           timeout=60)
            assert b.status_code == 201, b.text
            related = b.json()["related"]
            assert any(r["relation"] == "repeat" for r in related), f"repeat missed across servers: {b.text}"
            if i >= 2:  # three callers, on both servers, about the lights of one road: a mass complaint (群诉)
                assert any(r["relation"] == "mass" for r in related), f"mass missed across servers: {b.text}"

        scraped = httpx.get(servers[0].health_url.replace("/readyz", "/metrics"), timeout=30,
                            headers={"Authorization": f"Bearer {SCRAPE_TOKEN}"})
        assert scraped.status_code == 200, scraped.text
        received = value(scraped.text, "liandong_appeals_received_total")
        assert received == 4, scraped.text[-3000:]  # this server's own, from its multiprocess files
        assert value(scraped.text, "liandong_job_runs_total", job="supervision") >= 6  # all processes' (SQL)
    finally:
        engine.dispose()
        for p in [*servers, worker]:
            p.stop()
