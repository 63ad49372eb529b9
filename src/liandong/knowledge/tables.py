"""The knowledge base as stored: one row per entry, one immutable row per version, and the review trail.

`knowledge_versions` rows are never updated: an edit inserts version n+1. `knowledge_entries.served_version`
names the version search offers (None while nothing has been approved, or after 下线). `question_key` is the
latest version's question in normal form with its region, unique, so two entries never answer the same
question for the same place. Usage (使用次数) and visit feedback (回访解决/未解决) are counters on the entry,
raised by single UPDATEs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from liandong.storage.base import Base, Moment


class KnowledgeEntryRow(Base):
    __tablename__ = "knowledge_entries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[str] = mapped_column(String(12))  # EntryState of the latest version
    latest_version: Mapped[int] = mapped_column(Integer)
    served_version: Mapped[int | None] = mapped_column(Integer)  # what search offers
    question_key: Mapped[str] = mapped_column(String(240), unique=True)  # normal question + "@" + region
    question: Mapped[str] = mapped_column(String(200))  # the latest version's, for lists
    unit: Mapped[str | None] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(12))
    usage_count: Mapped[int] = mapped_column(Integer, default=0)  # answered on a call from it
    solved_count: Mapped[int] = mapped_column(Integer, default=0)  # 回访：已解决
    unsolved_count: Mapped[int] = mapped_column(Integer, default=0)  # 回访：未解决
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Moment())
    updated_at: Mapped[datetime] = mapped_column(Moment())

    __table_args__ = (Index("ix_knowledge_entries_state", "state"), Index("ix_knowledge_entries_unit", "unit"))


class KnowledgeVersionRow(Base):
    __tablename__ = "knowledge_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("knowledge_entries.id"))
    version: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(String(200))
    phrasings: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str | None] = mapped_column(String(12))
    unit: Mapped[str | None] = mapped_column(String(32))
    effective_from: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    visibility: Mapped[str] = mapped_column(String(8))
    edited_by: Mapped[str] = mapped_column(String(64))
    edited_at: Mapped[datetime] = mapped_column(Moment())
    note: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (UniqueConstraint("entry_id", "version", name="uq_knowledge_versions_entry_version"),)


class KnowledgeReviewRow(Base):  # 审核记录 (append-only)
    __tablename__ = "knowledge_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("knowledge_entries.id"))
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(12))
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(Moment())
    note: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (Index("ix_knowledge_reviews_entry", "entry_id", "id"),)
