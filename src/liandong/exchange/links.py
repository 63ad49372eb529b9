"""Order links (联动关联) in plain SQL statements: they sit on the hot path of every message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from liandong.core.ids import new_id
from liandong.exchange.tables import ExchangeLink

_T = ExchangeLink.__table__


@dataclass
class Link:
    id: str
    origin_platform: str
    origin_order_id: str
    counterpart: str
    role: str  # origin | receiver
    local_order_id: str | None
    peer_order_id: str | None
    last_seq_in: int


_COLS = (_T.c.id, _T.c.origin_platform, _T.c.origin_order_id, _T.c.counterpart, _T.c.role, _T.c.local_order_id,
         _T.c.peer_order_id, _T.c.last_seq_in)


# Statements built once: building and cache-keying them per message costs more than running them.
_FIND = select(*_COLS).where(_T.c.origin_platform == bindparam("p_op"), _T.c.origin_order_id == bindparam("p_oid"),
                             _T.c.counterpart == bindparam("p_cp"))
_INSERT = insert(_T)
_NEXT_SEQ = update(_T).where(_T.c.id == bindparam("p_id")).values(next_seq_out=_T.c.next_seq_out + 1) \
    .returning(_T.c.next_seq_out)
_SAVE_IN = update(_T).where(_T.c.id == bindparam("p_id")).values(
    last_seq_in=bindparam("p_last"), local_order_id=bindparam("p_local"), peer_order_id=bindparam("p_peer"))


def find(session: Session, *, origin_platform: str, origin_order_id: str, counterpart: str) -> Link | None:
    row = session.execute(_FIND, {"p_op": origin_platform, "p_oid": origin_order_id, "p_cp": counterpart}).first()
    return Link(*row) if row else None


def open_link(session: Session, *, origin_platform: str, origin_order_id: str, counterpart: str, role: str,
              local_order_id: str | None, now: datetime) -> Link:
    link = Link(new_id(), origin_platform, origin_order_id, counterpart, role, local_order_id, None, 0)
    session.execute(_INSERT, dict(
        id=link.id, origin_platform=origin_platform, origin_order_id=origin_order_id, counterpart=counterpart,
        role=role, local_order_id=local_order_id, peer_order_id=None, next_seq_out=0, last_seq_in=0, created_at=now))
    return link


def next_seq(session: Session, link_id: str) -> int:
    """Atomically take the next outgoing seq on the link (the row lock serialises writers)."""
    return session.execute(_NEXT_SEQ, {"p_id": link_id}).scalar_one()


def save_incoming(session: Session, link: Link) -> None:
    session.execute(_SAVE_IN, {"p_id": link.id, "p_last": link.last_seq_in, "p_local": link.local_order_id,
                               "p_peer": link.peer_order_id})
