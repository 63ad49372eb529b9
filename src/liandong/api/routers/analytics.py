"""Analytics (统计分析): KPI tables and rankings, trends, drill-down, warnings, hotspots."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from liandong.analytics import warnings as trend_warnings
from liandong.analytics.hotspots import ranked_hotspots
from liandong.analytics.periods import Grain, parse_period
from liandong.analytics.reports.data import KINDS as REPORT_KINDS
from liandong.analytics.reports.data import build_report
from liandong.analytics.reports.render import MEDIA, check_format, file_name, render_report
from liandong.analytics.schemas import (
    AcknowledgeRequest,
    DrillRead,
    KpiTableRead,
    TrendPointRead,
    WarningRead,
    row_read,
    table_read,
    warning_read,
)
from liandong.analytics.scope import counts_scope, require_place
from liandong.api.contract import errors, file_answer
from liandong.api.deps import Ctx, CurrentCaller
from liandong.core.actors import Role, require_role
from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.orders.tables import OrderRow

router = APIRouter(prefix="/analytics", tags=["统计分析 analytics"], responses=errors(403))
# The shapes `parse_period` and `_day` accept, stated in the schema (their Chinese messages stay the server's)
PERIOD = r"^\d{4}(-(\d{2}(-\d{2})?|W\d{2}|Q[1-4]))?$"
PeriodQ = Annotated[str, Query(max_length=12, json_schema_extra={"pattern": PERIOD},
                               description="统计周期：2019-11-05、2019-W46、2019-11、2019-Q4、2019")]
DAY = {"format": "date"}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
GroupQ = Annotated[str, Query(max_length=12, description="维度：all、unit、district、street、category、desk")]
KINDS = {"enum": list(trend_warnings.KIND_LABELS)}  # the service refuses any other (naming each in Chinese)
REPORTS, FORMATS = {"enum": list(REPORT_KINDS)}, {"enum": list(MEDIA)}  # the service refuses others, in Chinese
VIEWING = (Role.SUPERVISOR, Role.DISPATCHER, Role.OPERATOR, Role.POLICE, Role.HANDLER)


def _day(raw: str, what: str) -> date:
    """A date as the schema's `format: date` says, `YYYY-MM-DD` only (`fromisoformat` also read `20191105`)."""
    try:
        if not _ISO_DAY.fullmatch(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{what}「{raw[:20]}」应写作 2019-11-05") from None


@router.get("/kpis", response_model=KpiTableRead, summary="考核指标表与排名（按单位、街镇、分类、平台）")
def kpis(ctx: Ctx, caller: CurrentCaller, period: PeriodQ, group: GroupQ = "unit") -> KpiTableRead:
    require_role(caller.actor, *VIEWING)
    p = parse_period(period)
    if group == "day":
        raise InvalidInput("按日请用 /analytics/kpis/trend")
    with ctx.read() as session:
        return table_read(ctx.analytics.table(session, actor=caller.actor, period=p, group=group,
                                              as_of=ctx.clock.now()))


@router.get("/kpis/trend", response_model=list[TrendPointRead], summary="指标趋势（按日、周、月、季）")
def trend(ctx: Ctx, caller: CurrentCaller, period: PeriodQ,
          grain: Annotated[Grain, Query(description="粒度：day、week、month、quarter")] = Grain.DAY) -> list:
    require_role(caller.actor, *VIEWING)
    p = parse_period(period)
    if len(p.days()) > 400:
        raise InvalidInput("趋势的统计周期不能超过一年")
    with ctx.read() as session:
        points = ctx.analytics.trend(session, actor=caller.actor, period=p, grain=grain, as_of=ctx.clock.now())
    return [TrendPointRead(period=b.label, title=b.title, figures=row_read(r).figures, score=r.score)
            for b, r in points]


@router.get("/kpis/{code}/orders", response_model=DrillRead, summary="指标穿透：数字背后的工单（限本人权限范围）")
def drill(ctx: Ctx, caller: CurrentCaller, code: Annotated[str, Path(max_length=40)], period: PeriodQ,
          part: Annotated[str, Query(max_length=12)] = "denominator", group: GroupQ = "all",
          key: Annotated[str | None, Query(max_length=40)] = None) -> DrillRead:
    require_role(caller.actor, *VIEWING)
    p = parse_period(period)
    with ctx.read() as session:
        total, rows = ctx.analytics.drill(session, actor=caller.actor, platform=caller.platform, code=code, period=p,
                                          part=part, group=group, key=key, as_of=ctx.clock.now())
    return DrillRead(code=code, part=part, total=total, orders=rows)


@router.get("/streets/{code}/kpis", response_model=KpiTableRead, summary="街镇画像：一个街镇的指标（按分类）")
def street_kpis(ctx: Ctx, caller: CurrentCaller, code: Annotated[str, Path(max_length=12)], period: PeriodQ) -> KpiTableRead:
    require_role(caller.actor, *VIEWING)
    p = parse_period(period)
    region = ctx.city.regions.get(code)
    if region is None or len(code) != 9:
        raise InvalidInput(f"「{code}」不是{ctx.city.name}的街镇代码")
    require_place(caller.actor, code, region.name)
    with ctx.read() as session:
        return table_read(ctx.analytics.table(session, actor=caller.actor, period=p, group="category",
                                              as_of=ctx.clock.now(), where=OrderRow.region.startswith(code)))


@router.get("/warnings", response_model=list[WarningRead], summary="趋势预警：高发、新发、群诉增长、矛盾纠纷")
def warnings(ctx: Ctx, caller: CurrentCaller, date_from: Annotated[str, Query(alias="from", max_length=10, json_schema_extra=DAY)],
             date_to: Annotated[str, Query(alias="to", max_length=10, json_schema_extra=DAY)],
             kind: Annotated[str | None, Query(max_length=8, json_schema_extra=KINDS,
                                               description="预警类型：high 高发、new 新发、mass 群诉增长、joint 矛盾纠纷")] = None
             ) -> list[WarningRead]:
    start, end = _day(date_from, "起始日期"), _day(date_to, "截止日期")
    if end < start:
        raise InvalidInput("截止日期早于起始日期")
    with ctx.read() as session:
        return [warning_read(w) for w in trend_warnings.list_warnings(session, caller.actor, start=start, end=end,
                                                                      kind=kind)]


@router.post("/warnings/scan", response_model=list[WarningRead], summary="对某日执行一次趋势研判")
def scan(ctx: Ctx, caller: CurrentCaller, day: Annotated[str, Query(max_length=10, json_schema_extra=DAY)]) -> list[WarningRead]:
    require_role(caller.actor, Role.SUPERVISOR)
    d = _day(day, "日期")
    with ctx.write() as session:
        return [warning_read(w) for w in ctx.warnings.scan(session, day=d, now=ctx.clock.now())]


@router.post("/warnings/{warning_id}/acknowledge", response_model=WarningRead, summary="确认预警（已知悉，留痕）", responses=errors(409))
def acknowledge(ctx: Ctx, caller: CurrentCaller, warning_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                body: AcknowledgeRequest) -> WarningRead:
    with ctx.write() as session:
        return warning_read(trend_warnings.acknowledge(session, warning_id, caller.actor, body.note,
                                                       ctx.clock.now()))


@router.get("/hotspots", summary="热点问题排行（历史诉求与工单）")
def hotspots(ctx: Ctx, caller: CurrentCaller, date_from: Annotated[str, Query(alias="from", max_length=10, json_schema_extra=DAY)],
             date_to: Annotated[str, Query(alias="to", max_length=10, json_schema_extra=DAY)],
             top: Annotated[int, Query(ge=1, le=100)] = 10) -> list[dict]:
    require_role(caller.actor, *VIEWING)
    start, end = _day(date_from, "起始日期"), _day(date_to, "截止日期")
    if end < start:
        raise InvalidInput("截止日期早于起始日期")
    with ctx.read() as session:
        spots = ranked_hotspots(session, ctx.city, start=datetime.combine(start, time(0), CST),
                                end=datetime.combine(end + timedelta(days=1), time(0), CST), top=top,
                                scope=counts_scope(caller.actor))
    return [s.to_dict() for s in spots]


@router.get("/reports/{kind}", summary="报告：民情热点周报、月报、季报、街镇画像（XLSX 或 PDF）", response_class=Response,
            responses=file_answer("报告文件（format=pdf 或 xlsx）", *MEDIA.values()))
def report(ctx: Ctx, caller: CurrentCaller, kind: Annotated[str, Path(max_length=12, json_schema_extra=REPORTS)],
           period: PeriodQ, fmt: Annotated[str, Query(alias="format", max_length=4, json_schema_extra=FORMATS)] = "pdf",
           street: Annotated[str | None, Query(max_length=12)] = None) -> Response:
    require_role(caller.actor, Role.SUPERVISOR, Role.DISPATCHER)
    check_format(fmt)
    with ctx.read() as session:
        data = build_report(session, ctx.analytics, caller.actor, kind=kind, period_text=period, street=street,
                            now=ctx.clock.now())
    content = render_report(data, fmt, ctx.analytics.kpis.composite.weights)
    name = file_name(data, fmt, street if kind == "street" else None)
    return Response(content, media_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})
