"""Analytics at scale: the monthly report's figures and a dashboard page over 1,000,000 orders and their
events on PostgreSQL (fsync on); the weekly report over the demo year on SQLite.

    .venv/bin/python bench/analytics.py --pg postgresql+psycopg://liandong:liandong@127.0.0.1:55442/bench \
        [--orders 1000000] [--sqlite /tmp/bench-demo.db]

The PostgreSQL rows are generated inside the database (INSERT … SELECT over generate_series: one appeal,
one order with the facts the measures count, and a receive + dispatch event each, a 对方签收 event for the
transfers) over the year 2025; then ANALYZE. Each figure is timed over three runs after one warm-up; the
peak resident memory of this process is reported (resource.getrusage)."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from liandong.analytics.kpis import load_kpis  # noqa: E402
from liandong.analytics.periods import Grain, parse_period  # noqa: E402
from liandong.analytics.reports.data import build_report  # noqa: E402
from liandong.analytics.reports.pdf import render_pdf  # noqa: E402
from liandong.analytics.reports.xlsx import render_xlsx  # noqa: E402
from liandong.analytics.rollup import refresh  # noqa: E402
from liandong.analytics.service import Analytics  # noqa: E402
from liandong.core.actors import Actor, Role  # noqa: E402
from liandong.core.clock import CST  # noqa: E402
from liandong.demo.history import seed_history  # noqa: E402
from liandong.orders.tables import OrderRow  # noqa: E402
from liandong.regions.registry import CITIES_DIR, load_city  # noqa: E402
from liandong.storage.migrate import upgrade  # noqa: E402
from liandong.supervision.calendar import WorkingCalendar  # noqa: E402

ADMIN = Actor("bench", Role.ADMIN)
CITY = load_city("demo")
ANALYTICS = Analytics(CITY, load_kpis(CITIES_DIR / "demo" / "kpis.yaml"))
STREETS = sorted(c for c in CITY.regions if len(c) == 9)
CATEGORIES = ["占道经营", "噪声扰民", "供暖不热", "物业服务", "拖欠工资", "食品安全", "道路破损", "邻里纠纷", "盗窃", "交通事故"]
UNITS = ["URBAN", "ECO", "HOUSING", "HOUSING", "HRSS", "SAMR", "TRANS", "PS-148802", "PS-148803", "PS-148821"]

FILL = """
INSERT INTO appeals (id, channel, received_at, text, region, attachments, routing, created_by, created_at)
SELECT 'B' || lpad(g::text, 10, '0'), 'phone', ts, '基准数据', street || '00' || (1 + g % 3), '[]', '{{}}', 'bench', ts
FROM (SELECT g, timestamptz '2025-01-01 08:00+08' + (random() * 365) * interval '1 day' AS ts,
             (ARRAY[{streets}])[1 + (g % {n_streets})] AS street
      FROM generate_series(1, {n}) g) s;

INSERT INTO orders (id, number, platform, appeal_id, status, title, category_name, category_code, level, services,
  unit, region, review, extension_days, return_count, transfer_count, urge_count, supervised, bounce, mass, mass_lead,
  harass, by_transfer, category_unmapped, accept_sent, escalated, notified, created_at, updated_at,
  dispatched_at, sign_due, signed_at, close_due, closed_at, satisfied, satisfaction, solved, repeat_call,
  peer_platform, transfer_overdue, last_event_seq, version)
SELECT g, 'B-' || g, CASE WHEN c >= 7 THEN '110' ELSE '12345' END, a.id, 'visited', (ARRAY[{cats}])[c + 1],
  (ARRAY[{cats}])[c + 1], 'C' || c, '一般', '[]',
  (ARRAY[{units}])[c + 1], a.region, false, 0, CASE WHEN r1 < 0.05 THEN 1 ELSE 0 END, 0, 0, false, false, false,
  false, false, false, false, false, false, '[]', a.received_at, a.received_at,
  a.received_at + interval '10 minutes', a.received_at + interval '2 hours',
  a.received_at + CASE WHEN r1 < 0.9 THEN interval '1 hour' ELSE interval '3 hours' END,
  a.received_at + interval '7 days', a.received_at + CASE WHEN r2 < 0.87 THEN interval '5 days' ELSE interval '9 days' END,
  r3 < 0.88, CASE WHEN r3 < 0.6 THEN 'satisfied' WHEN r3 < 0.88 THEN 'basically_satisfied' ELSE 'unsatisfied' END,
  CASE WHEN r2 < 0.1 THEN NULL ELSE r3 < 0.85 END, CASE WHEN r1 > 0.94 THEN 'repeat' END,
  CASE WHEN r2 > 0.97 THEN '110' END, CASE WHEN r2 > 0.995 THEN 'accepted_late' END, 2, 1
