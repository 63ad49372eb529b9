"""KPI figures computed in the database: one aggregate per period column (受理/派单/办结), a SUM(CASE …)
pair per measure, grouped by unit, street, district, category, desk or day; and the orders behind one
figure (drill-down), inside the viewer's scope."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session

from liandong.analytics.kpis import KpiDef, Kpis
from liandong.analytics.sql import PERIOD_COLUMNS, all_of, cst_date, desk_filter, in_range
from liandong.core.errors import InvalidInput
from liandong.orders.tables import OrderRow

O = OrderRow
GROUPS = {  # 维度 → (label, SQL expression; None: the period column's Beijing date)
    "all": ("合计", literal("all")),
    "unit": ("承办单位", O.unit),
    "district": ("区县", func.substr(O.region, 1, 6)),
    "street": ("街镇", func.substr(O.region, 1, 9)),
    "category": ("分类", O.category_name),
    "desk": ("平台", O.platform),
    "day": ("日期", None),
}
Counts = dict[str, dict[str, tuple[int, int]]]  # group key → measure code → (numerator, denominator)


def group_expr(group: str, period_column):
    if group not in GROUPS:
        raise InvalidInput(f"统计维度「{group}」无效，可选：{'、'.join(f'{k}（{v[0]}）' for k, v in GROUPS.items())}")
    expr = GROUPS[group][1]
    return cst_date(period_column) if expr is None else expr


def kpi_counts(session: Session, kpis: Kpis, *, start: date, end: date, group: str, scope: ColumnElement[bool],
               as_of: datetime, where: ColumnElement[bool] | None = None) -> Counts:
    """Numerator and denominator of every order-based measure, per group, for orders whose period moment
    falls in [start, end). Measures on call data are left out (the caller shows them as 无数据)."""
    by_column: dict[str, list[KpiDef]] = defaultdict(list)
    for k in kpis.defs:
        if not k.needs_calls:
            by_column[k.period_by].append(k)
    out: Counts = defaultdict(dict)
    for column_name, defs in by_column.items():
        column = PERIOD_COLUMNS[column_name]
        key = group_expr(group, column).label("g")
        sums = []
        for k in defs:
            den = and_(all_of(k.denominator, as_of), desk_filter(k.desk))
            num = and_(den, all_of(k.numerator, as_of))
            sums += [func.sum(case((num, 1), else_=0)), func.sum(case((den, 1), else_=0))]
        cond = and_(in_range(column, start, end), scope, where if where is not None else literal(True))
        for row in session.execute(select(key, *sums).where(cond).group_by(key)):
            g = "" if row[0] is None else str(row[0])
            for i, k in enumerate(defs):
                out[g][k.code] = (int(row[1 + 2 * i] or 0), int(row[2 + 2 * i] or 0))
    return dict(out)


def figure_orders(session: Session, kpi: KpiDef, *, start: date, end: date, part: str, group: str, key: str | None,
                  scope: ColumnElement[bool], as_of: datetime, limit: int = 200) -> tuple[int, list[dict]]:
    """The orders behind one figure (穿透): the measure's denominator (or numerator) in the period and group."""
    if part not in ("numerator", "denominator", "gap"):
        raise InvalidInput("穿透口径应为 numerator（分子）、denominator（分母）或 gap（未达标）")
    column = PERIOD_COLUMNS[kpi.period_by]
    den = and_(all_of(kpi.denominator, as_of), desk_filter(kpi.desk))
    num = all_of(kpi.numerator, as_of)
    cond = and_(in_range(column, start, end), scope, den,
                num if part == "numerator" else ~num if part == "gap" else literal(True))
    if group != "all" and key is not None:
        expr = group_expr(group, column)
        cond = and_(cond, expr.is_(None) if key == "" else expr == key)
    total = session.scalar(select(func.count()).select_from(O).where(cond)) or 0
    rows = session.execute(
        select(O.number, O.platform, O.title, O.category_name, O.unit, O.region, O.status, O.created_at,
               O.dispatched_at, O.closed_at).where(cond).order_by(column.desc(), O.id.desc()).limit(limit)).all()
    return total, [dict(r._mapping) for r in rows]


def place_grid(session: Session, *, start: date, end: date, scope: ColumnElement[bool],
               top_categories: int = 8) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Streets × the period's most frequent categories: the counts of a map-free heat grid (街镇热力表)."""
    street, cat = func.substr(O.region, 1, 9), func.coalesce(O.category_name, literal("未分类"))
    rows = session.execute(select(street, cat, func.count()).where(
        in_range(O.created_at, start, end), scope, O.region.is_not(None), O.status.not_in(("cancelled", "merged")))
        .group_by(street, cat)).all()
    totals: dict[str, int] = defaultdict(int)
    for _, c, n in rows:
        totals[c] += n
    cats = [c for c, _ in sorted(totals.items(), key=lambda kv: -kv[1])[:top_categories]]
    grid: dict[str, list[int]] = defaultdict(lambda: [0] * len(cats))
    for s, c, n in rows:
        if c in cats:
            grid[s][cats.index(c)] += n
    return cats, sorted(grid.items(), key=lambda kv: -sum(kv[1]))
