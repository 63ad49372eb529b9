"""A year of the demo city's history on both desks (演示历史数据), written straight into the database so
that every KPI, warning, hotspot and report has something true to show.

Counts follow a weekly pattern (Mondays busiest, weekends at a third), the official working calendar
(holidays quiet), a yearly wave per category (heating complaints in winter, noise in summer), plus three
injected surges (高发) and one new matter (新发) in the last month, and the call centre's calls behind the
12345 orders (话务数据, for 人工接通率). Orders carry the facts the measures
count (dispatch, signing against its limit, first contact, close against its limit, the visit's level
and 是否解决, returns, repeat calls, transfers to 110 with the peer's acceptance in the audit trail);
each order's events are hash-chained like any other (`orders.audit`)."""

from __future__ import annotations

import math
import random
from time import perf_counter as time_counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable

from sqlalchemy import Connection, func, insert, select

from liandong.analytics.rollup import refresh
from liandong.analytics.tables import CallRow
from liandong.appeals.tables import AppealRow
from liandong.core.clock import CST
from liandong.core.ids import order_number
from liandong.orders.audit import GENESIS, digest
from liandong.orders.tables import OrderEventRow, OrderRow

MARK = "demo-history"  # created_by of the seeded appeals: seeding twice is refused by looking for it


@dataclass(frozen=True)
class Matter:  # 事项
    name: str
    code: str
    group: str
    unit: str | None  # None: the street office of the place
    platform: str
    per_day: float  # city-wide appeals on an ordinary working day
    peak_month: int | None = None  # the yearly wave's peak (None: flat)


MATTERS = (
    Matter("占道经营", "URB-01", "城市管理", "URBAN", "12345", 14, 6),
    Matter("噪声扰民", "ENV-02", "生态环境", "ECO", "12345", 10, 7),
    Matter("供暖不热", "HOU-03", "住房城建", "HOUSING", "12345", 8, 1),
    Matter("物业服务", "HOU-04", "住房城建", "HOUSING", "12345", 9, None),
    Matter("拖欠工资", "HRS-05", "人社", "HRSS", "12345", 6, 1),
    Matter("食品安全", "SAM-06", "市场监管", "SAMR", "12345", 5, 8),
    Matter("道路破损", "TRA-07", "交通运输", "TRANS", "12345", 4, 4),
    Matter("邻里纠纷", "POL-01", "矛盾纠纷", None, "110", 7, 7),
    Matter("盗窃", "POL-02", "治安", None, "110", 5, 12),
    Matter("交通事故", "POL-03", "交通", None, "110", 6, 12),
)
NEW_MATTER = Matter("共享电单车乱停放", "URB-09", "城市管理", "URBAN", "12345", 0)
WEEKDAY = (1.25, 1.05, 1.0, 1.0, 0.95, 0.35, 0.3)


def _streets(city) -> list[str]:
    return sorted(code for code in city.regions if len(code) == 9)


