"""Change feed under concurrent writers (PostgreSQL, real processes): 10,000 accepted updates from 8 writer
processes while a follower reads the feed through `liandong serve` and is killed (SIGKILL) and restarted
twice. Every change is seen exactly once, and per order in the order of its audit trail."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from liandong.app import Liandong
from liandong.config import Settings
from liandong.orders.tables import OrderEventRow, OrderRow
from tests.builders import make_world
from tests.conftest import USE_PG
from tests.fakes import ScriptedRouter
from tests.share_kit import add_consumer, open_appeal

pytestmark = pytest.mark.skipif(not USE_PG, reason="concurrent commit order is the PostgreSQL trap (LIANDONG_TEST_DB=postgres)")

PROCS = Path(__file__).with_name("share_procs.py")
ROOT = Path(__file__).resolve().parents[2]
PORT = 18251
WRITERS, UPDATES, ORDERS = 8, 10_000, 40


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text().splitlines(keepends=True) if x.endswith("\n")]


def test_every_change_once_in_order_through_kills_and_restarts(db_url, clock, tmp_path):
    world = make_world(db_url, clock, router=ScriptedRouter())
    numbers = [open_appeal(world)["orders"][0]["id"] for _ in range(ORDERS)]
    key = add_consumer(world, "城运中心", kind="ops_centre", datasets="orders", fields="number")
    world.ctx.close()
    (tmp_path / "numbers.json").write_text(json.dumps(numbers))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LIANDONG_DATABASE_URL": db_url}
    server = subprocess.Popen([str(Path(sys.executable).with_name("liandong")), "serve", "--db", db_url,
                               "--port", str(PORT), "--no-migrate"], env=env)
    log, stop = tmp_path / "feed.jsonl", tmp_path / "stop"
    follower_cmd = [sys.executable, str(PROCS), "follower", f"http://127.0.0.1:{PORT}", key, str(log), str(stop)]
    writers = []
    try:
        wait_until(lambda: _healthy(PORT), 180, "the server")
        follower = subprocess.Popen(follower_cmd, env=env)
        per = UPDATES // WRITERS
        writers = [subprocess.Popen([sys.executable, str(PROCS), "writer", db_url, str(per), str(i),
                                     str(tmp_path / "numbers.json")], env=env) for i in range(WRITERS)]
        for kill in (1, 2):  # kill the follower mid-stream, twice, and start it again from its own log
            seen = sum(len(x["changes"]) for x in lines(log))
            wait_until(lambda: sum(len(x["changes"]) for x in lines(log)) > seen + 1500 * kill, 600, "feed progress")
            follower.send_signal(signal.SIGKILL)
            follower.wait()
            follower = subprocess.Popen(follower_cmd, env=env)
        for w in writers:
            assert w.wait(timeout=1800) == 0
        stop.touch()
        assert follower.wait(timeout=120) == 0
    finally:
        for p in [*writers, server]:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
    seen = [tuple(c) for x in lines(log) for c in x["changes"]]
    ctx = Liandong(Settings(database_url=db_url))
    with ctx.read() as session:
        events = session.execute(select(OrderRow.number, OrderEventRow.seq)
                                 .join(OrderRow, OrderRow.id == OrderEventRow.order_id)).all()
    ctx.close()
    expected = {(n, s) for n, s in events}
    assert len(expected) >= ORDERS * 2 + UPDATES  # receive + dispatch per order, every accepted 催办 (and what it set off)
    assert len(seen) == len(set(seen)), "a change was delivered twice"
    assert set(seen) == expected, f"missing {len(expected - set(seen))}, unexpected {len(set(seen) - expected)}"
    last: dict[str, int] = {}
    for number, seq in seen:
        assert seq == last.get(number, 0) + 1, f"{number}: seq {seq} after {last.get(number)}"
        last[number] = seq


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
