"""The inbox (收件箱): every received message, keyed by message_id, with the answer given.

The row is inserted *before* the effect runs and in the same transaction: a concurrent second
delivery of the same message blocks on the primary key and then fails, and the receiver answers it
from the stored row. A stored answer is returned byte for byte on every later delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy.orm import Session

from liandong.exchange.tables import InboxMessage


@dataclass(frozen=True)
class Ack:  # 回执
    status: int
    body: dict
    duplicate: bool = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def content(self) -> bytes:
        return orjson.dumps(self.body)


def stored(session: Session, message_id: str) -> InboxMessage | None:
    return session.get(InboxMessage, message_id)


def stored_ack(row: InboxMessage) -> Ack:
    return Ack(status=row.status, body=orjson.loads(row.ack), duplicate=True)


def claim(session: Session, *, message_id: str, sender: str, kind: str, seq: int, link_id: str | None,
          now: datetime) -> InboxMessage:
    """Insert the inbox row for a new message (answer filled in by `settle`); flushes at once."""
    row = InboxMessage(message_id=message_id, sender=sender, kind=kind, seq=seq, link_id=link_id,
                       outcome="pending", status=0, ack="{}", received_at=now)
    session.add(row)
    session.flush()
    return row


def settle(row: InboxMessage, ack: Ack, *, link_id: str | None) -> None:
    row.outcome = "accepted" if ack.ok else "rejected"
    row.status = ack.status
    row.ack = ack.content().decode()
    row.link_id = link_id
