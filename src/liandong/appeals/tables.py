"""The appeal (诉求) as stored: what the caller said, as received, before any routing decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from liandong.storage.base import Base, Moment
from liandong.storage.ids import this_transaction


class AppealRow(Base):
    __tablename__ = "appeals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(Moment())
    caller_name: Mapped[str | None] = mapped_column(String(64))
    caller_phone: Mapped[str | None] = mapped_column(String(32))
    caller_key: Mapped[str | None] = mapped_column(String(64))  # keyed hash of the phone, for repeat-call lookups
    text: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(256))
    region: Mapped[str | None] = mapped_column(String(12))
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    routing: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Moment())
    external_ref: Mapped[str | None] = mapped_column(String(128))  # peer platform's id when it came by transfer

    __table_args__ = (
        Index("ix_appeals_caller_key_received", "caller_key", "received_at"),
        Index("ix_appeals_region_received", "region", "received_at"),
        Index("ix_appeals_created_at", "created_at"),
    )


NEW_APPEALS = "new_appeals"


def add_appeal(session: Session, appeal: AppealRow) -> None:
    """Add a new appeal, findable by `new_appeal` until the transaction ends without being flushed first."""
    session.add(appeal)
    this_transaction(session, NEW_APPEALS)[appeal.id] = appeal


def new_appeal(session: Session, appeal_id: str) -> AppealRow | None:
    return this_transaction(session, NEW_APPEALS).get(appeal_id)