FROM (SELECT a.*, row_number() OVER () AS g, floor(random() * 10)::int AS c, random() AS r1, random() AS r2,
             random() AS r3 FROM appeals a WHERE created_by = 'bench') a;

INSERT INTO order_events (id, order_id, seq, action, from_status, to_status, actor, role, at, note, data)
SELECT 2 * id - 1, id, 1, 'receive', NULL, 'received', 'bench', 'system', created_at, '', '{{}}' FROM orders
WHERE number LIKE 'B-%';
INSERT INTO order_events (id, order_id, seq, action, from_status, to_status, actor, role, at, note, data)
SELECT 2 * id, id, 2, CASE WHEN peer_platform IS NULL THEN 'dispatch' ELSE 'peer_accept' END, 'received',
  'dispatched', 'bench', 'system', dispatched_at, '', '{{}}' FROM orders WHERE number LIKE 'B-%';
"""


def timed(fn, runs: int = 3) -> tuple[float, object]:
    fn()
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def fill_pg(url: str, n: int) -> None:
    engine = create_engine(url)
    with Session(engine) as s:
        have = s.scalar(select(func.count()).select_from(OrderRow))
    if have >= n:
        print(f"PostgreSQL already holds {have} orders")
        return
    t = time.perf_counter()
    sql = FILL.format(n=n, streets=", ".join(f"'{s}'" for s in STREETS), n_streets=len(STREETS),
                      cats=", ".join(f"'{c}'" for c in CATEGORIES), units=", ".join(f"'{u}'" for u in UNITS))
    with engine.begin() as c:
        for statement in sql.split(";\n"):
            if statement.strip():
                c.execute(text(statement))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("ANALYZE"))
    print(f"generated {n} orders, {2 * n} events in {time.perf_counter() - t:.0f} s")
    engine.dispose()


def bench_pg(url: str) -> None:
    engine = create_engine(url, pool_size=2)
    now = datetime(2026, 1, 10, tzinfo=CST)
    with Session(engine) as s:
        t = time.perf_counter()
        rows = refresh(s, ANALYTICS.kpis, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=now)
        s.commit()
        print(f"daily roll-up of 2025: {rows} rows in {time.perf_counter() - t:.0f} s")
        monthly, data = timed(lambda: build_report(s, ANALYTICS, ADMIN, kind="monthly", period_text="2025-11",
                                                   street=None, now=now))
        week = parse_period("2025-W46")
        dashboard, _ = timed(lambda: (ANALYTICS.table(s, actor=ADMIN, period=week, group="unit", as_of=now),
                                      ANALYTICS.trend(s, actor=ADMIN, period=parse_period("2025-11"),
                                                      grain=Grain.DAY, as_of=now)))
        drill, _ = timed(lambda: ANALYTICS.drill(s, actor=ADMIN, platform="12345", code="response_rate", period=week,
                                                 part="gap", as_of=now, limit=50))
        print(f"PostgreSQL: monthly report figures {monthly:.2f} s ({data.totals[-1].current} orders in 2025-11); "
              f"dashboard page (unit ranking of a week + daily trend of a month) {dashboard:.2f} s; "
              f"drill-down {drill:.2f} s")
    engine.dispose()


def bench_sqlite(path: Path) -> None:
    url = f"sqlite:///{path}"
    if not path.exists():
        upgrade(url)
        engine = create_engine(url)
        t = time.perf_counter()
        with engine.begin() as c:
            n = seed_history(c, CITY, WorkingCalendar().is_working_day, end=date(2026, 11, 23), scale=1.5)
        with Session(engine) as s:
            refresh(s, ANALYTICS.kpis, start=date(2025, 11, 23), end=date(2026, 11, 23),
                    as_of=datetime(2026, 11, 23, tzinfo=CST))
            s.commit()
        print(f"SQLite demo year: {n} orders seeded and rolled up in {time.perf_counter() - t:.1f} s")
        engine.dispose()
    engine = create_engine(url)
    now = datetime(2026, 11, 23, 9, tzinfo=CST)
    with Session(engine) as s:
        figures, data = timed(lambda: build_report(s, ANALYTICS, ADMIN, kind="weekly", period_text="2026-W46",
                                                   street=None, now=now))
    xlsx, _ = timed(lambda: render_xlsx(data), runs=1)
    pdf, _ = timed(lambda: render_pdf(data, ANALYTICS.kpis.composite.weights), runs=1)
    print(f"SQLite demo year: weekly report figures {figures:.2f} s, XLSX {xlsx:.2f} s, PDF {pdf:.2f} s "
          f"(total {figures + xlsx + pdf:.2f} s)")
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg")
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--sqlite", type=Path, default=Path("/tmp/bench-demo.db"))
    args = ap.parse_args()
    if args.pg:
        upgrade(args.pg)
        fill_pg(args.pg, args.orders)
        bench_pg(args.pg)
    bench_sqlite(args.sqlite)
    print(f"peak memory (RSS) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
          f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
