"""数据访问留痕 at `/console/share/access-log` (administrators): who read which shared dataset, with which
filters, how many rows, masked or not and why not, when and from where; filtered, paginated, exported.
The same `share.access.search` as `GET /api/v1/share/access-log` and `liandong share log`."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from liandong.console.deps import Ctx, CurrentUser
from liandong.console.pages import ConsoleRoute, page
from liandong.core.actors import Role, require_role
from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.share import access
from liandong.share.scopes import DATASET_LABELS, DATASETS

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
PAGE_SIZE = 50
LIMITS = {"consumer": 64, "dataset": 16, "date_from": 10, "date_to": 10, "unmasked": 1}


def _criteria(request: Request) -> dict[str, str]:
    out = {}
    for name, limit in LIMITS.items():
        value = (request.query_params.get(name) or "").strip()
        if len(value) > limit:
            raise InvalidInput(f"查询条件过长：不超过 {limit} 个字符")
        out[name] = value
    if out["dataset"] and out["dataset"] not in DATASETS:
        raise InvalidInput(f"未知数据集「{out['dataset']}」")
    return out


def _day(value: str, label: str, end: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        d = datetime.fromisoformat(value).date()
    except ValueError:
        raise InvalidInput(f"{label}「{value}」格式错误，应为 YYYY-MM-DD") from None
    return datetime.combine(d, time(0), tzinfo=CST) + timedelta(days=1 if end else 0)


def _rows(ctx, c: dict[str, str], limit: int, offset: int):
    with ctx.read() as session:
        return access.search(session, consumer=c["consumer"] or None, dataset=c["dataset"] or None,
                             since=_day(c["date_from"], "起始日期"), until=_day(c["date_to"], "结束日期", end=True),
                             unmasked_only=c["unmasked"] == "1", limit=limit, offset=offset)


@router.get("/share/access-log")
def access_log_page(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    require_role(me.actor, Role.ADMIN)
    c = _criteria(request)
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100000:
        raise InvalidInput("页码应为 1 到 100000 之间的整数")
    page_no = int(raw)
    rows = _rows(ctx, c, PAGE_SIZE + 1, (page_no - 1) * PAGE_SIZE)
    return page(request, "share_access_log.html", c=c, entries=[access.as_dict(r) for r in rows[:PAGE_SIZE]],
                more=len(rows) > PAGE_SIZE, page_no=page_no, datasets=[(d, DATASET_LABELS[d]) for d in DATASETS],
                query=urlencode({k: v for k, v in c.items() if v}))


@router.get("/share/access-log/export.csv")
def access_log_csv(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    require_role(me.actor, Role.ADMIN)
    body = access.export(_rows(ctx, _criteria(request), access.MAX_PAGE, 0), "csv")
    return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="access-log.csv"'})
