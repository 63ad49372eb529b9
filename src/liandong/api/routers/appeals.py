"""Intake and routing endpoints."""

from __future__ import annotations

import time

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool

from liandong.api import ops
from liandong.api.contract import errors
from liandong.api.deps import Ctx, CurrentCaller
from liandong.api.idempotent import IDEMPOTENCY_DOC, IdempotencyKey, replayed
from liandong.core.actors import Role, require_role
from liandong.core.errors import LiandongError
from liandong.core.types import Channel
from liandong.intake.schemas import (
    HAN_SCHEMA,
    MAX_TEXT,
    AppealCreate,
    AppealCreated,
    RelatedRef,
    RoutingRead,
    chinese_text,
    no_region_if_blank,
)
from liandong.orders import present
from liandong.storage import idempotency

router = APIRouter(tags=["诉求受理 intake"])
INTAKE_ROLES = (Role.OPERATOR, Role.DISPATCHER, Role.POLICE)


def routing_read(routing: dict) -> RoutingRead:
    return RoutingRead(
        services=list(routing.get("services") or []), category=routing.get("category_name"),
        category_code=routing.get("category_code"), kind=routing.get("kind"), unit=routing.get("unit"),
        unit_function=routing.get("unit_function"), level=routing.get("level") or "一般",
        level_reasons=list(routing.get("level_reasons") or []), confidence=float(routing.get("confidence") or 0.0),
        reasons=list(routing.get("reasons") or []), review=bool(routing.get("review")), place=routing.get("place"),
    )


@router.post("/appeals", status_code=201, response_model=AppealCreated, summary="受理诉求：分流并开单",
             description=IDEMPOTENCY_DOC, responses=errors(403, 409, 429, 503))
async def create_appeal(body: AppealCreate, ctx: Ctx, caller: CurrentCaller, key: IdempotencyKey = None) -> Response:
    """Checked here (a refusal costs no queueing), then stored by the intake queue with whatever
    else arrived at the same moment (`intake.queue`). The answer is built as `AppealCreated` and
    serialised once, by pydantic, not validated a second time against the response model.
    With an Idempotency-Key the answer is built in the intake transaction and stored with the key."""
    require_role(caller.actor, *INTAKE_ROLES)
    started = time.perf_counter()
    now = ctx.clock.now()
    k = idempotency.keyed(key, user=caller.actor.name, endpoint="POST /appeals", request=body.model_dump_json(),
                          answer=_created)
    if k is not None:  # a retry answered without queueing (checked again in the transaction), off the event loop
        replay = await run_in_threadpool(_stored_answer, ctx, k, now)
        if replay is not None:
            return replayed(replay)
    try:
        ctx.intake.check(body, now=now)
    except LiandongError as exc:
        ops.count_refusal(ctx, body, exc)
        raise
    ops.limit_intake(ctx, caller, body)
    result = await ctx.intake_queue.submit(body, actor=caller.actor, platform=caller.platform, now=now, keyed=k)
    ops.count_intake(ctx, body, result, started)
    if k is not None:
        return replayed(result)
    status, text = _created(result)
    return Response(text, status_code=status, media_type="application/json")


def _stored_answer(ctx, k, now):
    with ctx.read() as session:
        return idempotency.find(session, k, now)


def _created(result) -> tuple[int, str]:
    appeal, orders = result
    related = [RelatedRef(**r) for r in (appeal.routing or {}).get("related", [])]
    created = AppealCreated(appeal_id=appeal.id, routing=routing_read(appeal.routing),
                            orders=[present.ref(o) for o in orders], related=related,
                            knowledge=(appeal.routing or {}).get("knowledge", []))
    return 201, created.model_dump_json()


class RouteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="诉求内容（须含中文）", json_schema_extra=HAN_SCHEMA)
    channel: Channel = Channel.DESK_12345
    region: str | None = None

    _region = field_validator("region", mode="before")(no_region_if_blank)
    _text = field_validator("text")(chinese_text)


@router.post("/route", response_model=RoutingRead, summary="试分流：只给出分流结果，不开单")
def route_only(body: RouteRequest, ctx: Ctx, caller: CurrentCaller) -> RoutingRead:
    if body.region:
        ctx.city.region(body.region)
    appeal = AppealCreate.model_construct(channel=body.channel, text=body.text, region=body.region, address=None)
    return routing_read(ctx.intake.route([appeal])[0].to_dict())
