"""Surge test (峰值压测): intake at 10 × the design peak on loopback, against the SLO in docs/operations.md.

    .venv/bin/python bench/surge.py --pg postgresql+psycopg://liandong:liandong@127.0.0.1:55446/liandong [--write]

Bounded: about 45 s of load, loopback only. `liandong serve --workers 2` on a fresh PostgreSQL database
(run the server with fsync on: production durability), the demo users, then with `wrk`:
  1. paced at 10 × the design peak (DESIGN_PEAK = 20 appeals/s per desk → 200/s) for 20 s, spread evenly
     over 40 operators' tokens (5/s each, under the per-token limit): the SLO is judged here;
  2. a runaway client: one token, unpaced, 512 connections for 10 s — its excess is answered 429 with
     Retry-After at once (the per-token limit, 600/min), never a 5xx;
  3. a scrape of /metrics: the appeals counted by both worker processes (prometheus multiprocess) equal
     the appeals stored.
With `--write`, the figures replace `## Surge` in docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import demo_payloads, write_section  # noqa: E402
from intake import drive, fresh_pg, start_server, wrk  # noqa: E402

from liandong.app import Liandong  # noqa: E402
from liandong.auth import service as auth  # noqa: E402
from liandong.config import Settings  # noqa: E402
from liandong.core.clock import CST  # noqa: E402
from liandong.demo.users import create_demo_users  # noqa: E402
from liandong.storage.migrate import upgrade  # noqa: E402

DESIGN_PEAK = 20.0  # appeals/s per desk: a large city's busiest minute (see docs/operations.md)
SLO_P99_MS = 500.0
SLO_ERROR_RATE = 0.001
SCRAPE = "surge-bench-scrape-token-0001"


def operators(url: str, count: int) -> list[str]:
    ctx = Liandong(Settings(database_url=url))
    rows, _ = create_demo_users(ctx)
    tokens = [next(r["token"] for r in rows if r["role"] == "operator")]
    with ctx.write() as session:
        for i in range(count - 1):
            name = f"surge_op_{i:02d}"
            auth.add_user(session, ctx.city, name=name, role="operator", platform="12345", unit=None, region=None,
                          now=datetime.now(CST))
            tokens.append(auth.issue_token(session, name, datetime.now(CST)))
    ctx.close()
    return tokens




async def paced(base: str, tokens: list[str], payloads: list[dict], rate: float) -> dict:
    """Poisson-paced appeals, each operator's token in turn (an operator's console is one token)."""
    shares = [payloads[i::len(tokens)] for i in range(len(tokens))]
    per = rate / len(tokens)
    results = await asyncio.gather(*(drive(base, t, share, 2, per) for t, share in zip(tokens, shares)))
    lat = sorted(x for _, lats, _ in results for x in lats)
    errors = sum(e for _, _, e in results)
    pick = lambda p: lat[min(len(lat) - 1, int(len(lat) * p / 100))]  # noqa: E731
    return {"appeals": len(lat), "p50": pick(50), "p99": pick(99), "errors": errors}


def scrape(base: str) -> dict[str, float]:
    body = httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {SCRAPE}"}, timeout=10).text
    out: dict[str, float] = {}
    for family in text_string_to_metric_families(body):
        for s in family.samples:
            out[s.name] = out.get(s.name, 0.0) + s.value
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", required=True)
    ap.add_argument("--port", type=int, default=18360)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    os.environ.update({"LIANDONG_METRICS_TOKEN": SCRAPE, "LIANDONG_RATE_TOKEN_PER_MIN": "600"})
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    url, drop = fresh_pg(args.pg)
    rate = DESIGN_PEAK * 10
    try:
        upgrade(url)
        tokens = operators(url, 40)
        payloads = demo_payloads(int(rate * args.seconds) + 12000, seed=17)
        warm, steady, rest = payloads[:300], payloads[300:300 + int(rate * args.seconds)], payloads[300 + int(rate * args.seconds):]
        proc = start_server(url, args.port, args.workers)
        base = f"http://127.0.0.1:{args.port}"
        try:
            asyncio.run(drive(base, tokens[0], warm, 8, None))
            p = asyncio.run(paced(base, tokens, steady, rate))
            bodies = Path(tempfile.mktemp(prefix="ld-surge-"))
            bodies.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rest), encoding="utf-8")
            s = wrk(base, tokens[1], bodies, 512, 10, 0)  # one runaway client: its token is limited to 600/min
            bodies.unlink()
            m = scrape(base)
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        engine = create_engine(url)
        with engine.connect() as c:
            stored = c.scalar(text("SELECT count(*) FROM appeals"))
        engine.dispose()
    finally:
        drop()
    statuses = {k: int(v) for k, v in s.items() if k.startswith("status_")}
    surge_rate = s["requests"] / (s["duration_us"] / 1e6)
    error_rate = p["errors"] / max(p["appeals"], 1)
    ok = p["p99"] <= SLO_P99_MS and error_rate <= SLO_ERROR_RATE
    lines = [
        f"| paced, 10 × design peak ({rate:.0f}/s offered, 40 tokens) | {p['appeals']} | {p['p50']:.1f} | **{p['p99']:.1f}** | "
        f"{error_rate:.4%} | {'met' if ok else '**missed**'} |",
        f"| one runaway token, unpaced (512 connections, 10 s) | {int(s['requests'])} at {surge_rate:.0f}/s | {s['p50_us'] / 1000:.1f} | "
        f"{s['p99_us'] / 1000:.1f} | non-201: {statuses or 0}, connect/timeout errors {int(s['errors_connect'] + s['errors_timeout'])} | — |",
    ]
    counted = m.get("liandong_appeals_received_total", 0)
    table = ("| run | appeals | p50 ms | p99 ms | errors | SLO (p99 ≤ 500 ms, errors ≤ 0.1 %) |\n|---|---|---|---|---|---|\n"
             + "\n".join(lines) + "\n\n"
             + f"`/metrics` of one scrape, summed over the {args.workers} worker processes: "
               f"`liandong_appeals_received_total` = {counted:.0f}; appeals stored = {stored} "
               f"(warm-up included; a 201 is counted after the commit).\n")
    print(table)
    if args.write:
        write_section("Surge", table)


if __name__ == "__main__":
    main()
