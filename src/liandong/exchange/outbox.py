"""The transactional outbox (发件箱): messages are written in the caller's transaction.

`enqueue(session, message)` is called in the same transaction as the order's state change; if that
transaction rolls back, the message was never queued. The per-order `seq` is assigned here by one
atomic `UPDATE … SET next_seq_out = next_seq_out + 1 … RETURNING` on the order link, so two
transactions touching the same order serialise on the link row and never share a seq.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from liandong.core import trace
from liandong.core.errors import InvalidInput, NotFound
from liandong.exchange import links
from liandong.exchange.messages import OPENING, AnyMessage, OrderRef, encode, kind_of
from liandong.exchange.tables import OutboxMessage, OutboxState

log = logging.getLogger("liandong.exchange.outbox")
_INSERT = insert(OutboxMessage.__table__)


def enqueue(session: Session, message: AnyMessage) -> AnyMessage:  # 入发件箱
    """Queue `message` for its receiver in the caller's transaction; returns it with its seq assigned.

    The first message about an order from its origin (a transfer, a negotiation proposal or an
    escalation notice) opens the order link; any other message needs the link to exist already.
    """
    ref, sender, receiver = message.order_ref, message.sender_platform, message.receiver_platform
    if sender == receiver:
        raise InvalidInput("发送方与接收方不能相同")
    link = links.find(session, origin_platform=ref.origin_platform, origin_order_id=ref.origin_order_id,
                      counterpart=receiver)
    if link is None:
        if ref.origin_platform != sender or kind_of(message) not in OPENING:
            raise NotFound(f"工单 {ref.origin_order_id} 与平台 {receiver} 之间没有联动关联，不能发送「{message.kind}」")
        link = links.open_link(session, origin_platform=sender, origin_order_id=ref.origin_order_id, counterpart=receiver,
                         role="origin", local_order_id=ref.origin_order_id, now=message.sent_at)
    seq = links.next_seq(session, link.id)
    peer_order_id = ref.peer_order_id or (link.peer_order_id if link.role == "origin" else link.local_order_id)
    final = message.model_copy(update={"seq": seq, "order_ref": OrderRef(
        origin_platform=ref.origin_platform, origin_order_id=ref.origin_order_id, peer_order_id=peer_order_id)})
    session.execute(_INSERT, dict(
        message_id=final.message_id, link_id=link.id, peer=receiver, kind=final.kind, seq=seq, body=encode(final),
        state=OutboxState.PENDING, failed_attempts=0, next_attempt_at=final.sent_at, created_at=final.sent_at,
        request_id=trace.current(),
    ))
    log.info("outbox enqueued", extra={"message_id": final.message_id, "peer": receiver, "kind": final.kind})
    return final


def counts(session: Session) -> dict[str, int]:
    """Rows per state, for dashboards and tests."""
    rows = session.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all()
    result = {state: 0 for state in OutboxState.ALL}
    result.update({state: n for state, n in rows})
    return result


def rejected(session: Session, *, limit: int = 100) -> list[OutboxMessage]:
    """Messages a peer refused for good (4xx): an operator must look at them."""
    return list(session.scalars(
        select(OutboxMessage).where(OutboxMessage.state == OutboxState.REJECTED).order_by(OutboxMessage.id).limit(limit)
    ))


def requeue(session: Session, message_id: str, *, now: datetime) -> None:
    """Send a rejected message again (after the cause was fixed, e.g. a key rotated)."""
    done = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.message_id == message_id, OutboxMessage.state == OutboxState.REJECTED)
        .values(state=OutboxState.PENDING, next_attempt_at=now, failed_attempts=0, claimed_by=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        raise NotFound(f"发件箱中没有被拒收的报文 {message_id}")
