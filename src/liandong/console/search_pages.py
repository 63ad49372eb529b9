"""Search (查询) at `/console/search`: by order number, caller's phone (exact, for the roles of
`orders.scope.may_search_by_phone`), words of the appeal, status, unit, region, category and date
range; paginated; exported to CSV or XLSX within the user's scope, masked as in every list.

The query is `orders.queries.list_orders` with its `OrderFilter`, the same as `GET /api/v1/orders`;
a phone number is never compared in clear: it becomes the stored keyed hash (`core.masking.caller_key`).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from openpyxl import Workbook

from liandong.console.deps import ConsoleRefusal, Ctx, CurrentUser, may_search_by_phone
from liandong.console.pages import ConsoleRoute, page
from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.core.masking import caller_key
from liandong.orders import present, queries
from liandong.orders.states import Status

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
PAGE_SIZE = 20
EXPORT_MAX = 10_000  # rows in one export; beyond it the user narrows the search
FIELDS = ("number", "phone", "text", "status", "unit", "region", "category", "date_from", "date_to")
LIMITS = {"number": 40, "phone": 20, "text": 100, "status": 24, "unit": 32, "region": 12, "category": 128,
          "date_from": 10, "date_to": 10}
COLUMNS = ("工单编号", "平台", "标题", "状态", "等级", "分类", "承办单位", "所在区划", "诉求人", "联系电话", "受理时间", "办结时限")


def _date(value: str, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{label}「{value}」格式错误，应为 YYYY-MM-DD") from None


def _criteria(request: Request) -> dict[str, str]:
    q = request.query_params
    out = {}
    for name in FIELDS:
        value = (q.get(name) or "").strip()
        if len(value) > LIMITS[name]:
            raise InvalidInput(f"查询条件过长：不超过 {LIMITS[name]} 个字符")
        out[name] = value
    return out


def _filter(ctx, me, c: dict[str, str], page_no: int, page_size: int) -> queries.OrderFilter:
    key = None
    if c["phone"]:
        if not may_search_by_phone(me.actor):
            raise ConsoleRefusal(403, "无权按电话号码查询",
                                 "按诉求人电话号码查询仅限话务员、110 接警员、承办人和管理员使用；请按工单编号或其他条件查询。")
        digits = "".join(ch for ch in c["phone"] if ch.isdigit())
        if len(digits) < 7 or any(ch not in "0123456789 -+" for ch in c["phone"]):
            raise InvalidInput("电话号码格式不正确：请输入完整的号码（7 位以上数字）")
        key = caller_key(digits, ctx.settings.phone_salt)
    return queries.OrderFilter(
        number=c["number"] or None, caller_key=key, text=c["text"] or None, status=c["status"] or None,
        unit=c["unit"] or None, region=c["region"] or None, category=c["category"] or None,
        date_from=_date(c["date_from"], "起始日期"), date_to=_date(c["date_to"], "结束日期"),
        page=page_no, page_size=page_size)


def _page_no(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100000:
        raise InvalidInput("页码应为 1 到 100000 之间的整数")
    return int(raw)


@router.get("/search")
def search(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    c = _criteria(request)
    page_no = _page_no(request)
    searched = any(c.values())
    items, total = [], 0
    if searched:
        f = _filter(ctx, me, c, page_no, PAGE_SIZE)
        with ctx.read() as session:
            rows, total = queries.list_orders(session, me.actor, me.platform, f)
            items = [present.summary(o, a, ctx.city) for o, a in rows]
    query = urlencode({k: v for k, v in c.items() if v})
    context = dict(c=c, items=items, total=total, page_no=page_no, pages=max(1, -(-total // PAGE_SIZE)),
                   searched=searched, query=query, phone_allowed=may_search_by_phone(me.actor),
                   statuses=[(s.value, s) for s in Status], units=sorted(ctx.city.units_of(me.platform), key=lambda u: u.code),
                   regions=[(code, ctx.city.region_path(code)) for code in sorted(ctx.city.regions)],
                   export_max=EXPORT_MAX)
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "search-results":
        return page(request, "search_results.html", **context)
    return page(request, "search_page.html", **context)


def _export_rows(ctx, me, request: Request) -> list[list[str]]:
    c = _criteria(request)
    f = _filter(ctx, me, c, 1, EXPORT_MAX)
    with ctx.read() as session:
        rows, total = queries.list_orders(session, me.actor, me.platform, f)
        if total > EXPORT_MAX:
            raise ConsoleRefusal(422, "导出条数过多",
                                 f"共 {total} 条，一次最多导出 {EXPORT_MAX} 条，请缩小查询范围（如日期、状态、区划）后再导出。")
        out = []
        for o, a in rows:
            s = present.summary(o, a, ctx.city)  # masked as in every list
            out.append([s.id, s.platform, s.title, s.status_label, s.level, s.category or "", s.unit_name or s.unit or "",
                        ctx.city.region_path(s.region) if s.region else "", s.caller_name or "", s.caller_phone or "",
                        _when(s.created_at), _when(s.close_due)])
    return [[_cell(v) for v in row] for row in out]


def _when(value) -> str:
    return value.astimezone(CST).strftime("%Y-%m-%d %H:%M") if value else ""


def _cell(value: str) -> str:
    """A cell that a spreadsheet shows as text, never runs as a formula (CSV/XLSX injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _download(body: bytes, media: str, ext: str, ctx) -> Response:
    name = f"orders-{ctx.clock.now().astimezone(CST):%Y%m%d-%H%M}.{ext}"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/search/export.csv")
def export_csv(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(_export_rows(ctx, me, request))
    return _download(("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", "csv", ctx)


@router.get("/search/export.xlsx")
def export_xlsx(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    rows = _export_rows(ctx, me, request)  # refused (too many, bad input) before a workbook is begun
    book = Workbook(write_only=True)
    sheet = book.create_sheet("工单")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return _download(buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
                     ctx)

