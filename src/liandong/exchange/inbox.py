"""The inbox (收件箱): every received message, keyed by message_id, with the answer given.

The row is written in the same transaction as the message's effect. Two deliveries of one message
racing each other both try to insert the same primary key: the second fails, its transaction —
effect included — rolls back, and it is answered from the stored row on retry (see `http.py`).
A stored answer is returned unchanged on every later delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from liandong.exchange.tables import InboxMessage

_T = InboxMessage.__table__
_STORED = select(_T.c.sender, _T.c.status, _T.c.ack).where(_T.c.message_id == bindparam("p_mid"))
_INSERT = insert(_T)


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


@dataclass(frozen=True)
class Stored:
    sender: str
    ack: Ack


def stored(session: Session, message_id: str) -> Stored | None:
    row = session.execute(_STORED, {"p_mid": message_id}).first()
    if row is None:
        return None
    return Stored(row.sender, Ack(status=row.status, body=orjson.loads(row.ack), duplicate=True))


def record(session: Session, *, message_id: str, sender: str, kind: str, seq: int, link_id: str | None, ack: Ack,
           now: datetime) -> None:
    session.execute(_INSERT, dict(
        message_id=message_id, sender=sender, kind=kind, seq=seq, link_id=link_id,
        outcome="accepted" if ack.ok else "rejected", status=ack.status, ack=ack.content().decode(), received_at=now))
