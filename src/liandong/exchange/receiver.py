"""The receiving side: verify, de-duplicate, check ownership and order, apply, answer.

    receive(raw_body, headers, session, handlers, settings) -> Ack

Steps, each with its own refusal (see `errors.py`):
  1. signature, peer, key id and timestamp window              (not stored; 401)
  2. body parses as a message of the protocol version          (not stored; 422)
  3. the signing peer is the envelope's sender, and we are its receiver      (403)
  4. message_id seen before → the stored answer, no effect (a replay or a re-delivery)
  5. ownership: a message about one of *our* orders must come from the peer we linked it with;
     a message about the sender's order needs the link unless it opens one   (403 / 404)
  6. sequence: seq must be exactly last+1 on the link; a gap is refused as retryable 409
     (`seq_gap`, not stored) so the sender re-sends in order — we never buffer; a seq already
     used by another message is `seq_conflict`
  7. the handler runs inside a savepoint; a domain refusal (LiandongError) rolls the effect back
     and is stored as the answer (`refused`), consuming the seq so the stream moves on.

The caller owns the transaction and commits it after `receive` returns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping, Protocol

from pydantic import ValidationError
from sqlalchemy.orm import Session

from liandong.core.clock import Clock, SystemClock
from liandong.core.errors import LiandongError, NotFound
from liandong.exchange import inbox, links
from liandong.exchange.errors import (ExchangeRejected, MessageInvalid, NotAllowed, Refused, SequenceConflict,
                                      SequenceGap, UnknownOrder)
from liandong.exchange.inbox import Ack
from liandong.exchange.messages import (FROM_COUNTERPART, FROM_ORIGIN, KIND_LABELS, OPENING, PROTOCOL, AnyMessage,
                                        Kind, kind_of, parse_message)
from liandong.exchange.signing import DEFAULT_SKEW_SECONDS, KeyRing, verify
from liandong.exchange.links import Link

log = logging.getLogger("liandong.exchange.receiver")
MAX_BODY_BYTES = 256 * 1024


class ExchangeHandlers(Protocol):
    """Implemented by the order core; each runs inside the receiving transaction."""

    def on_transfer(self, session: Session, msg: AnyMessage) -> str: ...  # opens a local order, returns its id
    def on_accept(self, session: Session, msg: AnyMessage) -> None: ...
    def on_return(self, session: Session, msg: AnyMessage) -> None: ...
    def on_progress(self, session: Session, msg: AnyMessage) -> None: ...
    def on_result(self, session: Session, msg: AnyMessage) -> None: ...
    def on_recall(self, session: Session, msg: AnyMessage) -> None: ...
    def on_negotiation(self, session: Session, msg: AnyMessage) -> str | None: ...
    def on_escalation(self, session: Session, msg: AnyMessage) -> str | None: ...


_DISPATCH = {
    Kind.TRANSFER: "on_transfer", Kind.ACCEPT: "on_accept", Kind.RETURN: "on_return",
    Kind.PROGRESS: "on_progress", Kind.RESULT: "on_result", Kind.RECALL: "on_recall",
    Kind.NEGOTIATE_PROPOSE: "on_negotiation", Kind.NEGOTIATE_AGREE: "on_negotiation",
    Kind.ESCALATION: "on_escalation",
}


@dataclass
class ReceiverSettings:
    local_platform: str
    keyring: KeyRing
    skew_seconds: int = DEFAULT_SKEW_SECONDS
    clock: Clock = field(default_factory=SystemClock)
    max_body_bytes: int = MAX_BODY_BYTES
    # Run `receive` on the event loop instead of a worker thread. Worth it on SQLite, where writes are
    # serialised anyway; keep False on PostgreSQL so receives run concurrently.
    inline: bool = False


def _accepted(settings: ReceiverSettings, msg: AnyMessage, receiver_order_id: str | None, now: datetime) -> Ack:
    return Ack(200, {
        "ok": True, "protocol": PROTOCOL, "message_id": msg.message_id, "code": "accepted",
        "receiver_platform": settings.local_platform, "receiver_order_id": receiver_order_id,
        "seq": msg.seq, "received_at": now.isoformat(),
    })


def _refused_ack(exc: ExchangeRejected, msg: AnyMessage, settings: ReceiverSettings) -> Ack:
    body = exc.body(msg.message_id)
    body.update(protocol=PROTOCOL, receiver_platform=settings.local_platform, seq=msg.seq)
    return Ack(exc.status, body)


def _parse(raw_body: bytes, settings: ReceiverSettings) -> AnyMessage:
    if len(raw_body) > settings.max_body_bytes:
        raise MessageInvalid(f"报文过大（超过 {settings.max_body_bytes} 字节）", code="too_large")
    try:
        return parse_message(raw_body)
    except ValidationError as exc:
        if b'"protocol"' in raw_body and PROTOCOL.encode() not in raw_body:
            raise MessageInvalid(f"不支持的协议版本，本方支持 {PROTOCOL}", code="unsupported_version") from exc
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise MessageInvalid(f"报文格式错误：{where} {first.get('msg', '')}".strip(),
                             details={"errors": exc.errors(include_url=False, include_input=False)[:5]}) from exc


def _link_for(session: Session, msg: AnyMessage, sender: str, local: str) -> Link | None:
    """Find the order link the message belongs to, or refuse if the sender has no say over the order."""
    ref, kind = msg.order_ref, kind_of(msg)
    if ref.origin_platform == sender:
        if kind not in FROM_ORIGIN:
            raise NotAllowed(f"「{KIND_LABELS[kind]}」只能由承办方发出，不能由转出方发出", code="kind_not_allowed")
        link = links.find(session, origin_platform=sender, origin_order_id=ref.origin_order_id, counterpart=sender)
        if link is None and msg.seq == 1 and kind not in OPENING:
            raise UnknownOrder(f"没有找到 {sender} 工单 {ref.origin_order_id} 的联动记录")
        return link
    if ref.origin_platform == local:
        if kind not in FROM_COUNTERPART:
            raise NotAllowed(f"「{KIND_LABELS[kind]}」只能由转出方发出", code="kind_not_allowed")
        link = links.find(session, origin_platform=local, origin_order_id=ref.origin_order_id, counterpart=sender)
        if link is None:
            raise NotAllowed(f"工单 {ref.origin_order_id} 未转给平台 {sender}，{sender} 无权对其发送「{KIND_LABELS[kind]}」",
                             code="not_owner")
        return link
    raise NotAllowed(f"工单属于平台 {ref.origin_platform}，{sender} 无权代其发送报文", code="not_owner")


def _check_seq(link: Link | None, msg: AnyMessage) -> None:
    expected = (link.last_seq_in if link else 0) + 1
    if msg.seq > expected:
        raise SequenceGap(f"报文序号不连续：期望 {expected}，收到 {msg.seq}，请先补发缺失的报文",
                          details={"expected_seq": expected, "got_seq": msg.seq})
    if msg.seq < expected:
        raise SequenceConflict(f"序号 {msg.seq} 已被另一报文使用（下一个应为 {expected}）",
                               details={"expected_seq": expected, "got_seq": msg.seq})


def receive(raw_body: bytes, headers: Mapping[str, str], session: Session, handlers: ExchangeHandlers,
            settings: ReceiverSettings) -> Ack:
    """Verify and apply one message in the caller's transaction; returns the answer to send back.

    Raises ExchangeRejected for refusals that are not stored (authentication, malformed body,
    sequence gap); every other outcome — including a refusal by the order core — is stored.
    """
    now = settings.clock.now()
    sender = verify(headers, raw_body, settings.keyring, now=now, skew_seconds=settings.skew_seconds)
    msg = _parse(raw_body, settings)
    if msg.sender_platform != sender:
        raise NotAllowed(f"报文声明的发送方 {msg.sender_platform} 与签名方 {sender} 不一致", code="peer_mismatch")
    if msg.receiver_platform != settings.local_platform:
        raise NotAllowed(f"报文的接收方是 {msg.receiver_platform}，不是本平台 {settings.local_platform}",
                         code="wrong_receiver")
    previous = inbox.stored(session, msg.message_id)
    if previous is not None:
        if previous.sender != sender:
            raise NotAllowed(f"报文编号 {msg.message_id} 已被其他平台使用", code="not_owner")
        log.info("duplicate message %s from %s answered from the inbox", msg.message_id, sender)
        return previous.ack
    try:
        link = _link_for(session, msg, sender, settings.local_platform)
        _check_seq(link, msg)
    except SequenceGap:
        raise
    except (NotAllowed, UnknownOrder, SequenceConflict) as exc:
        log.warning("refused %s %s from %s: %s", msg.kind, msg.message_id, sender, exc.code)
        ack = _refused_ack(exc, msg, settings)
        inbox.record(session, message_id=msg.message_id, sender=sender, kind=msg.kind, seq=msg.seq, link_id=None,
                     ack=ack, now=now)
        return ack
    # Write before the handler's savepoint: on pysqlite a SAVEPOINT issued outside a transaction opens
    # one, and its RELEASE would then commit the effect on its own, apart from the inbox row.
    if link is None:
        link = links.open_link(session, origin_platform=sender, origin_order_id=msg.order_ref.origin_order_id,
                               counterpart=sender, role="receiver", local_order_id=None, now=now)
    link.last_seq_in = msg.seq
    links.save_incoming(session, link)
    before = (link.local_order_id, link.peer_order_id)
    ack = _apply(session, handlers, msg, link, settings, now)
    if (link.local_order_id, link.peer_order_id) != before:
        links.save_incoming(session, link)
    inbox.record(session, message_id=msg.message_id, sender=sender, kind=msg.kind, seq=msg.seq, link_id=link.id,
                 ack=ack, now=now)
    return ack


def _apply(session: Session, handlers: ExchangeHandlers, msg: AnyMessage, link: Link,
           settings: ReceiverSettings, now: datetime) -> Ack:
    kind = kind_of(msg)
    try:
        with session.begin_nested():
            result = getattr(handlers, _DISPATCH[kind])(session, msg)
    except LiandongError as exc:
        code = "unknown_order" if isinstance(exc, NotFound) else "refused"
        refusal = Refused(exc.message, code=code, details=exc.details)
        if isinstance(exc, NotFound):
            refusal.status = 404
        log.warning("order core refused %s %s: %s", msg.kind, msg.message_id, exc.message)
        return _refused_ack(refusal, msg, settings)
    if kind == Kind.TRANSFER:
        link.local_order_id = result
    elif isinstance(result, str) and link.local_order_id is None:
        link.local_order_id = result
    if link.role == "origin" and msg.order_ref.peer_order_id and not link.peer_order_id:
        link.peer_order_id = msg.order_ref.peer_order_id
    return _accepted(settings, msg, link.local_order_id, now)


class Receiver:  # 接收方
    """`receive` bound to its settings: `Receiver(settings).receive(raw_body, headers, session, handlers)`."""

    def __init__(self, settings: ReceiverSettings) -> None:
        self.settings = settings

    def receive(self, raw_body: bytes, headers: Mapping[str, str], session: Session,
                handlers: ExchangeHandlers) -> Ack:
        return receive(raw_body, headers, session, handlers, self.settings)
