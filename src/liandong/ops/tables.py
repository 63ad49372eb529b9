"""Tables of operations (运维): the lease of each background job, and the record of its runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from liandong.storage.base import Base, Moment


class JobLease(Base):  # 后台任务租约
    """One row per background job: whoever moves `lease_until` forward in one compare-and-set runs it."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(96))
    lease_until: Mapped[datetime | None] = mapped_column(Moment())
    last_started_at: Mapped[datetime | None] = mapped_column(Moment())
    last_finished_at: Mapped[datetime | None] = mapped_column(Moment())
    interval_s: Mapped[int] = mapped_column(Integer, default=60)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class JobRun(Base):  # 后台任务运行记录
    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_name_started", "name", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    holder: Mapped[str] = mapped_column(String(96))
    started_at: Mapped[datetime] = mapped_column(Moment())
    finished_at: Mapped[datetime | None] = mapped_column(Moment())
    ok: Mapped[bool | None] = mapped_column(Boolean)
    summary: Mapped[str | None] = mapped_column(Text)
