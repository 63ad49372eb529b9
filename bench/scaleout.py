"""Scale-out benchmark (issue 17): intake with 1, 2 and 4 serving processes on one PostgreSQL, and the memory
of each serving process, with a 1,000,000-appeal history in the repeat window.

    .venv/bin/python bench/scaleout.py --pg postgresql+psycopg://liandong:liandong@127.0.0.1:55446/liandong \
        [--history 1000000] [--days 30] [--workers 1,2,4] [--duration 20] [--json out.jsonl]

To measure another commit, run this script with that commit's sources first on the path:
`PYTHONPATH=<worktree>/src .venv/bin/python bench/scaleout.py …` (the servers inherit the path).

Steps:
  1. a fresh database beside the one in `--pg` (PostgreSQL with fsync and synchronous_commit on; refused
     otherwise), migrated by the code under test;
  2. the history, bulk-loaded with COPY: `--history` appeals over the last `--days` days (the repeat window),
     half `synthetic_appeal` texts of tests/data/appeal_pairs.py and half the demo generator's, spread over
     `--streets` regions (the demo city's 48, where the bench's appeals go, and made-up others: a large
     city's ~300 streets), callers drawn so that many call more than once. When the code under test keeps the
     near-duplicate candidates in PostgreSQL (`liandong.supervision.related_store`), their rows are loaded
     too (the same derivation intake uses);
  3. for each process count: `liandong serve --workers N` (bench/intake.py `start_server`), the processes'
     start-up allowed to settle (all idle), their RSS read from /proc; then the demo generator's appeals
     through `POST /api/v1/appeals` with wrk for `--duration` s (256 in flight); RSS again; stopped.
Every line printed carries the load average: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, inspect

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import machine  # noqa: E402
from intake import drive, durability, fresh_pg, load, start_server  # noqa: E402

from liandong.app import Liandong  # noqa: E402
from liandong.config import Settings  # noqa: E402
from liandong.core.clock import CST  # noqa: E402
from liandong.demo.appeals import generate, to_api_payload  # noqa: E402
from liandong.demo.users import create_demo_users  # noqa: E402
from liandong.storage.migrate import upgrade  # noqa: E402

try:  # the code under test keeps near-duplicate candidates in PostgreSQL
    from liandong.supervision.related_store import derive_many
except ImportError:  # the code before: each serving process holds the index in memory
    derive_many = None

APPEAL_COLUMNS = ("id", "channel", "received_at", "caller_name", "caller_phone", "caller_key", "text", "address",
                  "region", "attachments", "routing", "created_by", "created_at", "external_ref")


def load_avg() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def code_under_test() -> str:
    import liandong

    src = Path(liandong.__file__).resolve().parents[2]
    try:
        return subprocess.check_output(["git", "-C", str(src), "rev-parse", "--short", "HEAD"], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def appeal_pairs():
    spec = importlib.util.spec_from_file_location("appeal_pairs", HERE.parent / "tests" / "data" / "appeal_pairs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["appeal_pairs"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def history(n: int, days: float, streets: int, seed: int = 17):
    """(appeal row for COPY, routing dict) of `n` appeals over the last `days` days, in chunks, spread evenly
    over `streets` regions: the demo city's (where the bench's appeals go) and made-up others of the city."""
    pairs = appeal_pairs()
    rng = random.Random(seed)
    demo = [to_api_payload(a) for a in generate(20_000, seed=seed)]
    regions = sorted({p["region"] for p in demo if p.get("region")})
    regions += [f"1489{k:05d}" for k in range(max(0, streets - len(regions)))]
    streets = pairs.many_streets(40)
    callers = max(1, int(n * 0.6))
    end = datetime.now(CST) - timedelta(minutes=5)
    span = days * 86400
    chunk = []
    for i in range(n):
        at = end - timedelta(seconds=span * (n - i) / n)
        if i % 2:
            text = demo[i // 2 % len(demo)]["text"]
        else:
            text = pairs.synthetic_appeal(rng, streets)[1]
        region = rng.choice(regions)
        key = f"hist{rng.randrange(callers):012d}"
        chunk.append(((f"h{i:031d}", "phone", at, None, None, key, text, None, region, "[]", "{}", "bench", at, None), {}))
        if len(chunk) == 50_000:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def bulk_load(url: str, n: int, days: float, streets: int) -> dict:
    """COPY the history in (and its near-duplicate candidate rows when the code keeps them in PostgreSQL)."""
    t0 = time.perf_counter()
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    loaded = 0
    with psycopg.connect(plain) as conn, conn.cursor() as cur:
        for chunk in history(n, days, streets):
            with cur.copy(f"COPY appeals ({', '.join(APPEAL_COLUMNS)}) FROM STDIN") as copy:
                for row, _ in chunk:
                    copy.write_row(row)
            if derive_many is not None:
                features, places = derive_many([(r[0], r[6], r[5], r[8], routing, r[2]) for r, routing in chunk])
                for table, rows in (("appeal_features", features), ("appeal_places", places)):
                    if rows:
                        cols = list(rows[0])
                        with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                            for r in rows:
                                copy.write_row([r[c] for c in cols])
            conn.commit()
            loaded += len(chunk)
            print(f"  loaded {loaded:,} appeals ({time.perf_counter() - t0:.0f} s)", flush=True)
        cur.execute("ANALYZE")
    return {"appeals": loaded, "seconds": time.perf_counter() - t0}


def children(pid: int) -> list[int]:
    """The serving processes: uvicorn's worker processes, or the server itself when it runs one."""
    try:
        kids = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        kids = []
    return kids or [pid]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, workers: int, timeout: float = 900) -> float:
    """Wait until the server has `workers` processes and all are idle (start-up done); seconds waited."""
    t0 = time.monotonic()
    previous = None
    while time.monotonic() - t0 < timeout:
        kids = children(pid)
        used = sum(cpu_of(k) for k in kids)
        if len(kids) >= workers and previous is not None and used - previous < 0.1:
            return time.monotonic() - t0
        previous = used if len(kids) >= workers else None
        time.sleep(2)  # polling a process's start-up from outside it (a benchmark, not a test)
    raise RuntimeError("the server processes did not settle")