def seed_history(conn: Connection, city, is_working: Callable[[date], bool], *, end: date, days: int = 365,
                 seed: int = 11, scale: float = 1.0, id_start: int | None = None) -> int:
    """Write `days` days of orders ending the day before `end`; the number of orders written (0 if seeded)."""
    if conn.scalar(select(func.count()).select_from(AppealRow).where(AppealRow.created_by == MARK)):
        return 0
    rng = random.Random(seed)
    streets = _streets(city)
    weights = [rng.uniform(0.5, 1.6) for _ in streets]
    start = end - timedelta(days=days)
    surges = {(MATTERS[0].name, streets[1]): (end - timedelta(days=20), 4, 4.0),
              (MATTERS[1].name, streets[4]): (end - timedelta(days=9), 3, 4.0),
              (MATTERS[7].name, streets[4]): (end - timedelta(days=9), 3, 4.0)}  # 12345 and 110 together
    new_from = end - timedelta(days=6)
    next_id = id_start or ((conn.scalar(select(func.max(OrderRow.id))) or 0) + 1)
    event_id = (conn.scalar(select(func.max(OrderEventRow.id))) or 0) + 1
    total = 0
    hotline: dict[date, int] = {}  # 12345 orders a day: the call centre's load (话务数据)
    batch: tuple[list, list, list] = ([], [], [])
    for offset in range(days):
        day = start + timedelta(days=offset)
        working = is_working(day)
        level = WEEKDAY[day.weekday()] if working else min(WEEKDAY[day.weekday()], 0.35)
        for matter in MATTERS + ((NEW_MATTER,) if day >= new_from else ()):
            wave = 1.0 if matter.peak_month is None else \
                1 + 0.35 * math.cos(2 * math.pi * (day.month - matter.peak_month) / 12)
            for street, weight in zip(streets, weights):
                lam = matter.per_day * scale * wave * level * weight / len(streets)
                if matter is NEW_MATTER:
                    lam = 4.0 * scale if street == streets[2] else 0.0
                surge = surges.get((matter.name, street))
                if surge and surge[0] <= day < surge[0] + timedelta(days=surge[1]):
                    lam *= surge[2]
                for _ in range(_poisson(rng, lam)):
                    if matter.platform == "12345":
                        hotline[day] = hotline.get(day, 0) + 1
                    _order(rng, batch, city, matter, street, day, next_id, event_id, end)
                    next_id += 1
                    event_id += 3
                    total += 1
        if len(batch[1]) >= 5000 or offset == days - 1:
            _flush(conn, batch)
    seed_calls(conn, random.Random(seed + 1), hotline, now=datetime.combine(end, time(0), CST))
    return total


