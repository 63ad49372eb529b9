"""Push tables on the shared `Base`: subscribers and the delivery outbox.

    push_subscribers  a URL, its HMAC key and the events it chose; removed ones are kept (inactive) so the
                      deliveries made to them stay readable.
    push_deliveries   one row per (subscriber, event), written in the transaction of the order change:
                      pending → sending → delivered, or → failed (retry limit reached, or a final 4xx);
                      `event_id` is the idempotency key the subscriber sees on every attempt.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from liandong.storage.base import Base, Moment

_BigId = BigInteger().with_variant(Integer, "sqlite")


class DeliveryState:  # 推送状态
    PENDING = "pending"  # 待推送: due at next_attempt_at
    SENDING = "sending"  # 推送中: claimed by a relay (lease until claimed_at + lease)
    DELIVERED = "delivered"  # 已送达: the subscriber answered 2xx
    FAILED = "failed"  # 推送失败: retry limit reached or a final refusal; shown to administrators

    ALL = (PENDING, SENDING, DELIVERED, FAILED)


class SubscriberRow(Base):  # 订阅方
    __tablename__ = "push_subscribers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(String(512))
    key: Mapped[str] = mapped_column(String(128))  # HMAC key; kept in full because every delivery is signed with it
    events: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Moment())
    removed_at: Mapped[datetime | None] = mapped_column(Moment())


class DeliveryRow(Base):  # 推送记录
    __tablename__ = "push_deliveries"
    __table_args__ = (
        UniqueConstraint("subscriber_id", "event_id"),
        Index("ix_push_deliveries_due", "state", "next_attempt_at"),
        Index("ix_push_deliveries_order", "subscriber_id", "order_number", "id"),
    )

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    subscriber_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(32))
    event: Mapped[str] = mapped_column(String(32))
    order_number: Mapped[str] = mapped_column(String(40))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(16), default=DeliveryState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(Moment())
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(Moment())
    created_at: Mapped[datetime] = mapped_column(Moment())
    delivered_at: Mapped[datetime | None] = mapped_column(Moment())


TABLES = [SubscriberRow.__table__, DeliveryRow.__table__]
