"""Idempotency keys (幂等键): a retried request gets the first answer and stores nothing new.

A client (a phone-system integration) sends `Idempotency-Key: <its own unique id>` with a POST. The key,
a hash of the request and the answer given are stored in the same transaction as what the request
wrote, so a key is remembered exactly when its effect is. For 24 hours the same key with the same
request replays the stored answer (same status, same body); with another request it is refused (409).
Keys are per caller (`scope` = user and endpoint): two users never collide.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from liandong.core.errors import Conflict, InvalidInput
from liandong.storage.base import Base, Moment
from liandong.storage.ids import this_transaction

HEADER = "Idempotency-Key"
KEEP = timedelta(hours=24)
_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")  # printable ASCII, no spaces: a UUID, a call id, …


class IdempotencyRow(Base):
    __tablename__ = "idempotency_keys"

    scope: Mapped[str] = mapped_column(String(96), primary_key=True)  # "<user>|<endpoint>"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    response: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Moment())


@dataclass(frozen=True)
class Answer:  # 已给出的答复
    status: int
    body: str
    replayed: bool = False


@dataclass(frozen=True)
class Keyed:
    """A request that carries a key; `answer` builds its (status, JSON body) from the result, in the transaction."""

    scope: str
    key: str
    request_hash: str
    answer: Callable[[Any], tuple[int, str]] | None = None


def keyed(raw_key: str | None, *, user: str, endpoint: str, request: str,
          answer: Callable[[Any], tuple[int, str]] | None = None) -> Keyed | None:
    """The key of a request, or None without the header; a malformed key is refused (422)."""
    if raw_key is None:
        return None
    if not _KEY.match(raw_key):
        raise InvalidInput(f"{HEADER} 格式错误：应为 1 到 128 个可见 ASCII 字符（如 UUID）")
    digest = hashlib.sha256(f"{endpoint}\n{request}".encode()).hexdigest()
    return Keyed(scope=f"{user}|{endpoint}"[:96], key=raw_key, request_hash=digest, answer=answer)


def find(session: Session, k: Keyed, now: datetime) -> Answer | None:
    """The answer given for this key within 24 h (in this transaction or a committed one), or None.
    Raises Conflict when the key was used for another request. Without flushing the session."""
    mine = this_transaction(session, "idempotency").get((k.scope, k.key))
    if mine is not None:
        row_hash, status, body = mine
    else:
        t = IdempotencyRow.__table__
        row = session.connection().execute(select(t.c.request_hash, t.c.status, t.c.response).where(
            t.c.scope == k.scope, t.c.key == k.key, t.c.created_at >= now - KEEP)).first()
        if row is None:
            return None
        row_hash, status, body = row
    if row_hash != k.request_hash:
        raise Conflict(f"幂等键「{k.key}」已用于另一个不同的请求，请换一个新的键")
    return Answer(status, body, replayed=True)


def remember(session: Session, k: Keyed, answer: Answer, now: datetime) -> None:
    """Store the key with the answer, in the caller's (write) transaction; an expired use of it goes."""
    t = IdempotencyRow.__table__
    session.connection().execute(delete(t).where(t.c.scope == k.scope, t.c.key == k.key, t.c.created_at < now - KEEP))
    session.add(IdempotencyRow(scope=k.scope, key=k.key, request_hash=k.request_hash, status=answer.status,
                               response=answer.body, created_at=now))
    this_transaction(session, "idempotency")[(k.scope, k.key)] = (k.request_hash, answer.status, answer.body)
