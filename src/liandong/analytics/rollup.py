"""The daily roll-up of the measures (日汇总): per Beijing day, measure, desk, unit and street, the numerator
and denominator — what the trends read instead of grouping a month of orders by day.

A day's figures still change after the day (an order dispatched that day is closed later), so `refresh`
recomputes whole days (delete, then INSERT … SELECT per measure, in the caller's transaction); run it
nightly over the last weeks (`liandong analytics rollup --days 90`). Days not rolled up are computed live
from the orders, so a figure is never missing, only slower."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, delete, func, insert, literal, or_, select, true
from sqlalchemy.orm import Session

from liandong.analytics.kpis import KpiDef, Kpis
from liandong.analytics.sql import PERIOD_COLUMNS, all_of, cst_date, desk_filter, in_range
from liandong.analytics.tables import DailyRow, RolledDayRow
from liandong.core.actors import Actor, Role
from liandong.orders.tables import OrderRow
from liandong.regions.codes import region_prefix

O, D = OrderRow, DailyRow
RECEIVED = KpiDef(code="received", name="受理量", period_by="received", numerator=("valid",), denominator=("valid",))


def refresh(session: Session, kpis: Kpis, *, start: date, end: date, as_of: datetime) -> int:
    """Recompute the roll-up of the days [start, end); the number of rows written."""
    session.execute(delete(DailyRow).where(DailyRow.day >= start, DailyRow.day < end))
    session.execute(delete(RolledDayRow).where(RolledDayRow.day >= start, RolledDayRow.day < end))
    for k in (*kpis.defs, RECEIVED):  # RECEIVED: the daily volumes of the reports
        if k.needs_calls:
            continue
        column = PERIOD_COLUMNS[k.period_by]
        den = and_(all_of(k.denominator, as_of), desk_filter(k.desk))
        num = and_(den, all_of(k.numerator, as_of))
        day, unit = cst_date(column), func.coalesce(O.unit, literal(""))
        street = func.coalesce(func.substr(O.region, 1, 9), literal(""))
        rows = (select(day, literal(k.code), O.platform, unit, street, func.sum(case((num, 1), else_=0)),
                       func.sum(case((den, 1), else_=0)))
                .where(in_range(column, start, end), den).group_by(day, O.platform, unit, street))
        session.execute(insert(DailyRow).from_select(
            ["day", "kpi", "platform", "unit", "street", "numerator", "denominator"], rows))
    written = session.scalar(select(func.count()).select_from(DailyRow).where(DailyRow.day >= start,
                                                                             DailyRow.day < end)) or 0
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    if days:
        session.execute(insert(RolledDayRow), [{"day": d, "refreshed_at": as_of} for d in days])
    return written


def rolled_days(session: Session, start: date, end: date) -> set[date]:
    return set(session.scalars(select(RolledDayRow.day).where(RolledDayRow.day >= start, RolledDayRow.day < end)))


def _scope(actor: Actor) -> ColumnElement[bool]:
    """`scope.counts_scope` on the roll-up's columns."""
    if actor.role is Role.ADMIN or (actor.role is not Role.HANDLER and actor.region is None):
        return true()
    if actor.role is Role.HANDLER:
        return D.unit == (actor.unit or "")
    return or_(D.street == "", D.street.startswith(region_prefix(actor.region)))


def daily_counts(session: Session, actor: Actor, days: set[date]) -> dict[str, dict[str, tuple[int, int]]]:
    """Day (ISO) → measure → (numerator, denominator) from the roll-up, for the given days."""
    if not days:
        return {}
    out: dict[str, dict[str, tuple[int, int]]] = {}
    rows = session.execute(select(D.day, D.kpi, func.sum(D.numerator), func.sum(D.denominator))
                           .where(D.day >= min(days), D.day <= max(days), _scope(actor)).group_by(D.day, D.kpi))
    for day, kpi, n, d in rows:
        if day in days:
            out.setdefault(day.isoformat(), {})[kpi] = (int(n or 0), int(d or 0))
    return out


def daily_received(session: Session, actor: Actor, days: set[date]) -> dict[tuple[str, str], int]:
    """(day ISO, platform) → valid orders received, from the roll-up, for the given days."""
    if not days:
        return {}
    rows = session.execute(select(D.day, D.platform, func.sum(D.denominator))
                           .where(D.day >= min(days), D.day <= max(days), D.kpi == RECEIVED.code, _scope(actor))
                           .group_by(D.day, D.platform))
    return {(day.isoformat(), platform): int(n or 0) for day, platform, n in rows if day in days}


GROUP_COLUMNS = {"all": literal("all"), "unit": D.unit, "street": D.street, "district": func.substr(D.street, 1, 6),
                 "desk": D.platform}


def period_counts(session: Session, actor: Actor, group: str, start: date, end: date) -> dict | None:
    """`queries.kpi_counts` from the roll-up — group key → measure → (numerator, denominator) — when the
    roll-up holds every day of [start, end) and can group that way; None otherwise."""
    days = (end - start).days
    if group not in GROUP_COLUMNS or days <= 0 or len(rolled_days(session, start, end)) < days:
        return None
    key = GROUP_COLUMNS[group]
    out: dict[str, dict[str, tuple[int, int]]] = {}
    rows = session.execute(select(key, D.kpi, func.sum(D.numerator), func.sum(D.denominator))
                           .where(D.day >= start, D.day < end, D.kpi != RECEIVED.code, _scope(actor))
                           .group_by(key, D.kpi))
    for g, kpi, n, d in rows:
        out.setdefault("" if g is None else str(g), {})[kpi] = (int(n or 0), int(d or 0))
    return out