def run(url: str, workers: int, token: str, payloads: list[dict], args, port: int) -> dict:
    warm, rest = payloads[:200], payloads[200:]
    bodies = Path(tempfile.mktemp(prefix="ld-scale-"))
    bodies.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in rest), encoding="utf-8")
    t0 = time.monotonic()
    proc = start_server(url, port, workers)
    try:
        settled = settle(proc.pid, workers) + time.monotonic() - t0
        base = f"http://127.0.0.1:{port}"
        rss_idle = [rss_mb(k) for k in children(proc.pid)]
        asyncio.run(drive(base, token, warm, 8, None))
        t = load(base, token, rest, bodies, proc.pid, connections=args.connections, seconds=args.duration)
        rss_after = [rss_mb(k) for k in children(proc.pid)]
    finally:
        bodies.unlink()
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return {"workers": workers, "start_s": settled, "rss_idle_mb": rss_idle, "rss_after_mb": rss_after,
            "load_avg": load_avg(), **{k: t[k] for k in ("appeals", "rate", "p50", "p99", "cpu_ms", "errors")}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default=os.environ.get("LIANDONG_BENCH_PG_URL"), required=False)
    ap.add_argument("--history", type=int, default=1_000_000)
    ap.add_argument("--days", type=float, default=30, help="the history's span, ending now (the repeat window: 30)")
    ap.add_argument("--streets", type=int, default=300, help="regions of the history (a large city: ~300 streets)")
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--connections", type=int, default=256)
    ap.add_argument("--port", type=int, default=18280)
    ap.add_argument("--json", help="append the figures as JSON lines to this file")
    ap.add_argument("--keep", action="store_true", help="do not drop the database afterwards")
    args = ap.parse_args()
    if not args.pg:
        sys.exit("--pg URL (or LIANDONG_BENCH_PG_URL) is required: a PostgreSQL server of your own")
    settings = durability(args.pg)
    if settings != "fsync=on, synchronous_commit=on":
        sys.exit(f"PostgreSQL runs with {settings}: production durability needs both on")
    rev = code_under_test()
    mode = "candidates in PostgreSQL" if derive_many is not None else "index in each process"
    print(f"code {rev} ({mode}); {machine()}; PostgreSQL {settings}; load average {load_avg()}", flush=True)
    url, drop = fresh_pg(args.pg)
    out = []
    try:
        upgrade(url)
        loaded = bulk_load(url, args.history, args.days, args.streets)
        engine = create_engine(url)
        tables = set(inspect(engine).get_table_names())
        engine.dispose()
        print(f"history: {loaded['appeals']:,} appeals in {loaded['seconds']:.0f} s (tables: "
              f"{'appeal_features' in tables and 'appeal_features, appeal_places' or 'appeals only'}); "
              f"load average {load_avg()}", flush=True)
        ctx = Liandong(Settings(database_url=url))
        rows, _ = create_demo_users(ctx)
        ctx.close()
        token = next(r["token"] for r in rows if r["role"] == "operator")
        payloads = [to_api_payload(a) for a in generate(40_000, seed=11, start=datetime.now(CST) - timedelta(days=3))]
        for p in payloads:  # taken now (the server's clock), so that they meet the history's window
            p["channel"] = "phone" if p["channel"] == "110" else p["channel"]
            p.pop("received_at", None)
        gc.collect()
        gc.freeze()
        for k, workers in enumerate(int(w) for w in args.workers.split(",")):
            chunk = payloads[k * 12_000:(k + 1) * 12_000]
            r = run(url, workers, token, chunk, args, args.port + k)
            r.update(code=rev, mode=mode, history=loaded["appeals"], days=args.days, streets=args.streets)
            out.append(r)
            print(f"| {rev} ({mode}) | {workers} | {r['appeals']} | **{r['rate']:.0f}** | {r['p50']:.0f} | {r['p99']:.0f} | "
                  f"{r['cpu_ms']:.2f} | {max(r['rss_idle_mb']):.0f} | {max(r['rss_after_mb']):.0f} | {r['errors']} | "
                  f"{r['load_avg']} |", flush=True)
            if args.json:
                with open(args.json, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(r) + "\n")
    finally:
        if not args.keep:
            drop()


if __name__ == "__main__":
    main()
