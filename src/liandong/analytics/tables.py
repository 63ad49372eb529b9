"""Analytics as stored: a city's past appeals (历史诉求, imported, never dispatched) and trend warnings.

`analytics_history` keeps each imported row with its own id (`external_id`, unique per source), the
category the router gave it and the place the gazetteer found (`region`) or, when the place is not in
the city's gazetteer, the place named in the text (`place`). `analytics_warnings` holds one warning per
kind × place × category × day; acknowledging it (已知悉) records who, when and why, once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from liandong.storage.base import Base, Moment


class HistoryRow(Base):  # 历史诉求
    __tablename__ = "analytics_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64))  # the file it came from (its name)
    external_id: Mapped[str] = mapped_column(String(64))  # the row's own id in the city's export
    received_at: Mapped[datetime] = mapped_column(Moment())
    subject: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    category_code: Mapped[str | None] = mapped_column(String(64))
    category_name: Mapped[str | None] = mapped_column(String(128))
    region: Mapped[str | None] = mapped_column(String(12))  # the gazetteer's street/community, if found
    place: Mapped[str | None] = mapped_column(String(64))  # the place named in the text (小区、道路、村…)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(Moment())

    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_analytics_history_source_external"),
        Index("ix_analytics_history_received_at", "received_at"),
    )


class WarningRow(Base):  # 趋势预警
    __tablename__ = "analytics_warnings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # high 高发 / new 新发 / mass 群诉 / joint 矛盾纠纷
    place: Mapped[str] = mapped_column(String(12))  # street code
    place_name: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(128))
    day: Mapped[str] = mapped_column(String(10))  # the Beijing date it was raised for
    count: Mapped[int] = mapped_column(Integer)
    expected: Mapped[float] = mapped_column(Float)
    p_value: Mapped[float] = mapped_column(Float)
    orders: Mapped[list] = mapped_column(JSON, default=list)  # order numbers behind it
    created_at: Mapped[datetime] = mapped_column(Moment())
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime | None] = mapped_column(Moment())
    acknowledged_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("kind", "place", "category", "day", name="uq_analytics_warnings_key"),
        Index("ix_analytics_warnings_day", "day"),
    )


class DailyRow(Base):  # 日汇总: a measure's numerator and denominator of one day, desk, unit and street
    """The daily roll-up the trends read (`analytics.rollup`): one query over a month of orders grouped by
    Beijing day costs seconds at a million orders; the same month from here is a few thousand rows."""

    __tablename__ = "analytics_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kpi: Mapped[str] = mapped_column(String(40), primary_key=True)
    platform: Mapped[str] = mapped_column(String(8), primary_key=True)
    unit: Mapped[str] = mapped_column(String(32), primary_key=True)  # '' for none
    street: Mapped[str] = mapped_column(String(12), primary_key=True)  # the region's first 9 digits; '' for none
    numerator: Mapped[int] = mapped_column(Integer)
    denominator: Mapped[int] = mapped_column(Integer)


class RolledDayRow(Base):  # the days the roll-up holds, and when they were computed
    __tablename__ = "analytics_rolled_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    refreshed_at: Mapped[datetime] = mapped_column(Moment())


class CallRow(Base):  # 话务记录: one call of the 12345 call centre, from the city's telephone system
    """The calls a city supplies (`liandong calls import`) so that 人工接通率 can be computed: every call that
    entered the agent queue (offered), whether a person answered it, or the caller gave up (abandoned)."""

    __tablename__ = "analytics_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64))  # the file it came from
    call_id: Mapped[str] = mapped_column(String(64))  # the telephone system's own id
    arrived_at: Mapped[datetime] = mapped_column(Moment())
    answered: Mapped[bool] = mapped_column(Boolean)  # 人工接通
    abandoned: Mapped[bool] = mapped_column(Boolean)  # 放弃（来电人挂断）
    wait_seconds: Mapped[int] = mapped_column(Integer)  # 排队等待时长
    operator: Mapped[str | None] = mapped_column(String(64))  # 话务员工号 (answered calls)
    imported_at: Mapped[datetime] = mapped_column(Moment())

    __table_args__ = (
        UniqueConstraint("call_id", name="uq_analytics_calls_call_id"),
        Index("ix_analytics_calls_arrived_at", "arrived_at"),
    )


class ReportJobRow(Base):  # 报告生成任务
    """A report being generated for a console user, kept in the database so that whichever worker process
    answers the page's polls (several `liandong serve` workers, several hosts) sees its progress and file."""

    __tablename__ = "analytics_report_jobs"

    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    owner: Mapped[str] = mapped_column(String(160))  # platform:user — nobody else sees it
    title: Mapped[str] = mapped_column(String(200))
    fmt: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(Moment())
    updated_at: Mapped[datetime] = mapped_column(Moment())  # the last step written (a dead worker stops it)
    steps: Mapped[list] = mapped_column(JSON, default=list)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    filename: Mapped[str | None] = mapped_column(String(200), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(Moment(), nullable=True)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)

    __table_args__ = (Index("ix_analytics_report_jobs_owner", "owner"),)
