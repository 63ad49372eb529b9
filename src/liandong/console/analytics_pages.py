"""统计分析 in the console: `/console/analytics` — the KPI dashboard (ranking, trend drawn as SVG on the
server), the hotspots and the streets' heat grid — and `/console/analytics/orders`, the orders behind a
figure (drill-down). The same service functions as `/api/v1/analytics`; a bad period or a figure out of
scope is refused as a Chinese page by `ConsoleRoute`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from liandong.analytics.hotspots import ranked_hotspots
from liandong.analytics.periods import Grain, containing, parse_period
from liandong.analytics.queries import place_grid
from liandong.analytics.reports import svg
from liandong.analytics.scope import counts_scope
from liandong.analytics.sql import moment
from liandong.console.deps import Ctx, CurrentUser
from liandong.console.pages import ConsoleRoute, page
from liandong.core.actors import Role, require_role

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
VIEWING = (Role.SUPERVISOR, Role.DISPATCHER)
SHOWN = ("response_rate", "ontime_close_rate", "solve_rate", "satisfaction_rate", "repeat_call_rate", "return_rate",
         "overdue_rate", "transfer_timely_rate")
GROUPS = {"unit": "承办单位", "street": "街镇", "category": "分类", "desk": "平台"}


def _heat_class(n: int, top: int) -> str:
    return f"heat-{0 if not n else min(5, 1 + int(5 * n / (top + 1)))}"


@router.get("/analytics")
def dashboard(request: Request, ctx: Ctx, me: CurrentUser,
              period: Annotated[str | None, Query(max_length=12)] = None,
              group: Annotated[str, Query(max_length=12)] = "unit") -> Response:
    require_role(me.actor, *VIEWING)
    now = ctx.clock.now()
    p = parse_period(period) if period else containing(Grain.WEEK, now.date() - timedelta(days=7))
    group = group if group in GROUPS else "unit"
    with ctx.read() as session:
        table = ctx.analytics.table(session, actor=me.actor, period=p, group=group, as_of=now)
        trend_period = p if p.grain is not Grain.WEEK else parse_period(f"{p.start.year}-{p.start.month:02d}")
        grain = Grain.DAY if len(trend_period.days()) <= 62 else Grain.WEEK
        trend = ctx.analytics.trend(session, actor=me.actor, period=trend_period, grain=grain, as_of=now)
        spots = ranked_hotspots(session, ctx.city, start=moment(p.start), end=moment(p.end), top=8,
                                scope=counts_scope(me.actor))
        cats, grid = place_grid(session, start=p.start, end=p.end, scope=counts_scope(me.actor))
    top = max((n for _, row in grid for n in row), default=0)
    chart = svg.lines([b.label[5:] for b, _ in trend], [
        (row.figures[c].name, [None if r.figures[c].rate is None else round(100 * r.figures[c].rate, 1)
                               for _, r in trend])
        for c, row in ((c, trend[0][1]) for c in ("response_rate", "satisfaction_rate", "solve_rate")) if trend])
    volume = svg.lines([b.label[5:] for b, _ in trend],
                       [("受理量", [r.figures["repeat_call_rate"].denominator for _, r in trend])])
    cells = [(ctx.analytics.label("street", s), [(n, _heat_class(n, top)) for n in row]) for s, row in grid]
    shown = [c for c in SHOWN if c in table.total.figures]
    return page(request, "analytics_page.html", table=table, period=p, group=group, groups=GROUPS, shown=shown,
                chart=chart, volume=volume, spots=spots, cats=cats, cells=cells, trend_title=trend_period.title)


@router.get("/analytics/orders")
def figure_orders(request: Request, ctx: Ctx, me: CurrentUser, code: Annotated[str, Query(max_length=40)],
                  period: Annotated[str, Query(max_length=12)], part: Annotated[str, Query(max_length=12)] = "gap",
                  group: Annotated[str, Query(max_length=12)] = "all",
                  key: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    require_role(me.actor, *VIEWING)
    p = parse_period(period)
    with ctx.read() as session:
        total, rows = ctx.analytics.drill(session, actor=me.actor, platform=me.platform, code=code, period=p,
                                          part=part, group=group, key=key, as_of=ctx.clock.now(), limit=200)
    kpi = ctx.analytics.kpis.get(code)
    parts = {"numerator": "达标（分子）", "denominator": "全部（分母）", "gap": "未达标"}
    label = ctx.analytics.label(group, key) if key is not None and group != "all" else "全部"
    return page(request, "analytics_orders.html", kpi=kpi, period=p, part=parts.get(part, part), label=label,
                total=total, rows=rows, units=ctx.city.units)
