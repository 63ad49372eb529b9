"""The portal's staff side: a unit approves a handled appeal for the public list (办理情况公开)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from liandong.api.contract import errors
from liandong.api.deps import Ctx, CurrentCaller

router = APIRouter(tags=["市民端 portal"], responses=errors(403))


class PublicationCreate(BaseModel):  # 同意公开
    model_config = ConfigDict(extra="forbid")
    order_number: str = Field(min_length=1, max_length=40, description="工单编号")
    with_photos: bool = Field(default=False, description="是否同时公开现场照片（已去除位置信息）")


class PublicationRead(BaseModel):  # 公开案例
    id: int
    order_number: str
    category_name: str | None
    street_name: str | None
    unit_name: str | None
    title: str
    text: str
    reply: str
    photos: int
    approved_by: str
    approved_at: datetime


@router.post("/portal/publications", status_code=201, response_model=PublicationRead,
             summary="同意公开办理情况：脱敏后进入市民端公开列表（承办单位、督办员、管理员）",
             responses=errors(404, 409))
def publish(body: PublicationCreate, ctx: Ctx, caller: CurrentCaller) -> PublicationRead:
    row = ctx.public_cases.publish(body.order_number.strip(), actor=caller.actor, with_photos=body.with_photos,
                                   now=ctx.clock.now())
    return PublicationRead(id=row.id, order_number=row.order_number, category_name=row.category_name,
                           street_name=row.street_name, unit_name=row.unit_name, title=row.title, text=row.text,
                           reply=row.reply, photos=len(row.photos or []), approved_by=row.approved_by,
                           approved_at=row.approved_at)
