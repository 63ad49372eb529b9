"""Intake benchmark: appeals per second through the HTTP API, and latency, on SQLite and PostgreSQL.

    .venv/bin/python bench/intake.py [--skip-sqlite] [--pg URL] [--workers 2] [--duration 20] [--no-bare] [--write]

Starts `liandong serve` as a real server on loopback with a fresh database (SQLite in a temporary
directory; on PostgreSQL a new database next to the one in URL, dropped afterwards), creates the demo
users, then sends the demo generator's appeals to `POST /api/v1/appeals`:
  1. throughput: as fast as the server takes them, `--connections` requests in flight, for `--duration`
     seconds — from `wrk` (a C client, `apt-get install wrk`) so that the load generator costs little
     of the CPU it shares with the server; without wrk, from an asyncio httpx client;
  2. latency: about 200 appeals/s for 10 s (wrk with a pause between requests on each connection; the
     rate actually offered is reported, as the pause cannot shorten when the server is slow).
The server's CPU time during (1), read from /proc, gives the CPU cost of one appeal.
PostgreSQL must run with its default durability (fsync and synchronous_commit on; refused otherwise unless
`--allow-nondurable`, and the settings are printed in the table). In the same run the same two loads go to
the bare-insert ceiling (`bench/bare.py`: the same JSON validated, one row inserted and committed per
request, same number of workers, same client) and the ratio of intake to it is reported.
With `--write`, the figures replace `## Intake` in docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import demo_payloads, pct, write_section  # noqa: E402

from liandong.app import Liandong  # noqa: E402
from liandong.config import Settings  # noqa: E402
from liandong.demo.knowledge import load_demo_knowledge  # noqa: E402
from liandong.demo.users import create_demo_users  # noqa: E402
from liandong.storage.migrate import upgrade  # noqa: E402

HERE = Path(__file__).resolve().parent
LIANDONG = str(Path(sys.executable).parent / "liandong")
STATUS: Counter = Counter()
RATE = 200.0


def start_server(url: str, port: int, workers: int, bare: bool = False) -> subprocess.Popen:
    env = {**os.environ, "LIANDONG_DATABASE_URL": url, "LIANDONG_BARE_URL": url}
    env.setdefault("LIANDONG_RATE_TOKEN_PER_MIN", "100000000")  # one token sends everything: measure capacity, not the limit
    log = open(os.environ.get("LIANDONG_BENCH_LOG", os.devnull), "w")
    cmd = ([sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), "bare:app", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "75",
            "--timeout-worker-healthcheck", "60"] if bare else
           [LIANDONG, "serve", "--port", str(port), "--workers", str(workers), "--no-migrate"])
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + float(os.environ.get("LIANDONG_BENCH_START_S", "300"))  # workers load the model slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        time.sleep(0.2)  # waiting for a process to listen, not synchronising a test
    proc.terminate()
    proc.wait(30)
    raise RuntimeError("server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process and of its children (uvicorn's worker processes)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    total = 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def machine_busy_seconds() -> float:
    """CPU time spent by everything on the machine (server, database, client, kernel), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


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
                delay = t_start + i / rate - time.perf_counter()
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
    return len(payloads) / (time.perf_counter() - t_start), latencies, errors


def wrk(base: str, token: str, bodies: Path, connections: int, seconds: int, rate: float = 0) -> dict:
    out = Path(tempfile.mktemp(prefix="ld-wrk-"))
    env = {**os.environ, "LD_BODIES": str(bodies), "LD_TOKEN": token, "LD_OUT": str(out), "LD_THREADS": "1",
           "LD_RATE": str(rate), "LD_CONNECTIONS": str(connections)}
    subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(HERE / "appeals.lua"), base],
                   env=env, check=True, capture_output=True)
    figures = dict(line.split() for line in out.read_text().splitlines())
    out.unlink()
    return {k: float(v) for k, v in figures.items()}


def load(base: str, token: str, payloads: list[dict], bodies: Path, pid: int, *, connections: int, seconds: int,
         rate: float = 0) -> dict:
    """Send appeals for `seconds` (as fast as taken, or at about `rate`/s); what came back, and the server's CPU."""
    cpu0, busy0 = cpu_seconds(pid), machine_busy_seconds()
    if shutil.which("wrk"):
        f = wrk(base, token, bodies, connections, seconds, rate)
        bad = sum(v for k, v in f.items() if k.startswith("status_")) + f["errors_connect"] + f["errors_timeout"]
        result = {"client": "wrk", "appeals": int(f["requests"]), "rate": f["requests"] / (f["duration_us"] / 1e6),
                  "p50": f["p50_us"] / 1000, "p99": f["p99_us"] / 1000, "errors": int(bad)}
    else:
        sent = payloads[: int(seconds * (rate or 150))]
        achieved, lat, err = asyncio.run(drive(base, token, sent, connections, rate or None))
        result = {"client": "httpx", "appeals": len(sent), "rate": achieved, "p50": pct(lat, 50), "p99": pct(lat, 99),
                  "errors": err}
    result["cpu_ms"] = (cpu_seconds(pid) - cpu0) * 1000 / max(result["appeals"], 1)
    result["machine_ms"] = (machine_busy_seconds() - busy0) * 1000 / max(result["appeals"], 1)
    return result


def fresh_pg(url: str) -> tuple[str, callable]:
    """A new database beside the one in `url` (its role needs CREATEDB), and how to drop it."""
    name = f"ld_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.rsplit("/", 1)[0] + f"/{name}", drop


