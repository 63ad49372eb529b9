"""The dispatcher's queue (派单台) at `/console/dispatch`.

The received orders waiting for a person: first the review queue (熔断: the machine was unsure,
`supervision.queries.kind_filter("review")`), then the other received orders, oldest first, each with
the machine's suggestion and its reasons (the appeal's stored `RoutingDecision`). Per order: accept
(dispatch to the suggested unit), choose another unit, 改分类定级, merge into another order, cancel —
the forms of `console.action_forms`, posted to `/console/orders/{number}/actions` like every action.
A selection is dispatched in bulk (`POST /console/dispatch/bulk`): each order in its own transaction,
so one refusal leaves the others done; the page lists which went where and which were refused, why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from liandong.appeals.tables import AppealRow
from liandong.console import action_forms
from liandong.console.deps import ConsoleRefusal, Ctx, CurrentUser, Form
from liandong.console.pages import ConsoleRoute, page
from liandong.core.errors import InvalidInput, LiandongError
from liandong.orders import present
from liandong.orders import service as orders
from liandong.orders.model import ActionCommand
from liandong.orders.states import ACTION_LABELS, Action, Status, allowed_actions
from liandong.supervision import queries as supervision

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
QUEUE_SIZE = 30  # per part of the queue; a bulk form carries at most 30 picks (the console's form limit)
ROW_ACTIONS = (Action.DISPATCH, Action.RECLASSIFY, Action.MERGE, Action.CANCEL)
ROW_LABELS = {Action.DISPATCH: "改派其他单位"}
PICK = "pick_"


@dataclass(frozen=True)
class QueueItem:
    order: object  # present.summary
    version: int
    text: str
    place: str
    decision: object  # RoutingDecision
    unit: object  # the suggested Unit, or None
    forms: tuple  # ActionForm, in ROW_ACTIONS order


@dataclass(frozen=True)
class BulkResult:
    number: str
    ok: bool
    message: str


def require_dispatcher(me) -> None:
    allowed = set(allowed_actions(me.platform, Status.RECEIVED, me.actor.role))
    if not allowed & {Action.DISPATCH, Action.RECLASSIFY}:
        raise ConsoleRefusal(403, "无权访问", "派单台仅供派单员、督办员和管理员使用。")


def _item(ctx, me, order, appeal) -> QueueItem:
    decision = action_forms.suggestion(appeal.routing)
    unit = action_forms.suggested_unit(order, decision, ctx.city, ctx.categories)
    forms = {Action(f.action): f for f in action_forms.forms_for(order, me.actor.role, ctx.city, ctx.categories, unit)}
    row = tuple(_compact(replace(forms[a], label=ROW_LABELS.get(a, forms[a].label))) for a in ROW_ACTIONS if a in forms)
    text = appeal.text if len(appeal.text) <= 140 else appeal.text[:140] + "…"
    return QueueItem(present.summary(order, appeal, ctx.city), order.version, text,
                     ctx.city.region_path(order.region) if order.region else "", decision, unit, row)


def _compact(form: action_forms.ActionForm) -> action_forms.ActionForm:
    """A queue row picks its category from the page's one list of the city's items (a datalist), not
    from a select of its own: a page of rows stays small."""
    fields = tuple(replace(f, kind="list", options=(), groups=(), placeholder="输入事项名称或编码")
                   if f.name == "category" else f for f in form.fields)
    return replace(form, fields=fields)


def queue_page(request: Request, ctx, me, code: int = 200, **extra) -> Response:
    with ctx.read() as session:
        review, review_total = supervision.received_queue(session, me.actor, me.platform, review=True,
                                                          page_size=QUEUE_SIZE)
        other, other_total = supervision.received_queue(session, me.actor, me.platform, review=False,
                                                        page_size=QUEUE_SIZE)
        review_items = [_item(ctx, me, o, a) for o, a in review]
        other_items = [_item(ctx, me, o, a) for o, a in other]
    units = action_forms.dispatchable_units(ctx.city, me.platform)
    context = dict(review=review_items, other=other_items, review_total=review_total, other_total=other_total,
                   units=units, categories=ctx.categories, notice="", error="", can_dispatch=Action.DISPATCH in
                   allowed_actions(me.platform, Status.RECEIVED, me.actor.role))
    context.update(extra)
    return page(request, "dispatch_queue.html", code, **context)


@router.get("/dispatch")
def dispatch_queue(request: Request, ctx: Ctx, me: CurrentUser, done: Annotated[str | None, Query(max_length=24)] = None,
                   n: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    require_dispatcher(me)
    notice = ""
    if done in Action._value2member_map_ and n:
        notice = f"工单 {n} 已完成「{ACTION_LABELS[Action(done)]}」。"
    return queue_page(request, ctx, me, notice=notice)


def dispatch_one(ctx, me, number: str, version: str, unit_code: str | None) -> BulkResult:
    """One order of a bulk dispatch, in a transaction of its own: to the chosen unit, or the suggested one."""
    try:
        expected = int(version)
    except ValueError:
        return BulkResult(number, False, "页面数据无效（版本号），请刷新后重试")
    try:
        with ctx.write() as session:
            order = orders.get_order(session, number)
            code = unit_code
            if code is None:
                appeal = session.get(AppealRow, order.appeal_id)
                unit = action_forms.suggested_unit(order, action_forms.suggestion(appeal.routing), ctx.city,
                                                   ctx.categories)
                if unit is None:
                    raise InvalidInput("没有可采纳的智能建议单位，请在该工单上选择承办单位后派单")
                code = unit.code
            name = ctx.city.unit(code).name
            ctx.orders.act(session, number=number, cmd=ActionCommand(Action.DISPATCH, unit=code, note=f"批量派单：{name}"),
                           actor=me.actor, platform=me.platform, now=ctx.clock.now(), expected_version=expected,
                           order=order)
    except LiandongError as exc:
        return BulkResult(number, False, exc.message)
    return BulkResult(number, True, f"已派至{name}")


@router.post("/dispatch/bulk")
def bulk_dispatch(request: Request, ctx: Ctx, me: CurrentUser, form: Form) -> Response:
    require_dispatcher(me)
    picks = [(k[len(PICK):], v) for k, v in form.items() if k.startswith(PICK) and k[len(PICK):]]
    if not picks:
        return queue_page(request, ctx, me, 422, error="请先勾选要派单的工单。")
    unit_code = form.get("unit", "").strip() or None
    results = [dispatch_one(ctx, me, number, version, unit_code) for number, version in picks]
    ok = [r for r in results if r.ok]
    refused = [r for r in results if not r.ok]
    return page(request, "dispatch_bulk.html", ok=ok, refused=refused)
