"""Call data (话务数据) stored and counted: `liandong calls import` writes the checked calls in one
transaction (ids already imported refuse the whole file, so nothing is half-imported); 人工接通率 and the
report's 话务 section are aggregates over `analytics_calls`.

Calls carry no citizen data, but they are the city's 12345 call centre's, with no place: their figures are
shown to those who see the whole city's counts (an admin, a supervisor or dispatcher of the whole city);
a district's viewer sees the measure as 无数据 rather than the city's figure as if it were the district's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, insert, literal, select
from sqlalchemy.orm import Session

from liandong.analytics.calls import CallItem
from liandong.analytics.kpis import Kpis
from liandong.analytics.sql import cst_date, in_range
from liandong.analytics.tables import CallRow
from liandong.core.actors import Actor, Role
from liandong.core.errors import InvalidInput
from liandong.regions.codes import RegionLevel, check_region_code

C = CallRow
CALL_GROUPS = ("all", "day", "desk")  # the groupings a call belongs to (it has no unit, street or category)


def sees_calls(actor: Actor) -> bool:
    """An admin, or a supervisor/dispatcher whose region is a whole city or province (148800, not a district)."""
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.HANDLER:
        return False
    return actor.region is None or check_region_code(actor.region) in (RegionLevel.CITY, RegionLevel.PROVINCE)


def store_calls(session: Session, items: list[CallItem], *, source: str, now: datetime) -> int:
    """Write the checked calls (the caller's transaction); call ids already stored refuse them all."""
    ids = [i.call_id for i in items]
    existing: set[str] = set()
    for start in range(0, len(ids), 500):
        existing |= set(session.scalars(select(C.call_id).where(C.call_id.in_(ids[start:start + 500]))))
    if existing:
        lines = [i.line for i in items if i.call_id in existing]
        raise InvalidInput(f"{len(existing)} 行的来电编号已导入过（第{'、'.join(map(str, lines[:10]))}行"
                           f"{'等' if len(lines) > 10 else ''}），本次未导入任何行")
    rows = [dict(source=source[:64], call_id=i.call_id, arrived_at=i.arrived_at, answered=i.answered,
                 abandoned=i.abandoned, wait_seconds=i.wait_seconds, operator=i.operator, imported_at=now)
            for i in items]
    for start in range(0, len(rows), 1000):
        session.execute(insert(CallRow), rows[start:start + 1000])
    return len(rows)


def call_counts(session: Session, kpis: Kpis, *, start: date, end: date, group: str,
                actor: Actor) -> dict[str, dict[str, tuple[int, int]]]:
    """Numerator and denominator of the measures on call data, per group ('all', 'day' or 'desk': the calls
    are the 12345 desk's), for calls arriving in [start, end); {} for other groupings or viewers."""
    defs = [k for k in kpis.defs if k.needs_calls]
    if not defs or group not in CALL_GROUPS or not sees_calls(actor):
        return {}
    key = cst_date(C.arrived_at) if group == "day" else literal("12345") if group == "desk" else literal("all")
    sums = []
    for k in defs:
        sums += [_count(k.numerator), _count(k.denominator)]
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for row in session.execute(select(key.label("g"), *sums).where(in_range(C.arrived_at, start, end))
                               .group_by(key)):
        g = str(row[0])
        out[g] = {k.code: (int(row[1 + 2 * i] or 0), int(row[2 + 2 * i] or 0)) for i, k in enumerate(defs)}
    return out


def _count(conditions: tuple[str, ...]):
    """SUM(CASE …) of the calls meeting every condition (calls_offered: every call; calls_answered)."""
    cond = C.answered.is_(True) if "calls_answered" in conditions else literal(True)
    return func.sum(case((cond, 1), else_=0))


@dataclass(frozen=True)
class CallSummary:  # 话务概况
    offered: int
    answered: int
    abandoned: int
    mean_wait: float | None  # seconds, over the answered calls
    operators: int
    daily: list[tuple[str, int, int]]  # day, offered, answered


def call_summary(session: Session, *, start: date, end: date, actor: Actor) -> CallSummary | None:
    """The report's 话务 section; None when no call data covers the period (or the viewer does not see it)."""
    if not sees_calls(actor):
        return None
    period = in_range(C.arrived_at, start, end)
    offered, answered, abandoned, wait, ops = session.execute(select(
        func.count(C.id), func.sum(case((C.answered.is_(True), 1), else_=0)),
        func.sum(case((C.abandoned.is_(True), 1), else_=0)),
        func.avg(case((C.answered.is_(True), C.wait_seconds), else_=None)),
        func.count(func.distinct(C.operator))).where(period)).one()
    if not offered:
        return None
    day = cst_date(C.arrived_at)
    daily = [(str(d), int(n), int(a or 0)) for d, n, a in session.execute(
        select(day, func.count(C.id), func.sum(case((C.answered.is_(True), 1), else_=0)))
        .where(period).group_by(day).order_by(day))]
    return CallSummary(int(offered), int(answered or 0), int(abandoned or 0),
                       None if wait is None else float(wait), int(ops), daily)