def durability(url: str) -> str:
    """PostgreSQL's fsync and synchronous_commit as the server runs them ("on" for both is its default)."""
    engine = create_engine(url)
    with engine.connect() as c:
        fsync, sync = (c.execute(text(f"SHOW {name}")).scalar_one() for name in ("fsync", "synchronous_commit"))
    engine.dispose()
    return f"fsync={fsync}, synchronous_commit={sync}"


def run(label: str, url: str, workers: int, args, port: int, bare: bool = False) -> tuple[str, dict]:
    """One server on a fresh database: warm-up, paced run, throughput run; the table row and the figures."""
    if bare:
        from bare import meta  # bench/bare.py

        engine = create_engine(url)
        meta.create_all(engine)
        engine.dispose()
        token = "-"
    else:
        upgrade(url)
        ctx = Liandong(Settings(database_url=url))
        rows, _ = create_demo_users(ctx)
        if args.knowledge:  # 知识库 loaded: consultations come back with the top entries
            load_demo_knowledge(ctx)
        ctx.close()
        token = next(r["token"] for r in rows if r["role"] == "operator")
    n = args.n
    payloads = demo_payloads(n, seed=11)
    warm, fixed, rest = payloads[:300], payloads[300:300 + int(RATE * 12)], payloads[300 + int(RATE * 12):]
    paced, bodies = Path(tempfile.mktemp(prefix="ld-bodies-")), Path(tempfile.mktemp(prefix="ld-bodies-"))
    for path, part in ((paced, fixed), (bodies, rest)):
        path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in part), encoding="utf-8")
    gc.collect()
    gc.freeze()  # the client's own heap (tens of thousands of bodies) must not pause it mid-measurement
    proc = start_server(url, port, workers, bare)
    try:
        base = f"http://127.0.0.1:{port}"
        asyncio.run(drive(base, token, warm, 8, None))  # model load, connection pools, similarity index
        f = load(base, token, fixed, paced, proc.pid, connections=64, seconds=10, rate=RATE)
        t = load(base, token, rest, bodies, proc.pid, connections=args.connections, seconds=args.duration)
    finally:
        paced.unlink()
        bodies.unlink()
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    line = (f"| {label} | {workers} | {t['client']} | {t['appeals']} | **{t['rate']:.0f}** | {t['p50']:.1f} | {t['p99']:.1f} | "
            f"{t['cpu_ms']:.2f} | {t['machine_ms']:.2f} | {f['rate']:.0f} | {f['p50']:.1f} | **{f['p99']:.1f}** | {t['errors'] + f['errors']} |")
    print(line, "non-201 from httpx:", dict(STATUS), flush=True)
    return line, {"throughput": t, "paced": f}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30000, help="appeals generated (throughput uses what is left after warm-up and the 200/s run)")
    ap.add_argument("--duration", type=int, default=20, help="seconds of the throughput run")
    ap.add_argument("--connections", type=int, default=256, help="requests in flight in the throughput run (a city: hundreds of consoles and systems)")
    ap.add_argument("--workers", type=int, default=2, help="server processes on PostgreSQL")
    ap.add_argument("--sqlite-workers", type=int, default=1)
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--pg", default=os.environ.get("LIANDONG_BENCH_PG_URL"))
    ap.add_argument("--port", type=int, default=18080)
    ap.add_argument("--allow-nondurable", action="store_true",
                    help="run on a PostgreSQL with fsync or synchronous_commit off (figures labelled as such)")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare-insert ceiling (bench/bare.py)")
    ap.add_argument("--write", action="store_true", help="replace ## Intake in docs/performance.md")
    ap.add_argument("--knowledge", action="store_true", help="load the demo knowledge base (suggestions at intake)")
    args = ap.parse_args()
    lines, notes = [], []
    tmp = Path(tempfile.mkdtemp(prefix="ld-bench-"))
    try:
        if not args.skip_sqlite:
            lines.append(run("SQLite (WAL)", f"sqlite:///{tmp / 'bench.db'}", args.sqlite_workers, args, args.port)[0])
        if args.pg:
            settings = durability(args.pg)
            if settings != "fsync=on, synchronous_commit=on" and not args.allow_nondurable:
                sys.exit(f"PostgreSQL runs with {settings}: production durability needs both on (or --allow-nondurable)")
            print(f"PostgreSQL: {settings}", flush=True)
            url, drop = fresh_pg(args.pg)
            try:
                line, intake = run(f"PostgreSQL ({settings})", url, args.workers, args, args.port + 1)
                lines.append(line)
            finally:
                drop()
            if not args.no_bare:
                url, drop = fresh_pg(args.pg)
                try:
                    line, ceiling = run(f"bare insert, PostgreSQL ({settings})", url, args.workers, args, args.port + 2, bare=True)
                    lines.append(line)
                finally:
                    drop()
                ratio = intake["throughput"]["rate"] / ceiling["throughput"]["rate"]
                cpu = ceiling["throughput"]["machine_ms"] / intake["throughput"]["machine_ms"]
                notes.append(f"Intake / bare-insert ceiling, same run: **{ratio:.2f}** in appeals/s; "
                             f"{cpu:.2f} in machine CPU per request (bare / intake).")
                print(notes[-1], flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.write:
        header = ("| database | server processes | client | appeals | appeals/s | p50 ms | p99 ms | server CPU ms per appeal "
                  "| machine CPU ms per appeal | paced: appeals/s | paced: p50 ms | paced: p99 ms | errors |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
        load_avg = " / ".join(f"{v:.2f}" for v in os.getloadavg())
        write_section("Intake", header + "\n".join(lines) + "\n\n" + "\n".join(notes)
                      + f"\n\nLoad average (1/5/15 min) at the end of the run: {load_avg}.\n")


if __name__ == "__main__":
    main()
