"""Orders and their audit trail as stored.

`orders.version` counts the accepted actions on an order (`Orders.act` raises it by one); every UPDATE
carries `WHERE version = :seen`, so of two people acting on the same order at once exactly one wins and
the other gets 409. System bookkeeping (deadlines, warning lights, marks) checks the version but does
not raise it, so it never invalidates what a person is doing on the order.

The marks a supervisor filters on (推诿, 重复来电, 群诉, 骚扰) and the state of a link to a peer desk are
named columns, each with its meaning beside it; `orders.present.marks` shows them as a list of labels.
`order_events` is append-only; the migrations add triggers that refuse UPDATE, DELETE and (SQLite) REPLACE on
it, and each event carries a hash chained to the order's previous one (`orders.audit`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from liandong.appeals.tables import AppealRow
from liandong.storage.base import Base, Moment


class OrderRow(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    platform: Mapped[str] = mapped_column(String(8))  # 12345 工单 / 110 警单
    appeal_id: Mapped[str] = mapped_column(ForeignKey("appeals.id"))
    status: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(120))
    category_code: Mapped[str | None] = mapped_column(String(64))
    category_name: Mapped[str | None] = mapped_column(String(128))
    category_group: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str | None] = mapped_column(String(8))  # 咨询/求助/投诉/举报/建议
    level: Mapped[str] = mapped_column(String(8), default="一般")
    services: Mapped[list] = mapped_column(JSON, default=list)
    unit: Mapped[str | None] = mapped_column(String(32))
    unit_function: Mapped[str | None] = mapped_column(String(48))
    region: Mapped[str | None] = mapped_column(String(12))
    review: Mapped[bool] = mapped_column(Boolean, default=False)  # a person must confirm the routing
    sign_due: Mapped[datetime | None] = mapped_column(Moment())
    reply_due: Mapped[datetime | None] = mapped_column(Moment())
    close_due: Mapped[datetime | None] = mapped_column(Moment())
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    pending_extension_days: Mapped[int | None] = mapped_column(Integer)
    return_count: Mapped[int] = mapped_column(Integer, default=0)
    transfer_count: Mapped[int] = mapped_column(Integer, default=0)  # times passed between units
    urge_count: Mapped[int] = mapped_column(Integer, default=0)
    supervised: Mapped[bool] = mapped_column(Boolean, default=False)
    warning: Mapped[str | None] = mapped_column(String(8))  # yellow / red
    # -- marks (研判标记): set by supervision at intake and on dispatch/return
    bounce: Mapped[bool] = mapped_column(Boolean, default=False)  # 推诿: passed between units / returned too often
    repeat_call: Mapped[str | None] = mapped_column(String(20))  # 重复来电: RepeatCall value
    mass: Mapped[bool] = mapped_column(Boolean, default=False)  # 群诉 member (lead_order names the lead)
    mass_lead: Mapped[bool] = mapped_column(Boolean, default=False)  # 群诉 lead order
    harass: Mapped[bool] = mapped_column(Boolean, default=False)  # 疑似骚扰来电 (flagged, never blocked)
    # -- the link to a peer desk (平台互通), set by linkage
    by_transfer: Mapped[bool] = mapped_column(Boolean, default=False)  # opened from a peer's transfer (转入)
    transfer_purpose: Mapped[str | None] = mapped_column(String(16))  # why it came: handle/mediation/coordinate/notify
    category_unmapped: Mapped[bool] = mapped_column(Boolean, default=False)  # the peer's category has no mapping
    accept_sent: Mapped[bool] = mapped_column(Boolean, default=False)  # the origin has been told we accepted (签收)
    transfer_overdue: Mapped[str | None] = mapped_column(String(16))  # TransferOverdue value (超时未签收)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)  # 升级通报: the city command was notified
    notified: Mapped[list] = mapped_column(JSON, default=list)  # emergency desks told beside (119/120)
    satisfied: Mapped[bool | None] = mapped_column(Boolean)
    solved: Mapped[bool | None] = mapped_column(Boolean)  # 回访：是否解决 (None: unknown)
    satisfaction: Mapped[str | None] = mapped_column(String(24))  # 回访：满意度等级 code of the city's scale
    rating: Mapped[int | None] = mapped_column(Integer)
    merged_into: Mapped[str | None] = mapped_column(String(40))
    peer_platform: Mapped[str | None] = mapped_column(String(16))
    peer_order_id: Mapped[str | None] = mapped_column(String(64))
    linked_order: Mapped[str | None] = mapped_column(String(40))  # the order on the other platform for the same appeal
    lead_order: Mapped[str | None] = mapped_column(String(40))  # 群诉 lead order this one is linked to
    knowledge_entry: Mapped[str | None] = mapped_column(String(32))  # 即问即答 from this knowledge entry…
    knowledge_version: Mapped[int | None] = mapped_column(Integer)  # …in this version (what was read out)
    created_at: Mapped[datetime] = mapped_column(Moment())
    updated_at: Mapped[datetime] = mapped_column(Moment())
    dispatched_at: Mapped[datetime | None] = mapped_column(Moment())  # latest 派单
    signed_at: Mapped[datetime | None] = mapped_column(Moment())  # latest 签收
    replied_at: Mapped[datetime | None] = mapped_column(Moment())  # 答复
    closed_at: Mapped[datetime | None] = mapped_column(Moment())  # 办结
    visited_at: Mapped[datetime | None] = mapped_column(Moment())  # 回访
    chased_at: Mapped[datetime | None] = mapped_column(Moment())  # latest 催办
    supervised_at: Mapped[datetime | None] = mapped_column(Moment())  # latest 督办
    contacted_at: Mapped[datetime | None] = mapped_column(Moment())  # 首次联系 of the citizen by the unit
    last_event_seq: Mapped[int] = mapped_column(Integer, default=0)  # seq of the newest audit event
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    # Never loaded (lazy="raise") nor cascaded: declared only so that one flush INSERTs appeals, then orders, then events.
    appeal: Mapped[AppealRow] = relationship(lazy="raise", cascade="")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
    __table_args__ = (
        Index("ix_orders_status_platform", "status", "platform"),
        Index("ix_orders_unit_status", "unit", "status"),
        Index("ix_orders_region", "region"),
        Index("ix_orders_created_at", "created_at"),
        Index("ix_orders_appeal_id", "appeal_id"),
        Index("ix_orders_lead_order", "lead_order"),
        Index("ix_orders_repeat_call", "repeat_call"),
        Index("ix_orders_dispatched_at", "dispatched_at"),  # the KPI periods (analytics): by dispatch / close
        Index("ix_orders_closed_at", "closed_at"),
    )


class RepeatCall(StrEnum):  # 重复来电
    REPEAT = "repeat"  # the same caller about the same matter
    UNRESOLVED = "repeat_unresolved"  # … after an unsatisfied visit: held for a supervisor


class TransferOverdue(StrEnum):  # 转办超时
    OVERDUE = "overdue"  # not accepted within the agreed minutes
    ACCEPTED_LATE = "accepted_late"  # accepted after the warning


class OrderEventRow(Base):
    """One line of the audit trail (审计记录): who did what to which order, when, from and to."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(Moment())
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str | None] = mapped_column(String(64))  # the order's previous event's hash (orders.audit)
    hash: Mapped[str | None] = mapped_column(String(64))  # SHA-256 over this event's content and prev_hash
    order: Mapped[OrderRow] = relationship(lazy="raise", cascade="")  # flush order only, as OrderRow.appeal

    __table_args__ = (UniqueConstraint("order_id", "seq", name="uq_order_events_order_seq"),)
