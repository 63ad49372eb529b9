"""The standard data format (工单警单标准数据格式) the seeds ask for, as JSON Schema.

Published at `GET /api/v1/schemas/{name}` and written to `docs/schemas/` by `liandong schemas --out`.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from liandong.intake.schemas import AppealCreate
from liandong.orders.schemas import EventRead, OrderRead
from liandong.regions.registry import Region, Unit


class WorkOrder(OrderRead):  # 工单（12345）
    """A 12345 work order: numbered GD-<region>-<yyyymmdd>-<serial>."""


class PoliceOrder(OrderRead):  # 警单（110）
    """A 110 police order: numbered JD-<region>-<yyyymmdd>-<serial>."""


class Appeal(AppealCreate):  # 诉求
    """An appeal as received, before routing."""


class AuditEvent(EventRead):  # 审计记录
    """One append-only line of an order's audit trail."""


SCHEMAS: dict[str, type[BaseModel]] = {
    "appeal": Appeal,
    "work_order": WorkOrder,
    "police_order": PoliceOrder,
    "unit": Unit,
    "region": Region,
    "audit_event": AuditEvent,
}


def json_schema(name: str) -> dict:
    schema = SCHEMAS[name].model_json_schema()
    schema["$id"] = f"https://liandong.example/schemas/{name}.json"
    return schema
