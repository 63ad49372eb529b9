"""Work orders and police orders: list, read, act, audit trail."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import Field, StrictBool
from sqlalchemy.exc import IntegrityError

from liandong.api.contract import errors
from liandong.api.deps import Ctx, CurrentCaller
from liandong.api.idempotent import IDEMPOTENCY_DOC, IdempotencyKey, replayed
from liandong.api.paging import Day, Paging
from liandong.appeals.tables import AppealRow
from liandong.core.errors import Conflict
from liandong.orders import audit, present, queries
from liandong.orders import service as orders
from liandong.orders.schemas import ActionRequest, EventRead, OrderPage, OrderRead
from liandong.orders.scope import require_view
from liandong.orders.states import Status
from liandong.storage import idempotency

router = APIRouter(tags=["工单 orders"])


class ActionBody(ActionRequest):  # 操作（JSON）
    """The console's form sends "true"/"false" as text into `ActionRequest`; JSON sends booleans, and
    only booleans: `0.0` or `"yes"` was read as false/true while the schema said boolean."""

    satisfied: StrictBool | None = Field(default=None, description="回访：是否满意（true 或 false）")
    solved: StrictBool | None = Field(default=None, description="回访：问题是否解决（true 或 false）")


SCOPED = errors(403)  # an order outside the caller's unit, region or platform


@router.get("/orders", response_model=OrderPage, summary="工单/警单列表（按权限范围）")
def list_orders(
    ctx: Ctx, caller: CurrentCaller, paged: Paging,
    status: Annotated[Status | None, Query(description="工单状态")] = None,
    platform: Annotated[Literal["12345", "110"] | None, Query(description="平台")] = None,
    unit: str | None = None, region: str | None = None, category: str | None = None, warning: str | None = None,
    date_from: Annotated[date | None, Day] = None, date_to: Annotated[date | None, Day] = None,
) -> OrderPage:
    page, page_size = paged.page, paged.page_size
    f = queries.OrderFilter(status=status.value if status else None, platform=platform, unit=unit, region=region, category=category,
                            warning=warning, date_from=date_from, date_to=date_to, page=page, page_size=page_size)
    with ctx.read() as session:
        rows, total = queries.list_orders(session, caller.actor, caller.platform, f)
        items = [present.summary(o, a, ctx.city) for o, a in rows]
    return OrderPage(items=items, total=total, page=page, page_size=page_size)


@router.get("/orders/{number}", response_model=OrderRead, summary="工单详情", responses=SCOPED)
def get_order(number: str, ctx: Ctx, caller: CurrentCaller) -> OrderRead:
    with ctx.read() as session:
        order = orders.get_order(session, number)
        require_view(caller.actor, caller.platform, order)
        appeal = session.get(AppealRow, order.appeal_id)
        return present.detail(order, appeal, ctx.city, caller.actor)


@router.post("/orders/{number}/actions", response_model=OrderRead, summary="办理操作（派单、签收、答复、办结、退单…）",
             description=IDEMPOTENCY_DOC, responses=errors(403, 409))
def act_on_order(number: str, body: ActionBody, ctx: Ctx, caller: CurrentCaller,
                 key: IdempotencyKey = None) -> OrderRead:
    cmd = body.command()
    now = ctx.clock.now()
    k = idempotency.keyed(key, user=caller.actor.name, endpoint=f"POST /orders/{number}/actions",
                          request=body.model_dump_json())
    try:
        with ctx.write() as session:
            replay = idempotency.find(session, k, now) if k is not None else None
            if replay is not None:
                return replayed(replay)
            order = ctx.orders.act(session, number=number, cmd=cmd, actor=caller.actor, platform=caller.platform,
                                   now=now, expected_version=body.expected_version)
            appeal = session.get(AppealRow, order.appeal_id)
            detail = present.detail(order, appeal, ctx.city, caller.actor)
            if k is None:
                return detail
            answer = idempotency.Answer(200, detail.model_dump_json())
            idempotency.remember(session, k, answer, now)
    except (Conflict, IntegrityError):
        if k is None:
            raise
        with ctx.read() as session:  # the same key, committed meanwhile by another worker: its answer
            replay = idempotency.find(session, k, now)
        if replay is None:
            raise
        return replayed(replay)
    return replayed(answer)


@router.get("/orders/{number}/events", response_model=list[EventRead], summary="审计记录（只增不改）", responses=SCOPED,
            description="响应头 `X-Audit-Chain`：`verified` 表示该单的哈希链核验一致；`broken; seq=N` 表示第 N 条起被改动。")
def order_events(number: str, ctx: Ctx, caller: CurrentCaller, response: Response) -> list[EventRead]:
    with ctx.read() as session:
        order = orders.get_order(session, number)
        require_view(caller.actor, caller.platform, order)
        events = orders.events_of(session, order)
        broken = audit.check_chain(order.number, order.last_event_seq, events)
        response.headers["X-Audit-Chain"] = "verified" if broken is None else f"broken; seq={broken.seq}"
        return [present.event(e) for e in events]
