"""Open data (数据共享) on PostgreSQL with production durability (fsync on, synchronous_commit on).

    .venv/bin/python bench/open_data.py --pg postgresql+psycopg://liandong:liandong@127.0.0.1:55444/liandong \
        [--changes 50000] [--reads 1000] [--write]

1. Feed: `--changes` feed rows — 40 orders opened through intake, their feed rows then cloned by INSERT …
   SELECT (the feed's read path does not care how a row was written) — followed from the start by one
   consumer through a real `liandong serve` (HTTP on loopback, pages of 1,000, fields: all, masked):
   changes per second over the whole follow.
2. Access log: the same read of 100 orders `--reads` times with the access log written (on PostgreSQL in
   the read's own transaction, committed with it) and `--reads` times with the log calls replaced by
   no-ops, interleaved; medians and the overhead — once as the service call `Share.query`, once as the
   consumer makes it, `GET /api/v1/share/datasets/orders` (key check, rate limit, JSON; in-process ASGI).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import git_rev, write_section  # noqa: E402
from liandong.core.clock import CST, FrozenClock  # noqa: E402
from liandong.share.consumers import authenticate  # noqa: E402
from liandong.share.queries import Filters  # noqa: E402
from liandong.storage.migrate import upgrade  # noqa: E402
from tests.builders import make_world  # noqa: E402
from tests.fakes import ScriptedRouter  # noqa: E402
from tests.share_kit import add_consumer, open_appeal  # noqa: E402

PORT = 18260


def fresh_db(base: str) -> str:
    name = f"bench_share_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
        durable = c.execute(text("SHOW fsync")).scalar(), c.execute(text("SHOW synchronous_commit")).scalar()
    admin.dispose()
    return base.rsplit("/", 1)[0] + f"/{name}", durable


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", required=True)
    ap.add_argument("--changes", type=int, default=50_000)
    ap.add_argument("--reads", type=int, default=1000)
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    url, durable = fresh_db(a.pg)
    upgrade(url)
    world = make_world(url, FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=CST)), router=ScriptedRouter())
    for _ in range(40):
        open_appeal(world)
    key = add_consumer(world, "城运中心", kind="ops_centre", datasets="orders,events")
    with world.ctx.write() as s:
        base = s.execute(text("SELECT count(*) FROM share_feed")).scalar()
        cols = "order_number, seq, action, from_status, to_status, platform, unit, region, role, at, snapshot, appeal_id"
        while base < a.changes:
            s.execute(text(f"INSERT INTO share_feed ({cols}) SELECT {cols} FROM share_feed LIMIT :n"),
                      {"n": min(base, a.changes - base)})
            base = s.execute(text("SELECT count(*) FROM share_feed")).scalar()
    s_env = {"LIANDONG_DATABASE_URL": url}
    server = subprocess.Popen([str(Path(sys.executable).with_name("liandong")), "serve", "--db", url, "--port",
                               str(PORT), "--no-migrate"], env={**__import__("os").environ, **s_env})
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{PORT}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.1)
        client = httpx.Client(base_url=f"http://127.0.0.1:{PORT}", headers={"X-Api-Key": key}, timeout=60)
        client.get("/api/v1/feed/orders", params={"limit": 10})  # warm-up
        cursor, seen, pages = None, 0, 0
        started = time.perf_counter()
        while True:
            body = client.get("/api/v1/feed/orders", params={"limit": 1000, **({"cursor": cursor} if cursor else {})}).json()
            seen += len(body["changes"])
            pages += 1
            cursor = body["cursor"]
            if not body["more"]:
                break
        feed_s = time.perf_counter() - started
        client.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    with world.ctx.read() as s:
        consumer = authenticate(s, key)
    share, f = world.ctx.share, Filters(limit=100)
    real = share.log, share._log_in
    off = (lambda *args, **kw: None, lambda *args, **kw: True)

    def interleaved(read) -> tuple[float, float]:
        logged, bare = [], []
        for i in range(a.reads * 2 + 20):
            with_log = i % 2 == 0
            share.log, share._log_in = real if with_log else off
            t = time.perf_counter()
            read()
            dt = (time.perf_counter() - t) * 1000
            if i >= 20:
                (logged if with_log else bare).append(dt)
        share.log, share._log_in = real
        return statistics.median(logged), statistics.median(bare)

    m_log, m_bare = interleaved(lambda: share.query(consumer, "orders", filters=f))
    headers = {"X-Api-Key": key}
    a_log, a_bare = interleaved(lambda: world.client.get("/api/v1/share/datasets/orders", headers=headers,
                                                         params={"limit": 100}).raise_for_status())
    world.ctx.close()
    rate = seen / feed_s
    body = f"""`bench/open_data.py` (commit {git_rev()}), PostgreSQL 15 with fsync={durable[0]}, synchronous_commit={durable[1]};
{a.reads} reads of each kind, interleaved; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores when measured.

| measure | figure |
|---|---|
| change feed, one consumer through `liandong serve` (HTTP, pages of 1,000) | **{rate:,.0f} changes/s** ({seen:,} changes in {feed_s:.2f} s, {pages} pages) |
| read `orders` (limit 100: all 40 rows, masked), service call without the access log, median | {m_bare:.2f} ms |
| the same read with its access-log row committed, median | {m_log:.2f} ms |
| access-log overhead on the service call | **{(m_log / m_bare - 1) * 100:+.1f} %** ({m_log - m_bare:.2f} ms) |
| the same read as a consumer makes it, `GET /api/v1/share/datasets/orders?limit=100` (in-process ASGI, no network), without / with the log | {a_bare:.2f} ms / {a_log:.2f} ms |
| access-log overhead on the API read | **{(a_log / a_bare - 1) * 100:+.1f} %** ({a_log - a_bare:.2f} ms) |

Reproduce: `.venv/bin/python bench/open_data.py --pg postgresql+psycopg://…/liandong --write` against a
server with fsync on. Targets: ≥ 5,000 changes/s; log ≤ 10 %."""
    print(body)
    if a.write:
        write_section("Open data (数据共享)", body)


if __name__ == "__main__":
    main()
