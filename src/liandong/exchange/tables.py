"""Exchange tables on the shared `Base`: order links, the outbox and the inbox.

    exchange_links   one row per (origin platform, origin order id, counterpart platform):
                     both sides' order ids, the next outgoing seq and the last incoming seq.
    exchange_outbox  messages to send, written in the same transaction as the state change.
                     pending → sending → sent, or → rejected (a final 4xx answer).
    exchange_inbox   every message received, keyed by message_id, with the answer given, so a
                     re-delivery gets the same answer and has no effect.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from liandong.storage.base import Base, Moment

_BigId = BigInteger().with_variant(Integer, "sqlite")


class OutboxState:  # 发件状态
    PENDING = "pending"  # 待发送: due at next_attempt_at
    SENDING = "sending"  # 发送中: claimed by a relay (lease until claimed_at + lease)
    SENT = "sent"  # 已送达: the peer acknowledged it (2xx)
    REJECTED = "rejected"  # 被拒收: the peer answered with a final 4xx; shown to operators, not retried

    ALL = (PENDING, SENDING, SENT, REJECTED)


class ExchangeLink(Base):  # 联动关联
    __tablename__ = "exchange_links"
    __table_args__ = (UniqueConstraint("origin_platform", "origin_order_id", "counterpart"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    origin_platform: Mapped[str] = mapped_column(String(32))
    origin_order_id: Mapped[str] = mapped_column(String(64))
    counterpart: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))  # origin | receiver
    local_order_id: Mapped[str | None] = mapped_column(String(64))
    peer_order_id: Mapped[str | None] = mapped_column(String(64))
    next_seq_out: Mapped[int] = mapped_column(Integer, default=0)  # last seq assigned to an outgoing message
    last_seq_in: Mapped[int] = mapped_column(Integer, default=0)  # last seq received and answered
    created_at: Mapped[datetime] = mapped_column(Moment())


class OutboxMessage(Base):  # 发件箱
    __tablename__ = "exchange_outbox"
    __table_args__ = (
        UniqueConstraint("link_id", "seq"),
        Index("ix_exchange_outbox_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    link_id: Mapped[str] = mapped_column(String(32))
    peer: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(16), default=OutboxState.PENDING)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(Moment())
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(Moment())
    created_at: Mapped[datetime] = mapped_column(Moment())
    sent_at: Mapped[datetime | None] = mapped_column(Moment())
    ack: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))  # the request that queued it (core.trace)


class InboxMessage(Base):  # 收件箱
    __tablename__ = "exchange_inbox"

    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sender: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    link_id: Mapped[str | None] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))  # accepted | rejected
    status: Mapped[int] = mapped_column(Integer)
    ack: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(Moment())


TABLES = [ExchangeLink.__table__, OutboxMessage.__table__, InboxMessage.__table__]
