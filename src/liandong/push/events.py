"""Which order events are pushed (推送事件) and what a webhook carries. Pure.

    new_emergency   an order opened that is an emergency: a police order (警单), or any level above 一般
                    (the same rule as the board's 紧急 list, `orders.queries`)
    order_closed    an order reached 已办结 / 已结警
    warning_raised  a 催办 or 督办 was issued on an order (supervision does so when its light turns yellow/red)

The body holds no personal data — no caller, no text, no address; only the order's public facts. It is
fixed when the event happens, so every attempt sends the same bytes and the same signature.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import orjson

from liandong.core.clock import as_cst

SIGNATURE_HEADER = "X-Liandong-Signature"
EVENT_HEADER = "X-Liandong-Event"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class EventKind(StrEnum):  # 推送事件
    NEW_EMERGENCY = "new_emergency"  # 新紧急事件
    ORDER_CLOSED = "order_closed"  # 工单办结
    WARNING_RAISED = "warning_raised"  # 预警（催办/督办）


EVENT_LABELS = {EventKind.NEW_EMERGENCY: "新紧急事件", EventKind.ORDER_CLOSED: "工单办结",
                EventKind.WARNING_RAISED: "预警（催办/督办）"}


@dataclass(frozen=True)
class OrderFacts:  # the public facts of an order at the moment of the event
    number: str
    platform: str
    status: str
    category_code: str | None
    category_name: str | None
    level: str
    region: str | None
    unit: str | None
    warning: str | None


def kind_of(*, opened: bool, platform: str, level: str, to_status: str | None, action: str | None) -> EventKind | None:
    if opened:
        return EventKind.NEW_EMERGENCY if platform == "110" or level != "一般" else None
    if to_status == "closed" and action == "close":
        return EventKind.ORDER_CLOSED
    if action in ("urge", "supervise"):
        return EventKind.WARNING_RAISED
    return None


def body(kind: EventKind, *, event_id: str, order: OrderFacts, at: datetime, action: str | None,
         platform: str) -> bytes:
    return orjson.dumps({
        "id": event_id, "type": kind.value, "label": EVENT_LABELS[kind], "occurred_at": as_cst(at).isoformat(),
        "source": platform, "action": action,
        "order": {"number": order.number, "platform": order.platform, "status": order.status,
                  "category_code": order.category_code, "category_name": order.category_name, "level": order.level,
                  "region": order.region, "unit": order.unit, "warning": order.warning},
    })


def sign(key: str, raw: bytes) -> str:
    """`sha256=<hex>`: HMAC-SHA256 over the exact body bytes, as the subscriber receives them."""
    return "sha256=" + hmac.new(key.encode(), raw, hashlib.sha256).hexdigest()


def verify(key: str, raw: bytes, header: str | None) -> bool:
    return bool(header) and hmac.compare_digest(sign(key, raw), header)


def headers(*, key: str, raw: bytes, event_id: str, kind: str, delivery_id: int, attempt: int) -> dict[str, str]:
    return {"Content-Type": "application/json", SIGNATURE_HEADER: sign(key, raw), IDEMPOTENCY_HEADER: event_id,
            EVENT_HEADER: kind, "X-Liandong-Delivery": str(delivery_id), "X-Liandong-Attempt": str(attempt)}
