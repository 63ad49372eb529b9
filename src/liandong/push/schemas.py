"""The push API's shapes (事件推送接口)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class SubscriberCreate(BaseModel):  # 新增订阅方
    model_config = ConfigDict(extra="forbid")
    # lengths and values are checked by `Push.add`, with messages naming the subscriber's fields
    name: str = Field(max_length=1000, description="订阅方名称，如 城运中心（最多 64 个字符）")
    url: str = Field(max_length=1000, description="接收推送的网址（http/https，最多 512 个字符）")
    events: list[str] = Field(max_length=10, description="new_emergency、order_closed、warning_raised")
    key: str | None = Field(default=None, max_length=1000, description="HMAC 密钥（16–128 个字符），缺省自动生成")


class SubscriberRead(BaseModel):  # 订阅方
    name: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime
    pending: int = 0
    failed: int = 0
    delivered: int = 0


class SubscriberCreated(SubscriberRead):
    key: str = Field(description="HMAC 密钥：仅在创建时返回一次，请交给订阅方保存")


class DeliveryRead(BaseModel):  # 推送记录
    id: int
    subscriber: str
    event: str
    event_id: str = Field(description="幂等键（Idempotency-Key）")
    order_number: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_status: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


def delivery_read(row, subscriber: str) -> DeliveryRead:
    return DeliveryRead(id=row.id, subscriber=subscriber, event=row.event, event_id=row.event_id,
                        order_number=row.order_number, state=row.state, attempts=row.attempts,
                        next_attempt_at=row.next_attempt_at, last_status=row.last_status, last_error=row.last_error,
                        created_at=row.created_at, delivered_at=row.delivered_at)
