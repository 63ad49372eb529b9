"""Consumers, the access log and the change feed as stored.

`share_access_log` is append-only: the migration adds triggers that refuse UPDATE and DELETE (and on SQLite
REPLACE), as for the audit trail. `share_feed` rows are written in the transaction of the change they
describe; on PostgreSQL each carries the id of its transaction (`tx`, xid8 as bigint), which orders the
feed (see `share.feed`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, FetchedValue, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from liandong.storage.base import Base, Moment

BigId = BigInteger().with_variant(Integer, "sqlite")


class ConsumerRow(Base):  # 接入方
    __tablename__ = "share_consumers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    datasets: Mapped[list] = mapped_column(JSON, default=list)
    region: Mapped[str] = mapped_column(String(12))
    fields: Mapped[list | None] = mapped_column(JSON)  # None: every field of its datasets
    unmasked: Mapped[list] = mapped_column(JSON, default=list)  # personal fields it may read unmasked
    grant_purpose: Mapped[str | None] = mapped_column(String(200))  # why the unmasking was granted
    unit: Mapped[str | None] = mapped_column(String(32))
    rate_per_minute: Mapped[int] = mapped_column(Integer, default=600)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the API key
    key_hint: Mapped[str] = mapped_column(String(12))  # the key's first characters, to tell keys apart
    created_at: Mapped[datetime] = mapped_column(Moment())
    rotated_at: Mapped[datetime | None] = mapped_column(Moment())
    revoked_at: Mapped[datetime | None] = mapped_column(Moment())


class AccessLogRow(Base):  # 数据访问留痕
    __tablename__ = "share_access_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(Moment())
    consumer_id: Mapped[int | None] = mapped_column(Integer)
    consumer: Mapped[str] = mapped_column(String(64))  # the consumer's name, or the person for CLI exports
    interface: Mapped[str] = mapped_column(String(16))  # api / feed / export / sync / open311 …
    dataset: Mapped[str] = mapped_column(String(16))
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    rows: Mapped[int] = mapped_column(Integer)
    masked: Mapped[bool] = mapped_column(Boolean)
    unmasked: Mapped[list] = mapped_column(JSON, default=list)
    purpose: Mapped[str | None] = mapped_column(String(200))
    remote: Mapped[str | None] = mapped_column(String(64))  # the caller's address

    __table_args__ = (Index("ix_share_access_log_consumer_at", "consumer", "at"),
                      Index("ix_share_access_log_at", "at"))


class FeedRow(Base):  # 变更流
    __tablename__ = "share_feed"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tx: Mapped[int] = mapped_column(BigInteger, server_default=FetchedValue())  # sort key: writer's xid or above (PG)
    order_number: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)  # the order's audit event seq: per order, changes in this order
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    platform: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str | None] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(12))
    role: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(Moment())
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)  # the order's shared fields after the change
    appeal_id: Mapped[str] = mapped_column(String(32))

    __table_args__ = (Index("ix_share_feed_tx_id", "tx", "id"), Index("ix_share_feed_order_tx", "order_number", "tx"))
    __mapper_args__ = {"eager_defaults": False}  # `tx` is not read back: rows of a batch go in one INSERT


class InboundDoneRow(Base):
    """Inbound rows of a target (中间库) already applied here: written in the transaction that applied
    the action, so a row whose result could not be written back to the target is never applied twice."""

    __tablename__ = "share_inbound_done"

    target: Mapped[str] = mapped_column(String(64), primary_key=True)
    inbound_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outcome: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(Moment())
