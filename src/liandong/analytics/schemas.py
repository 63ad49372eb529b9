"""API shapes of analytics (统计分析), named by role."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from liandong.analytics.service import Row, Table
from liandong.analytics.tables import WarningRow
from liandong.analytics.warnings import KIND_LABELS


class FigureRead(BaseModel):
    code: str
    name: str
    numerator: int
    denominator: int
    rate: float | None = Field(description="比率（0–1）；无数据时为空")
    higher_is_better: bool
    available: bool = Field(description="false：该指标需要未提供的数据（如话务数据）")


class KpiRowRead(BaseModel):
    key: str
    label: str
    rank: int | None
    score: float | None = Field(description="综合得分（0–100，按权重）")
    figures: list[FigureRead]


class KpiTableRead(BaseModel):
    period: str
    period_title: str
    group: str
    composite: str
    total: KpiRowRead
    rows: list[KpiRowRead]


class TrendPointRead(BaseModel):
    period: str
    title: str
    figures: list[FigureRead]
    score: float | None


class DrillRead(BaseModel):
    code: str
    part: str
    total: int
    orders: list[dict]


class WarningRead(BaseModel):
    id: int
    kind: str
    kind_label: str
    place: str
    place_name: str
    category: str
    day: str
    count: int
    expected: float
    p_value: float
    orders: list[str]
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    acknowledged_note: str | None


class AcknowledgeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(default="", max_length=500)


def row_read(row: Row) -> KpiRowRead:
    return KpiRowRead(key=row.key, label=row.label, rank=row.rank, score=row.score,
                      figures=[FigureRead(**vars(f)) for f in row.figures.values()])


def table_read(table: Table) -> KpiTableRead:
    return KpiTableRead(period=table.period.label, period_title=table.period.title, group=table.group,
                        composite=table.composite_name, total=row_read(table.total),
                        rows=[row_read(r) for r in table.rows])


def warning_read(w: WarningRow) -> WarningRead:
    return WarningRead(id=w.id, kind=w.kind, kind_label=KIND_LABELS.get(w.kind, w.kind), place=w.place,
                       place_name=w.place_name, category=w.category, day=w.day, count=w.count, expected=w.expected,
                       p_value=w.p_value, orders=list(w.orders or []), acknowledged_by=w.acknowledged_by,
                       acknowledged_at=w.acknowledged_at, acknowledged_note=w.acknowledged_note)
