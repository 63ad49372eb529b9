"""Intake benchmark: appeals per second through the HTTP API, and latency, on SQLite and PostgreSQL.

    .venv/bin/python bench/intake.py [--sqlite] [--pg URL] [--n 3000] [--concurrency 32] [--workers 4]

Starts `liandong serve` as real server process(es), creates users, then drives `POST /api/v1/appeals`
from this process with the demo generator's appeals: (1) as fast as the server takes them with
C requests in flight, (2) at a fixed 200 appeals/s for latency. Writes `## Intake` in docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from collections import Counter
from datetime import datetime, timedelta

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import pct, write_section  # noqa: E402

from liandong.app import Liandong  # noqa: E402
from liandong.core.clock import CST  # noqa: E402
from liandong.config import Settings  # noqa: E402
from liandong.demo.appeals import generate, to_api_payload  # noqa: E402
from liandong.demo.users import create_demo_users  # noqa: E402
from liandong.storage.migrate import upgrade  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
STATUS: Counter = Counter()
LIANDONG = str(Path(sys.executable).parent / "liandong")


def start_server(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "LIANDONG_DATABASE_URL": url}
    proc = subprocess.Popen([LIANDONG, "serve", "--port", str(port), "--workers", str(workers), "--no-migrate"],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("LIANDONG_BENCH_LOG", os.devnull), "w"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        time.sleep(0.1)
    raise RuntimeError("server did not start")


async def drive(base: str, token: str, payloads: list[dict], concurrency: int, rate: float | None) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue = asyncio.Queue()
    for i, p in enumerate(payloads):
        queue.put_nowait((i, p))
    t_start = time.perf_counter()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while True:
            try:
                i, p = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            if rate:
                due = t_start + i / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)  # pacing the offered load, not synchronisation
            t0 = time.perf_counter()
            r = await client.post("/api/v1/appeals", json=p, headers={"Authorization": f"Bearer {token}"})
            latencies.append((time.perf_counter() - t0) * 1000)
            if r.status_code != 201:
                errors += 1
                STATUS[r.status_code] += 1

    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    elapsed = time.perf_counter() - t_start
    return len(payloads) / elapsed, latencies, errors


def run(label: str, url: str, workers: int, n: int, concurrency: int, port: int) -> str:
    upgrade(url)
    ctx = Liandong(Settings(database_url=url))
    rows, _ = create_demo_users(ctx)
    ctx.close()
    token = next(r["token"] for r in rows if r["role"] == "operator")
    start = datetime.now(CST) - timedelta(days=max(7, n // 240) + 1)
    payloads = [to_api_payload(a) for a in generate(n, seed=11, start=start)]
    for p in payloads:
        p["channel"] = "phone" if p["channel"] == "110" else p["channel"]
    proc = start_server(url, port, workers)
    try:
        base = f"http://127.0.0.1:{port}"
        asyncio.run(drive(base, token, payloads[:200], 8, None))  # warm-up: model load, connection pools
        rps, lat, err = asyncio.run(drive(base, token, payloads, concurrency, None))
        fixed = payloads[: min(len(payloads), 2000)]
        _, lat200, err200 = asyncio.run(drive(base, token, fixed, 64, 200.0))
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    line = (f"| {label} | {workers} | {n} | {concurrency} | **{rps:.0f}** | {pct(lat, 50):.1f} | {pct(lat, 99):.1f} | "
            f"{pct(lat200, 50):.1f} | **{pct(lat200, 99):.1f}** | {err + err200} |")
    print(line, "non-201:", dict(STATUS), flush=True)
    return line


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--sqlite-workers", type=int, default=1)
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--pg", default=os.environ.get("LIANDONG_BENCH_PG_URL"))
    ap.add_argument("--port", type=int, default=18080)
    args = ap.parse_args()
    lines = []
    tmp = Path(tempfile.mkdtemp(prefix="ld-bench-"))
    try:
        if not args.skip_sqlite:
            lines.append(run("SQLite (WAL)", f"sqlite:///{tmp / 'bench.db'}", args.sqlite_workers, args.n, args.concurrency, args.port))
        if args.pg:
            lines.append(run("PostgreSQL", args.pg, args.workers, args.n, args.concurrency, args.port + 1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    header = ("Load from one asyncio client process on the same machine (it competes for the same 2 cores).\n\n"
              "| database | server workers | appeals | in flight | appeals/s | p50 ms | p99 ms | p50 ms @200/s | p99 ms @200/s | errors |\n"
              "|---|---|---|---|---|---|---|---|---|---|\n")
    write_section("Intake", header + "\n".join(lines) + "\n\nReproduce: `.venv/bin/python bench/intake.py --pg postgresql+psycopg://…`.")


if __name__ == "__main__":
    main()
