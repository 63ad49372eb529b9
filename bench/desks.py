"""Exchange between the real desks: `liandong serve --platform 12345` and `--platform 110` as processes.

    .venv/bin/python bench/desks.py [--transfers 400] [--consoles 4] [--write]

Operators at `--consoles` consoles submit police matters on the 12345 desk (real routing, one shadow
order and one outbox row per appeal, one transaction). The 110 desk receives each transfer, opens and
dispatches a police order, and its `accept` comes back. Loopback HTTP, no proxy, SQLite on both sides.

  intake        the 12345 API's answer time per appeal (routing + order + outbox, committed)
  round trip    submit → the shadow on 12345 shows 对方签收 (transfer delivered, 110 order opened and
                dispatched, accept delivered back and applied); sampled by polling every 20 ms
  throughput    transfers / (first submit → last shadow accepted)
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from desk_procs import make_desk  # noqa: E402
from exchange_procs import free_port, wait_until  # noqa: E402
from sqlalchemy import create_engine, select  # noqa: E402

from liandong.orders.tables import OrderEventRow, OrderRow  # noqa: E402

TEXT = "第{i}号：有人在小区门口抢劫，快来人"


def _accepted_at(engine, numbers: set[str]) -> dict[str, float]:
    with engine.connect() as c:
        rows = c.execute(select(OrderRow.number, OrderEventRow.at).join(OrderEventRow, OrderEventRow.order_id == OrderRow.id)
                         .where(OrderEventRow.action == "peer_accept")).all()
    return {n: at.timestamp() for n, at in rows if n in numbers}


def run(n: int, consoles: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        p_gov, p_pol = free_port(), free_port()
        gov = make_desk(tmp, "12345", port=p_gov, peers={"110": f"http://127.0.0.1:{p_pol}"})
        pol = make_desk(tmp, "110", port=p_pol, peers={"12345": f"http://127.0.0.1:{p_gov}"})
        for d in (gov, pol):
            d.proc.spawn()
        try:
            for d in (gov, pol):
                d.proc.ready(timeout=120)
            warm = gov.post("/appeals", {"text": TEXT.format(i=-1), "channel": "12345", "region": "148802",
                                         "caller": {"name": "张三", "phone": "13800000000"}}, token=gov.tokens["operator"])
            assert warm.status_code == 201, warm.text  # routing model loaded before timing
            engine = create_engine(gov.db_url)
            wait_until(lambda: _accepted_at(engine, {warm.json()["orders"][0]["id"]}), timeout=120, what="warm-up")

            def submit(i: int) -> tuple[str, float, float]:
                t0 = time.time()
                r = gov.post("/appeals", {"text": TEXT.format(i=i), "channel": "12345", "region": "148802",
                                          "caller": {"name": "张三", "phone": f"1380000{i:04d}"}}, token=gov.tokens["operator"])
                assert r.status_code == 201, r.text
                return r.json()["orders"][0]["id"], t0, time.time() - t0

            began = time.time()
            with ThreadPoolExecutor(consoles) as pool:
                submitted = list(pool.map(submit, range(n)))
            numbers = {s[0] for s in submitted}
            accepted = wait_until(lambda: (a := _accepted_at(engine, numbers)) and len(a) == n and a,
                                  timeout=max(120, n), interval=0.2, what=f"{n} shadows accepted")
            engine.dispose()
        finally:
            for d in (gov, pol):
                d.proc.stop()
    trips = sorted((accepted[num] - t0) * 1000 for num, t0, _ in submitted)
    intake = sorted(dt * 1000 for _, _, dt in submitted)
    q = lambda xs, p: xs[min(len(xs) - 1, int(p * len(xs)))]  # noqa: E731
    return {"n": n, "consoles": consoles, "intake_p50": q(intake, 0.5), "intake_p95": q(intake, 0.95),
            "trip_p50": q(trips, 0.5), "trip_p95": q(trips, 0.95), "trip_max": trips[-1],
            "rate": n / (max(accepted.values()) - began), "mean_intake": statistics.mean(intake)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transfers", type=int, default=400)
    ap.add_argument("--consoles", type=int, default=4)
    ap.add_argument("--write", action="store_true", help="print a Markdown block for docs/performance.md")
    args = ap.parse_args()
    r = run(args.transfers, args.consoles)
    load = os.getloadavg()[0]
    print(f"{r['n']} transfers 12345 → 110, {r['consoles']} consoles: intake p50 {r['intake_p50']:.0f} ms "
          f"p95 {r['intake_p95']:.0f} ms | round trip (submit → 对方签收 on 12345) p50 {r['trip_p50']:.0f} ms "
          f"p95 {r['trip_p95']:.0f} ms max {r['trip_max']:.0f} ms | {r['rate']:.1f} transfers/s | load {load:.1f}")
    if args.write:
        print(f"\n| {datetime.now(timezone.utc):%Y-%m-%d} | {platform.machine()}, {os.cpu_count()} CPUs, load {load:.1f} | "
              f"{r['n']} | {r['intake_p50']:.0f} / {r['intake_p95']:.0f} ms | {r['trip_p50']:.0f} / {r['trip_p95']:.0f} ms | "
              f"{r['rate']:.1f} /s |")


if __name__ == "__main__":
    main()
