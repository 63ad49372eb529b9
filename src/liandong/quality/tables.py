"""Call records, inspections and their findings as stored (质检).

An order has at most one call record (来电记录). Each inspection of a call or a reply is a row; a newer
inspection of the same record (a new reply after 重办) clears `current` on the older one, so roll-ups
count each order once while the history stays. The columns the roll-ups group on (operator, unit,
category, day, month) are copied onto the inspection when it is written, so every figure is one
GROUP BY over one table. A finding's verdict (confirmed / overridden) is the person's; the machine's
finding is never changed, so precision per rule is a count over the verdicts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from liandong.storage.base import Base, Moment


class CallRecordRow(Base):
    __tablename__ = "quality_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    transcript: Mapped[list] = mapped_column(JSON, default=list)  # [{speaker, start, end, text}]
    notes: Mapped[str] = mapped_column(Text, default="")
    hangup_by: Mapped[str | None] = mapped_column(String(10))
    operator: Mapped[str | None] = mapped_column(String(64))  # who took the call
    source: Mapped[str] = mapped_column(String(12))  # intake / api / import
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Moment())


class InspectionRow(Base):
    __tablename__ = "quality_inspections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    record: Mapped[str] = mapped_column(String(8))  # call / reply
    template: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(8))  # pass / review / fail
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    text: Mapped[str] = mapped_column(Text, default="")  # the reply inspected (a call's text is its record)
    fingerprint: Mapped[str | None] = mapped_column(String(16))  # exact-copy key of the reply (copies.fingerprint)
    applied: Mapped[list] = mapped_column(JSON, default=list)
    # -- what the roll-ups group on, copied at inspection time
    operator: Mapped[str | None] = mapped_column(String(64))
    unit: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(128))
    region: Mapped[str | None] = mapped_column(String(12))
    day: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD, Beijing time
    month: Mapped[str] = mapped_column(String(7))
    inspected_at: Mapped[datetime] = mapped_column(Moment())
    # -- sampling (抽查)
    sampled: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(Moment())
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)  # sent back to the unit (重办)

    __table_args__ = (
        Index("ix_quality_inspections_order_record", "order_id", "record"),
        Index("ix_quality_inspections_queue", "sampled", "reviewed_at", "outcome"),
        Index("ix_quality_inspections_fingerprint", "fingerprint"),
        Index("ix_quality_inspections_day", "day"),
    )


class FindingRow(Base):
    __tablename__ = "quality_findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("quality_inspections.id"))
    rule: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float)
    spans: Mapped[list] = mapped_column(JSON, default=list)
    verdict: Mapped[str | None] = mapped_column(String(12))  # confirmed / overridden (by a person)
    verdict_by: Mapped[str | None] = mapped_column(String(64))
    verdict_at: Mapped[datetime | None] = mapped_column(Moment())
    verdict_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_quality_findings_inspection", "inspection_id"),
                      Index("ix_quality_findings_rule_verdict", "rule", "verdict"))
