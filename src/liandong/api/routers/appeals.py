"""Intake and routing endpoints."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from liandong.api.deps import Ctx, CurrentCaller
from liandong.core.actors import Role, require_role
from liandong.core.types import Channel
from liandong.intake.schemas import MAX_TEXT, AppealCreate, AppealCreated, RelatedRef, RoutingRead, no_region_if_blank
from liandong.orders import present

router = APIRouter(tags=["诉求受理 intake"])
INTAKE_ROLES = (Role.OPERATOR, Role.DISPATCHER, Role.POLICE)


def routing_read(routing: dict) -> RoutingRead:
    return RoutingRead(
        services=list(routing.get("services") or []), category=routing.get("category_name"),
        category_code=routing.get("category_code"), kind=routing.get("kind"), unit=routing.get("unit"),
        unit_function=routing.get("unit_function"), level=routing.get("level") or "一般",
        level_reasons=list(routing.get("level_reasons") or []), confidence=float(routing.get("confidence") or 0.0),
        reasons=list(routing.get("reasons") or []), review=bool(routing.get("review")),
    )


@router.post("/appeals", status_code=201, response_model=AppealCreated, summary="受理诉求：分流并开单")
async def create_appeal(body: AppealCreate, ctx: Ctx, caller: CurrentCaller) -> Response:
    """Checked here (a refusal costs no queueing), then stored by the intake queue with whatever
    else arrived at the same moment (`intake.queue`). The answer is built as `AppealCreated` and
    serialised once, by pydantic, not validated a second time against the response model."""
    require_role(caller.actor, *INTAKE_ROLES)
    now = ctx.clock.now()
    ctx.intake.check(body, now=now)
    appeal, orders = await ctx.intake_queue.submit(body, actor=caller.actor, platform=caller.platform, now=now)
    related = [RelatedRef(**r) for r in (appeal.routing or {}).get("related", [])]
    created = AppealCreated(appeal_id=appeal.id, routing=routing_read(appeal.routing),
                            orders=[present.ref(o) for o in orders], related=related)
    return Response(created.model_dump_json(), status_code=201, media_type="application/json")


class RouteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    channel: Channel = Channel.DESK_12345
    region: str | None = None

    _region = field_validator("region", mode="before")(no_region_if_blank)


@router.post("/route", response_model=RoutingRead, summary="试分流：只给出分流结果，不开单")
def route_only(body: RouteRequest, ctx: Ctx, caller: CurrentCaller) -> RoutingRead:
    if body.region:
        ctx.city.region(body.region)
    decision = ctx.router.route(body.text, body.channel.value, body.region).to_dict()
    unit = ctx.city.unit_for(decision["unit_function"], body.region) if decision.get("unit_function") else None
    decision["unit"] = unit.code if unit else None
    return routing_read(decision)
