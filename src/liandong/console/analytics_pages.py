"""统计分析 in the console: `/console/analytics` — the KPI dashboard (ranking, trend drawn as SVG on the
server), the hotspots and the streets' heat grid — and `/console/analytics/orders`, the orders behind a
figure (drill-down). The same service functions as `/api/v1/analytics`; a bad period or a figure out of
scope is refused as a Chinese page by `ConsoleRoute`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from liandong.analytics.hotspots import ranked_hotspots
from liandong.analytics.periods import Grain, containing, parse_period
from liandong.analytics.queries import place_grid
from liandong.analytics.reports import svg
from liandong.analytics.scope import counts_scope
from liandong.analytics.sql import moment
from liandong.analytics.reports.data import KINDS, check_request
from liandong.analytics.reports.render import MEDIA, STEPS, check_format, file_name
from liandong.console.deps import Ctx, CurrentUser, Form
from liandong.console.pages import ConsoleRoute, page
from liandong.core.actors import Role, require_role
from liandong.core.errors import Conflict, Forbidden, InvalidInput
from liandong.regions.codes import within

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
    lined = [c for c in ("response_rate", "satisfaction_rate", "solve_rate") if trend] + [
        c for c in ("agent_answer_rate",)  # 人工接通率 where the city supplied call data
        if trend and c in trend[0][1].figures and any(r.figures[c].rate is not None for _, r in trend)]
    chart = svg.lines([b.label[5:] for b, _ in trend], [
        (trend[0][1].figures[c].name, [None if r.figures[c].rate is None else round(100 * r.figures[c].rate, 1)
                                       for _, r in trend]) for c in lined])
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


FORMATS = {"pdf": "PDF（打印）", "xlsx": "XLSX（表格，含公式）"}


def _streets(ctx, actor) -> list[tuple[str, str]]:
    """The streets of the viewer's region (街镇画像 is refused outside it)."""
    return [(code, r.name) for code, r in sorted(ctx.city.regions.items())
            if len(code) == 9 and (actor.role is Role.ADMIN or not actor.region or within(code, actor.region))]


def _report_form(request: Request, ctx, me, *, code: int = 200, error: str | None = None, **chosen) -> Response:
    last_week = containing(Grain.WEEK, ctx.clock.now().date() - timedelta(days=7)).label
    values = {"kind": "weekly", "period": last_week, "format": "pdf", "street": "", **chosen}
    return page(request, "analytics_reports.html", code, kinds={k: t for k, (_, t) in KINDS.items()},
                formats=FORMATS, streets=_streets(ctx, me.actor), values=values, error=error)


@router.get("/analytics/reports")
def report_form(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    require_role(me.actor, *VIEWING)
    return _report_form(request, ctx, me)


@router.post("/analytics/reports")
def report_start(request: Request, ctx: Ctx, me: CurrentUser, form: Form) -> Response:
    """Check the request at once (a bad period is refused here, in Chinese), then generate in the background."""
    require_role(me.actor, *VIEWING)
    chosen = {k: (form.get(k) or "").strip()[:16] for k in ("kind", "period", "format", "street")}
    try:
        fmt = check_format(chosen["format"])
        req = check_request(ctx.analytics, me.actor, kind=chosen["kind"], period_text=chosen["period"],
                            street=chosen["street"] or None)
    except (InvalidInput, Forbidden) as exc:
        return _report_form(request, ctx, me, code=403 if isinstance(exc, Forbidden) else 422, error=exc.message,
                            **chosen)
    actor, weights = me.actor, ctx.analytics.kpis.composite.weights

    def work(progress):
        from liandong.analytics.reports.data import build_report
        from liandong.analytics.reports.render import render_report

        with ctx.read() as session:
            data = build_report(session, ctx.analytics, actor, kind=req.kind, period_text=req.period.label,
                                street=req.street, now=ctx.clock.now(), progress=progress)
        progress("排版")
        return render_report(data, fmt, weights), file_name(data, fmt, req.street)

    title = f"{req.place or ''}{req.title}（{req.period.label}）"
    try:
        job = ctx.report_jobs.start(f"{me.platform}:{actor.name}", title, fmt, work)
    except Conflict as exc:
        return _report_form(request, ctx, me, code=409, error=exc.message, **chosen)
    return RedirectResponse(f"/console/analytics/reports/jobs/{job.id}", status_code=303)


JobId = Annotated[str, Path(max_length=24, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/analytics/reports/jobs/{job_id}")
def report_job(request: Request, ctx: Ctx, me: CurrentUser, job_id: JobId) -> Response:
    """The job's page; polled by htmx (HX-Request), only its status fragment, until the job has finished."""
    require_role(me.actor, *VIEWING)
    job = ctx.report_jobs.get(job_id, f"{me.platform}:{me.actor.name}")
    template = "_report_job.html" if request.headers.get("hx-request") else "analytics_report_job.html"
    return page(request, template, job=job, total=len(STEPS), done=min(len(job.steps), len(STEPS)))


@router.get("/analytics/reports/jobs/{job_id}/file")
def report_file(ctx: Ctx, me: CurrentUser, job_id: JobId) -> Response:
    require_role(me.actor, *VIEWING)
    job, content = ctx.report_jobs.file(job_id, f"{me.platform}:{me.actor.name}")
    if content is None:
        raise InvalidInput(job.error or "报告尚未生成完成，请稍候")
    return Response(content, media_type=MEDIA[job.fmt],
                    headers={"Content-Disposition": f'attachment; filename="{job.filename}"'})
