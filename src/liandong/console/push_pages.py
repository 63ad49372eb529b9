"""Event push (事件推送) for administrators at `/console/push`: the subscribers with their pending, failed and
delivered counts, the deliveries that failed (with the last error) and a button to try one again — over
the same `Push` functions as `GET /api/v1/push/…`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from liandong.api.errors import STATUS
from liandong.console.deps import Ctx, CurrentUser, Form
from liandong.console.pages import ConsoleRoute, page
from liandong.core.actors import Role, require_role
from liandong.core.errors import LiandongError
from liandong.push.events import EVENT_LABELS, EventKind
from liandong.push.tables import DeliveryState

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
STATE_LABELS = {DeliveryState.PENDING: "待推送", DeliveryState.SENDING: "推送中", DeliveryState.DELIVERED: "已送达",
                DeliveryState.FAILED: "推送失败"}


def _page(request: Request, ctx, code: int = 200, **extra) -> Response:
    with ctx.read() as session:
        subscribers = ctx.push.subscribers(session)
        failed = ctx.push.deliveries(session, state=DeliveryState.FAILED, limit=100)
        recent = ctx.push.deliveries(session, limit=30)
    return page(request, "push_page.html", code, subscribers=subscribers, failed=failed, recent=recent,
                events={k.value: v for k, v in EVENT_LABELS.items()}, states=STATE_LABELS, kinds=list(EventKind),
                **{"error": None, "notice": None, **extra})


@router.get("/push")
def push_page(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    require_role(me.actor, Role.ADMIN)
    return _page(request, ctx)


@router.post("/push/requeue")
def requeue(request: Request, ctx: Ctx, me: CurrentUser, form: Form) -> Response:
    require_role(me.actor, Role.ADMIN)
    raw = form.get("delivery", "").strip()
    if not raw.isdigit() or len(raw) > 18:
        return _page(request, ctx, 422, error="推送记录编号应为数字")
    try:
        with ctx.write() as session:
            ctx.push.requeue(session, int(raw), now=ctx.clock.now())
    except LiandongError as exc:
        return _page(request, ctx, next((s for cls, s, _ in STATUS if isinstance(exc, cls)), 400), error=exc.message)
    return _page(request, ctx, notice=f"推送记录 {raw} 已重新排队")
