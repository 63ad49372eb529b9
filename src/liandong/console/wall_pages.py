"""The operations centre's wall (城运中心大屏) at `/console/wall`: read-only and full-screen, for the
supervisors and admins. Live counts per desk, status and level; the latest emergencies and joint
orders; the busiest streets today. Each panel is a fragment that htmx fetches again every 10 s.

Every number is one GROUP BY in `orders.queries`, within the viewer's scope (`orders.scope`).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from liandong.console.deps import ConsoleRefusal, Ctx, CurrentUser
from liandong.console.pages import ConsoleRoute, page
from liandong.core.actors import Role, require_role
from liandong.core.clock import CST
from liandong.core.types import Level
from liandong.orders import queries
from liandong.orders.states import STATUS_LABELS, Status

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
REFRESH = "every 10s"
PARTS = ("counts", "latest", "streets")
DESKS = ("12345", "110", "119", "120")


def _today(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(CST).date(), time.min, CST)


def _counts(session, me) -> dict:
    by_platform = queries.counts_by(session, me.actor, me.platform, "platform")
    open_platform = queries.counts_by(session, me.actor, me.platform, "platform", open_only=True)
    by_status = queries.counts_by(session, me.actor, me.platform, "status")
    by_level = queries.counts_by(session, me.actor, me.platform, "level", open_only=True)
    desks = [{"code": d, "total": by_platform.get(d, 0), "open": open_platform.get(d, 0)} for d in DESKS
             if d in by_platform or d == me.platform]
    statuses = [{"code": s.value, "label": STATUS_LABELS[s], "n": by_status[s.value]} for s in Status
                if by_status.get(s.value)]
    levels = [{"code": lv.value, "n": by_level.get(lv.value, 0)} for lv in Level]
    return dict(desks=desks, statuses=statuses, levels=levels, total=sum(by_platform.values()))


def _latest(session, me, city) -> dict:
    def rows(which: str) -> list[dict]:
        return [{"number": o.number, "title": o.title, "level": o.level, "platform": o.platform,
                 "status": STATUS_LABELS[Status(o.status)], "at": o.created_at,
                 "place": city.region_path(o.region) if o.region else "—", "linked": o.linked_order}
                for o in queries.latest(session, me.actor, me.platform, which, limit=6)]
    return dict(emergencies=rows("emergency"), joint=rows("joint"))


def _streets(session, me, city, now: datetime) -> dict:
    busiest = queries.busiest_streets(session, me.actor, me.platform, _today(now), limit=8)
    top = busiest[0][1] if busiest else 1
    return dict(streets=[{"code": code, "name": city.region_path(code) if code in city.regions else code, "n": n,
                          "pct": round(100 * n / top)} for code, n in busiest])


def _context(ctx, me, part: str) -> dict:
    now = ctx.clock.now()
    with ctx.read() as session:
        if part == "counts":
            data = _counts(session, me)
        elif part == "latest":
            data = _latest(session, me, ctx.city)
        else:
            data = _streets(session, me, ctx.city, now)
    return dict(part=part, refresh=REFRESH, now=now, **data)


@router.get("/wall")
def wall(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    require_role(me.actor, Role.SUPERVISOR)
    parts = {p: _context(ctx, me, p) for p in PARTS}
    return page(request, "wall_page.html", parts=parts, now=ctx.clock.now(), refresh=REFRESH)


@router.get("/wall/{part}")
def wall_part(request: Request, ctx: Ctx, me: CurrentUser, part: Annotated[str, Path(max_length=16)]) -> Response:
    require_role(me.actor, Role.SUPERVISOR)
    if part not in PARTS:
        raise ConsoleRefusal(404, "未找到", "大屏没有这个板块。")
    return page(request, "wall_part.html", p=_context(ctx, me, part))