def seed_calls(conn: Connection, rng: random.Random, hotline: dict[date, int], *, now: datetime) -> int:
    """The call centre's calls (话务数据, `analytics_calls`) behind the 12345 orders: every order came from a
    call and about as many again were answered without one (consultations); the busier the day against the
    year's mean, the more callers wait and the more give up — so 人工接通率 dips on Mondays and surges."""
    if not hotline:
        return 0
    mean = sum(hotline.values()) / len(hotline)
    rows = []
    for day, orders in sorted(hotline.items()):
        load = orders / mean
        offered = orders + _poisson(rng, 0.8 * orders)
        answer = max(0.6, min(0.99, 0.97 - 0.06 * max(0.0, load - 0.8)))
        for n in range(offered):
            at = datetime.combine(day, time(8), CST) + timedelta(seconds=rng.randint(0, 13 * 3600))
            answered = rng.random() < answer
            wait = int(rng.expovariate(1 / (12 + 25 * load))) if answered else rng.randint(15, 180)
            rows.append(dict(source=MARK, call_id=f"CALL-{day:%Y%m%d}-{n:05d}", arrived_at=at, answered=answered,
                             abandoned=not answered and rng.random() < 0.85, wait_seconds=wait,
                             operator=f"OP{rng.randint(1, 24):02d}" if answered else None, imported_at=now))
    for start in range(0, len(rows), 5000):
        conn.execute(insert(CallRow.__table__), rows[start:start + 5000])
    return len(rows)


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _order(rng, batch, city, matter: Matter, street: str, day: date, oid: int, eid: int, end: date) -> None:
    appeals, orders, events = batch
    community = f"{street}{rng.randint(1, 3):03d}"
    region = community if community in city.regions else street
    at = datetime.combine(day, time(8), CST) + timedelta(minutes=rng.randint(0, 13 * 60))
    police = matter.platform == "110"
    unit = matter.unit or (f"PS-{street[:6]}" if police else f"ST-{street}")
    transfer = not police and rng.random() < 0.03
    o = dict(id=oid, number=order_number(matter.platform, region, at.strftime("%Y%m%d"), oid), platform=matter.platform,
             appeal_id=f"H{oid:010d}", title=f"{matter.name}（{city.regions[street].name}）",
             category_code=matter.code, category_name=matter.name, category_group=matter.group, kind="投诉",
             level="一般", services=[matter.platform], unit=None if transfer else unit, region=region, review=False,
             extension_days=0, return_count=0, transfer_count=0, urge_count=0, supervised=False, bounce=False,
             mass=False, mass_lead=False, harass=False, by_transfer=False, category_unmapped=False,
             accept_sent=False, escalated=False, notified=[], created_at=at, updated_at=at, last_event_seq=1,
             version=1, status="received", repeat_call="repeat" if rng.random() < 0.06 else None)
    trail = [("receive", None, "received", at)]
    if transfer:
        o.update(status="peer_handling", peer_platform="110")
        accepted = at + timedelta(minutes=rng.choice((5, 10, 20, 25, 45)))
        if accepted - at > timedelta(minutes=30):
            o["transfer_overdue"] = "accepted_late"
        trail.append(("peer_accept", "transferred", "peer_handling", accepted))
    else:
        dispatched = at + timedelta(minutes=rng.randint(3, 40))
        sign_limit = timedelta(minutes=15) if police else timedelta(hours=2)
        signed = dispatched + (sign_limit * rng.uniform(0.1, 0.9) if rng.random() < 0.92 else sign_limit * 1.5)
        close_due = dispatched + (timedelta(days=1) if police else timedelta(days=7))
        o.update(dispatched_at=dispatched, sign_due=dispatched + sign_limit, signed_at=signed, close_due=close_due,
                 contacted_at=signed + timedelta(minutes=rng.randint(5, 120)), status="signed",
                 return_count=1 if rng.random() < 0.05 else 0)
        closed = dispatched + (close_due - dispatched) * (rng.uniform(0.2, 0.95) if rng.random() < 0.87 else 1.3)
        if closed.date() < end:
            satisfied = rng.random() < 0.88
            level = rng.choice(("satisfied", "satisfied", "basically_satisfied")) if satisfied else "unsatisfied"
            solved = None if rng.random() < 0.1 else (rng.random() < (0.9 if satisfied else 0.3))
            o.update(closed_at=closed, replied_at=closed, status="visited", visited_at=closed + timedelta(days=1),
                     satisfied=satisfied, satisfaction=level, solved=solved)
        trail.append(("dispatch", "received", "dispatched", dispatched))
    prev = GENESIS
    for seq, (action, frm, to, when) in enumerate(trail, start=1):
        e = dict(id=eid + seq - 1, order_id=oid, seq=seq, action=action, from_status=frm, to_status=to,
                 actor=MARK, role="system", unit=None, at=when, note="演示历史数据", data={})
        e["prev_hash"] = prev
        e["hash"] = prev = digest(_Event(**e), prev)
        events.append(e)
    o["last_event_seq"] = len(trail)
    appeals.append(dict(id=o["appeal_id"], channel="phone", received_at=at, text=o["title"], region=region,
                        attachments=[], routing={}, created_by=MARK, created_at=at))
    orders.append(o)


class _Event:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def _flush(conn: Connection, batch) -> None:
    appeals, orders, events = batch
    keys = set().union(*(o.keys() for o in orders)) if orders else set()
    for o in orders:
        for k in keys:
            o.setdefault(k, None)
    if appeals:
        conn.execute(insert(AppealRow.__table__), appeals)
        conn.execute(insert(OrderRow.__table__), orders)
        conn.execute(insert(OrderEventRow.__table__), events)
    for part in batch:
        part.clear()


def seed_demo_history(ctx, days: int = 365) -> str:
    """The one-line hook of `liandong demo`: a year of history into the 12345 desk's database."""
    started = time_counter()
    end = ctx.clock.now().date()
    with ctx.write() as session:
        n = seed_history(session.connection(), ctx.city, ctx.calendar.is_working_day, end=end, days=days,
                         scale=1.5)
        if n:
            refresh(session, ctx.analytics.kpis, start=end - timedelta(days=days), end=end, as_of=ctx.clock.now())
    if n == 0:
        return "演示历史数据已存在，跳过"
    return f"已生成演示历史数据及日汇总：{n} 张工单/警单（{days} 天，两台），用时 {time_counter() - started:.1f} 秒"
