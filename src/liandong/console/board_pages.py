"""The supervisor's board (督办台) at `/console/board`: the counts of `supervision.queries.overview`,
the list of each kind under them (htmx tabs, paginated), approvals of 退单审核 and 延期审批 inline,
催办 and 督办 with a note, and the bounce chain (推诿研判) of an order as a timeline.

Every action goes through `ctx.orders.act`, as `POST /api/v1/orders/{n}/actions` does; the buttons a
row offers are exactly `allowed_actions(platform, status, role)` among the board's actions.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from liandong.api.errors import STATUS
from liandong.console.deps import Ctx, CurrentUser, Form, require_view
from liandong.console.pages import ConsoleRoute, page
from liandong.core.actors import Role, require_role
from liandong.core.errors import LiandongError
from liandong.orders import present
from liandong.orders import service as orders
from liandong.orders.model import ActionCommand
from liandong.orders.states import (
    ACTION_LABELS,
    Action,
    Status,
    allowed_actions,
    rule_for,
)
from liandong.supervision import queries
from liandong.supervision.bounces import ChainKind, detect_bounce
from liandong.supervision.service import bounce_chain

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
PAGE_SIZE = 20
SUPERVISING = (Role.SUPERVISOR, Role.DISPATCHER)  # as GET /api/v1/supervision/*; an admin has every role
BOARD_KINDS = {  # the counts at the top, in this order, and the tab each opens
    "return_pending": "退单待审核", "extension_pending": "延期待审批", "warning": "黄灯预警", "overdue": "红灯超期",
    "chased": "已催办", "supervised": "已督办", "bounce": "推诿", "repeat_unresolved": "重复来电未解决",
    "mass": "群诉",
}
PENDING = ("return_pending", "extension_pending")  # 待审批
BOARD_ACTIONS = (Action.APPROVE_RETURN, Action.REJECT_RETURN, Action.APPROVE_EXTENSION, Action.REJECT_EXTENSION,
                 Action.URGE, Action.SUPERVISE)
DANGER = {Action.REJECT_RETURN, Action.REJECT_EXTENSION, Action.SUPERVISE}


def _row_actions(platform: str, status: str, role: Role) -> list[dict]:
    allowed = allowed_actions(platform, Status(status), role)
    return [{"value": a.value, "label": ACTION_LABELS[a], "needs_note": "note" in rule_for(platform, Status(status), a).needs,
             "danger": a in DANGER}
            for a in BOARD_ACTIONS if a in allowed]


def _board(ctx, me, kind: str, page_no: int) -> dict:
    with ctx.read() as session:
        counts = queries.overview(session, me.actor, me.platform)
        rows, total = queries.list_kind(session, me.actor, me.platform, kind, page=page_no, page_size=PAGE_SIZE)
        items = [{"o": present.summary(o, a, ctx.city), "version": o.version,
                  "pending_days": o.pending_extension_days,
                  "actions": _row_actions(o.platform, o.status, me.actor.role)} for o, a in rows]
    return dict(counts=counts, kinds=BOARD_KINDS, pending=sum(counts[k] for k in PENDING), kind=kind,
                kind_label=BOARD_KINDS[kind], items=items, total=total, page_no=page_no,
                pages=max(1, -(-total // PAGE_SIZE)), notice="", error="", error_number="")


def _answer(request: Request, context: dict, code: int = 200) -> Response:
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "board":
        return page(request, "board_body.html", 200 if code < 500 else code, **context)  # htmx swaps 200s only
    return page(request, "board_page.html", code, **context)


def _kind(raw: str | None) -> str:
    return raw if raw in BOARD_KINDS else "return_pending"


@router.get("/board")
def board(request: Request, ctx: Ctx, me: CurrentUser, kind: Annotated[str | None, Query(max_length=24)] = None,
          page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1) -> Response:
    require_role(me.actor, *SUPERVISING)
    return _answer(request, _board(ctx, me, _kind(kind), page_no))


@router.post("/board/act")
def board_act(request: Request, ctx: Ctx, me: CurrentUser, form: Form) -> Response:
    """One action on one row: 退单审核, 延期审批 (reject needs a note), 催办, 督办 (needs a note)."""
    require_role(me.actor, *SUPERVISING)
    kind, number, note = _kind(form.get("kind")), form.get("number", "").strip()[:40], form.get("note", "").strip()
    page_no = int(form["page"]) if form.get("page", "").isdigit() and 0 < int(form["page"]) <= 100000 else 1
    error, code = "", 200
    try:
        action = Action(form.get("action", ""))
        if action not in BOARD_ACTIONS:
            raise ValueError
    except ValueError:
        action, error, code = None, "督办台不提供该操作", 422
    version = form.get("version", "")
    if action is not None and len(note) > 500:
        error, code = "说明不超过 500 字", 422
    elif action is not None and not version.isdigit():
        error, code = "缺少工单版本号，请刷新页面后重试", 422
    elif action is not None:
        cmd = ActionCommand(action=action, note=note)
        try:
            with ctx.write() as session:
                ctx.orders.act(session, number=number, cmd=cmd, actor=me.actor, platform=me.platform,
                               now=ctx.clock.now(), expected_version=int(version))
        except LiandongError as exc:  # the transaction rolled back: nothing half-written
            error, code = exc.message, next((s for cls, s, _ in STATUS if isinstance(exc, cls)), 400)
    context = _board(ctx, me, kind, page_no)
    if error:
        context.update(error=error, error_number=number)
    else:
        context.update(notice=f"工单 {number} 已{ACTION_LABELS[action]}")
    return _answer(request, context, code)


@router.get("/board/chain/{number}")
def chain(request: Request, ctx: Ctx, me: CurrentUser, number: Annotated[str, Path(max_length=40)]) -> Response:
    """The order's 派单/退单 chain and the 推诿 verdict, as `GET /api/v1/orders/{n}/chain` computes them."""
    with ctx.read() as session:
        order = orders.get_order(session, number)
        require_view(me.actor, me.platform, order)
        b = ctx.time_policy.bounce
        report = detect_bounce(bounce_chain(session, order), max_transfers=b.max_transfers, max_returns=b.max_returns)
        title, status = order.title, order.status
    units = ctx.city.units
    links = [{"step": link.step, "kind": link.event.kind.value,
              "label": ("转办" if link.transfer else "派单") if link.event.kind is ChainKind.ASSIGN else "退单",
              "unit": units[link.event.unit].name if link.event.unit in units else link.event.unit,
              "at": link.event.at, "note": link.event.note, "transfer": link.transfer} for link in report.chain]
    return page(request, "board_chain.html", number=number, title=title, status=status, report=report, links=links,
                max_transfers=b.max_transfers, max_returns=b.max_returns)
