"""Where the intake writer's time goes: cProfile around the intake queue's batches, in-process, on PostgreSQL.

    .venv/bin/python bench/intake_profile.py --pg URL [--n 3000] [--history 0] [--top 25] [--no-profile]

A fresh database beside the one in URL (as bench/intake.py), the demo users, then `--n` of the demo
generator's appeals checked and put on `ctx.intake_queue` 64 at a time (what the queue takes in one batch at
256 requests in flight), each chunk waited for. The writer thread's `_store` (routing, repeat/mass check,
orders, audit events, INSERTs, COMMIT) runs under cProfile; HTTP, auth and JSON are not in this profile.
Prints the batch wall time, the writer's CPU time, and the functions with the largest cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import threading
import time
from collections import Counter
from concurrent.futures import wait
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import demo_payloads  # noqa: E402
from intake import durability, fresh_pg  # noqa: E402
from sqlalchemy import event  # noqa: E402

from liandong.app import Liandong  # noqa: E402
from liandong.config import Settings  # noqa: E402
from liandong.core.actors import Actor, Role  # noqa: E402
from liandong.intake.queue import Pending  # noqa: E402
from liandong.intake.schemas import AppealCreate  # noqa: E402
from liandong.storage.migrate import upgrade  # noqa: E402

# what the writer's time is spent on, by function (cumulative; nested entries overlap their parents)
STAGES = {
    "Intake.route (routing model, lexicons, place)": ("intake/service.py", "route"),
    "RelatedFinder.examine (repeat/mass look-up)": ("supervision/related_service.py", "examine"),
    "  of which the caller's earlier appeals (one SELECT per appeal)": ("supervision/related_service.py", "_top_up_caller"),
    "Orders.open (order rules, audit events)": ("orders/service.py", "open"),
    "Session.flush (SQLAlchemy INSERTs)": ("orm/session.py", "flush"),
    "Session.commit (the batch's flush, then COMMIT)": ("orm/session.py", "commit"),
    "psycopg execute (round trips)": ("psycopg/cursor.py", "execute"),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", required=True)
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--chunk", type=int, default=64)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--history", type=int, default=0,
                    help="appeals COPY-loaded over the last 30 days first (bench/scaleout.py's history) — the repeat/mass windows' contents")
    ap.add_argument("--no-profile", action="store_true", help="time and count only: the writer's CPU without cProfile's overhead")
    args = ap.parse_args()
    print("PostgreSQL:", durability(args.pg))
    url, drop = fresh_pg(args.pg)
    try:
        upgrade(url)
        if args.history:
            from scaleout import bulk_load

            print("history:", bulk_load(url, args.history, 30, 300))
        ctx = Liandong(Settings(database_url=url))
        from liandong.demo.users import create_demo_users

        create_demo_users(ctx)
        actor = Actor(name="operator", role=Role.OPERATOR)
        bodies = [AppealCreate.model_validate(p) for p in demo_payloads(args.n + 300, seed=11)]
        q = ctx.intake_queue
        profiler, busy = cProfile.Profile(), {"wall": 0.0, "cpu": 0.0, "on": None}
        original = q._store

        statements: Counter = Counter()
        writer = threading.get_ident

        @event.listens_for(ctx.engine, "before_cursor_execute")
        def count(conn, cursor, statement, parameters, context, executemany):
            if busy["on"] == writer():
                statements[" ".join(statement.split())[:90]] += 1

        def profiled(batch):
            t0, c0 = time.perf_counter(), time.thread_time()
            busy["on"] = writer()
            if not args.no_profile:
                profiler.enable()
            try:
                original(batch)
            finally:
                if not args.no_profile:
                    profiler.disable()
                busy["on"] = None
                busy["wall"] += time.perf_counter() - t0
                busy["cpu"] += time.thread_time() - c0

        def run(chunk: list[AppealCreate]) -> None:
            now = ctx.clock.now()
            items = []
            for body in chunk:
                ctx.intake.check(body, now=now)
                items.append(q.put(Pending(body, actor, "12345", now)))
            wait(items)

        for i in range(0, 300, args.chunk):  # warm-up: model load, pools, similarity index
            run(bodies[i:i + args.chunk])
        q._store = profiled
        t0 = time.perf_counter()
        for i in range(300, len(bodies), args.chunk):
            run(bodies[i:i + args.chunk])
        elapsed = time.perf_counter() - t0
        q._store = original
        ctx.close()
    finally:
        drop()
    n = args.n
    print(f"{n} appeals in {q.batches} batches, {elapsed:.1f} s: {n / elapsed:.0f} appeals/s through the writer alone"
          f", writer wall {busy['wall'] * 1000 / n:.2f} ms and CPU "
          f"{busy['cpu'] * 1000 / n:.2f} ms per appeal")
    print(f"SQL statements in the writer: {sum(statements.values()) / n:.2f} per appeal")
    for sql, count_ in statements.most_common(args.top):
        print(f"  {count_ / n:6.2f} per appeal  {sql}")
    if args.no_profile:
        return
    stats = pstats.Stats(profiler)
    total = busy["wall"]
    for label, (file, func) in STAGES.items():
        cum = sum(v[3] for k, v in stats.stats.items() if k[0].endswith(file) and k[2] == func)
        print(f"  {label}: {cum * 1000 / n:.2f} ms per appeal ({cum / total:.0%} of the writer's time)")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
