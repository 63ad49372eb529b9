"""Event push administration (事件推送管理): subscribers, deliveries and failures — administrators only."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from liandong.api.contract import errors
from liandong.api.deps import Ctx, CurrentCaller
from liandong.core.actors import Role, require_role
from liandong.push.schemas import DeliveryRead, SubscriberCreate, SubscriberCreated, SubscriberRead, delivery_read
from liandong.push.tables import DeliveryState

router = APIRouter(prefix="/push", tags=["事件推送 push"], responses=errors(403))  # administrators only
State = Literal[DeliveryState.ALL]  # the service refuses any other, so the schema says so


@router.get("/subscribers", response_model=list[SubscriberRead], summary="订阅方列表（含待推送、失败、已送达数）")
def list_subscribers(ctx: Ctx, caller: CurrentCaller) -> list[SubscriberRead]:
    require_role(caller.actor, Role.ADMIN)
    with ctx.read() as session:
        return [SubscriberRead(**asdict(v)) for v in ctx.push.subscribers(session)]


@router.post("/subscribers", status_code=201, response_model=SubscriberCreated, summary="新增订阅方（返回一次 HMAC 密钥）", responses=errors(409))
def add_subscriber(body: SubscriberCreate, ctx: Ctx, caller: CurrentCaller) -> SubscriberCreated:
    require_role(caller.actor, Role.ADMIN)
    with ctx.write() as session:
        row, key = ctx.push.add(session, name=body.name, url=body.url, events=body.events, key=body.key,
                                now=ctx.clock.now())
        return SubscriberCreated(name=row.name, url=row.url, events=list(row.events), active=row.active,
                                 created_at=row.created_at, key=key)


@router.delete("/subscribers/{name}", summary="删除订阅方（未送达的推送记为失败）")
def remove_subscriber(name: str, ctx: Ctx, caller: CurrentCaller) -> dict:
    require_role(caller.actor, Role.ADMIN)
    with ctx.write() as session:
        cancelled = ctx.push.remove(session, name, now=ctx.clock.now())
    return {"removed": name, "cancelled": cancelled}


@router.get("/deliveries", response_model=list[DeliveryRead], summary="推送记录（可按状态 failed 查看失败）")
def list_deliveries(ctx: Ctx, caller: CurrentCaller,
                    state: Annotated[State | None, Query(description="推送状态")] = None,
                    subscriber: Annotated[str | None, Query(max_length=64)] = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[DeliveryRead]:
    require_role(caller.actor, Role.ADMIN)
    with ctx.read() as session:
        return [delivery_read(d, n) for d, n in ctx.push.deliveries(session, state=state, subscriber=subscriber, limit=limit)]


@router.post("/deliveries/{delivery_id}/requeue", summary="重推一条失败的推送")
def requeue(delivery_id: int, ctx: Ctx, caller: CurrentCaller) -> dict:
    require_role(caller.actor, Role.ADMIN)
    with ctx.write() as session:
        ctx.push.requeue(session, delivery_id, now=ctx.clock.now())
    return {"requeued": delivery_id}
