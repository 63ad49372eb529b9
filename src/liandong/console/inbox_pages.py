"""The handling unit's inbox (承办单位待办) at `/console/inbox`.

The unit's open orders (a handler's scope is their unit's orders: `orders.scope`), the least time
left first: the nearest deadline still open (签收, 答复 or 办结 — `orders.queries.next_due`), its
warning light (黄灯/红灯) and the working time left (`supervision.calendar.working_time_between`, the
city's working calendar), or 已超期. Each row opens the order, whose action forms do the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from liandong.console.deps import Ctx, CurrentUser
from liandong.console.pages import ConsoleRoute, page
from liandong.orders import present, queries
from liandong.supervision.calendar import working_time_between

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
INBOX_SIZE = 200
LIGHTS = {"yellow": "黄灯", "red": "红灯"}  # OrderRow.warning, as supervision stores it


@dataclass(frozen=True)
class InboxRow:
    order: object  # present.summary
    due_label: str
    due: datetime | None
    left: str
    left_class: str


def working_left(left: timedelta, day: timedelta) -> str:
    """Working time as people say it: 2个工作日3小时, 3小时20分, 15分钟."""
    minutes = int(left.total_seconds() // 60)
    day_minutes = max(1, int(day.total_seconds() // 60))
    days, rest = divmod(minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}个工作日" + (f"{hours}小时" if hours else "")
    if hours:
        return f"{hours}小时" + (f"{mins}分" if mins else "")
    return f"{mins}分钟"


def _row(ctx, order, appeal, now: datetime) -> InboxRow:
    nearest = queries.next_due(order)
    view = present.summary(order, appeal, ctx.city)
    if nearest is None:
        return InboxRow(view, "", None, "无时限", "")
    label, due = nearest
    if due <= now:
        return InboxRow(view, label, due, "已超期", "overdue")
    left = working_time_between(now, due, ctx.calendar)
    soon = left <= ctx.calendar.day_length() / 2
    return InboxRow(view, label, due, "剩余 " + working_left(left, ctx.calendar.day_length()), "soon" if soon else "")


@router.get("/inbox")
def inbox(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    now = ctx.clock.now()
    with ctx.read() as session:  # the same scope as the API: a handler sees their unit's orders only
        rows = [_row(ctx, o, a, now) for o, a in queries.inbox(session, me.actor, me.platform, limit=INBOX_SIZE)]
    unit = ctx.city.units.get(me.actor.unit) if me.actor.unit else None
    return page(request, "inbox_list.html", rows=rows, unit_name=unit.name if unit else "", lights=LIGHTS)
