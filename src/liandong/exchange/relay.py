"""The relay (转发器): claims due outbox rows, signs and POSTs them, records the peer's answer.

Claiming, leases and the loop are the outbox relay core's (`storage/outbox.py`); a message's stream
is its order link, ordered by seq, so seq n+1 of an order is never sent before seq n has been answered.

Answers:  2xx → sent (ack stored; a transfer's ack gives the peer's order id)
          network error, timeout, 5xx, 429, or a 4xx marked retryable → pending again with
          exponential back-off and jitter, capped
          any other 4xx → rejected (final; shown to operators, `outbox.requeue` to retry)

A peer that answers a whole batch with network errors or 5xx is paused (in memory, with the same
back-off), so an outage costs one probing batch per pause rather than an attempt on every row.

All state is in the database: a relay that dies mid-send leaves rows in `sending`; once their lease
expires any relay puts them back to `pending` and they are sent again (the peer's inbox makes
the second delivery harmless).
"""

from __future__ import annotations

import logging
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import orjson
from sqlalchemy import and_, bindparam, update
from sqlalchemy.orm import Session, sessionmaker

from liandong.core import trace
from liandong.core.clock import Clock, SystemClock
from liandong.core.ids import new_id
from liandong.exchange.errors import AuthRejected
from liandong.exchange.peers import PeersConfig
from liandong.exchange.signing import sign_headers, verify
from liandong.exchange.tables import ExchangeLink, OutboxMessage, OutboxState
from liandong.storage import outbox
from liandong.storage.outbox import Outbox, RelayLoop

log = logging.getLogger("liandong.exchange.relay")
_RETRY_4XX = {408, 425, 429}
OUTBOX = Outbox(OutboxMessage.__table__, OutboxState.PENDING, OutboxState.SENDING, stream=("link_id",), position="seq")


@dataclass(frozen=True)
class RelaySettings:
    batch_size: int = 100
    concurrency: int = 16
    base_delay_s: float = 1.0
    max_delay_s: float = 300.0
    lease_s: float = 60.0
    timeout_s: float = 5.0
    idle_wait_s: float = 0.05
    ack_skew_s: int = 300

    def __post_init__(self) -> None:
        worst = math.ceil(self.batch_size / self.concurrency) * self.timeout_s
        if worst >= self.lease_s:
            raise ValueError(f"a batch may take {worst:.0f}s (batch/concurrency × timeout), longer than the "
                             f"{self.lease_s:.0f}s lease: other relays would re-send rows still queued here")


@dataclass
class RelayStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    rejected: int = 0
    recovered: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Claimed:
    id: int
    message_id: str
    link_id: str
    peer: str
    kind: str
    body: bytes
    failed_attempts: int
    request_id: str | None = None  # sent as X-Request-ID: the peer's logs carry the origin's request id


@dataclass(frozen=True)
class _Outcome:
    row: _Claimed
    state: str
    error: str | None = None
    ack: dict | None = None
    peer_down: bool = False  # network error, 5xx or 429: says something about the peer, not the message


def backoff_delay(failed_attempts: int, settings: RelaySettings, rng: random.Random) -> float:
    return outbox.backoff_delay(failed_attempts, base_s=settings.base_delay_s, max_s=settings.max_delay_s, rng=rng)


def _claim(session: Session, *, now: datetime, limit: int, worker: str, skip_peers: frozenset[str] = frozenset()
           ) -> list[_Claimed]:
    tbl = OutboxMessage.__table__
    rows = outbox.claim(session, OUTBOX, now=now, limit=limit, worker=worker,
                        returning=[tbl.c.message_id, tbl.c.link_id, tbl.c.peer, tbl.c.kind, tbl.c.body,
                                   tbl.c.failed_attempts, tbl.c.request_id],
                        where=[tbl.c.peer.not_in(sorted(skip_peers))] if skip_peers else [])
    return [_Claimed(*r) for r in rows]


class Relay(RelayLoop):  # 转发器
    def __init__(self, session_factory: sessionmaker[Session], peers: PeersConfig, *, clock: Clock | None = None,
                 settings: RelaySettings | None = None, client: httpx.Client | None = None,
                 rng: random.Random | None = None, name: str | None = None) -> None:
        self.settings = settings or RelaySettings()
        # give a fixed name per process to recover at once after a crash
        super().__init__(name or f"relay-{new_id()[:8]}", concurrency=self.settings.concurrency)
        self.idle_wait_s = self.settings.idle_wait_s
        self.factory = session_factory
        self.peers = peers
        self.clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self._own_client = client is None
        self.client = client or httpx.Client(
            timeout=self.settings.timeout_s,
            limits=httpx.Limits(max_connections=self.settings.concurrency * 2, max_keepalive_connections=self.settings.concurrency * 2),
        )
        self._ring = peers.keyring()
        self._last_recovery: datetime | None = None
        self._paused: dict[str, tuple[datetime, int]] = {}  # peer → (paused until, consecutive down batches)

    def close(self) -> None:
        super().close()
        if self._own_client:
            self.client.close()

    # -- one step -------------------------------------------------------------------------
    def recover_stale(self) -> int:
        """Put rows whose sending lease expired (their relay died) back to pending."""
        now = self.clock.now()
        if self._last_recovery is not None and (now - self._last_recovery).total_seconds() < self.settings.lease_s / 4:
            return 0  # a lease cannot have expired since the last look
        self._last_recovery = now
        with self.factory() as session, session.begin():
            return outbox.release(session, OUTBOX, claimed_before=now - timedelta(seconds=self.settings.lease_s))

    def claim(self) -> list[_Claimed]:
        """Claim up to one batch of due rows for this relay (own transaction)."""
        now = self.clock.now()
        paused = frozenset(p for p, (until, _) in self._paused.items() if until > now)
        with self.factory() as session, session.begin():
            return _claim(session, now=now, limit=self.settings.batch_size, worker=self.name, skip_peers=paused)

    def _update_breakers(self, outcomes: list[_Outcome], now: datetime) -> None:
        """A peer whose every answer in a batch was 'down' is paused with back-off (in memory only), so
        an outage costs one probing batch per pause instead of a failed attempt on every queued row."""
        down: dict[str, bool] = {}
        for o in outcomes:
            down[o.row.peer] = down.get(o.row.peer, True) and o.peer_down
        for peer, is_down in down.items():
            if not is_down:
                self._paused.pop(peer, None)
                continue
            failures = self._paused.get(peer, (now, 0))[1] + 1
            pause = timedelta(seconds=backoff_delay(failures, self.settings, self.rng))
            self._paused[peer] = (now + pause, failures)
            log.warning("peer %s looks down (%d failed batches); pausing sends for %.1fs", peer, failures,
                        pause.total_seconds())

    def run_once(self) -> RelayStats:
        """Claim one batch of due rows, send them concurrently, record every answer."""
        stats = RelayStats(recovered=self.recover_stale())
        claimed = self.claim()
        stats.claimed = len(claimed)
        if not claimed:
            return stats
        outcomes = self.send_all(claimed)
        self._record(outcomes, stats)
        self._update_breakers(outcomes, self.clock.now())
        return stats

    def recover_mine(self) -> int:
        """At start: rows this relay (same name) had claimed before it died go back to pending at once."""
        with self.factory() as session, session.begin():
            return outbox.release(session, OUTBOX, claimed_by=self.name)

    def before_run(self) -> None:
        recovered = self.recover_mine()
        if recovered:
            log.info("%s took back %d rows it had claimed before a restart", self.name, recovered)

    # -- sending --------------------------------------------------------------------------
    def _send(self, row: _Claimed) -> _Outcome:
        peer = self.peers.peers.get(row.peer)
        if peer is None:
            return _Outcome(row, OutboxState.REJECTED, f"unknown_peer: 未配置对端平台 {row.peer}")
        headers = sign_headers(sender=self.peers.local_platform, key=peer.keys[0], body=row.body, now=self.clock.now())
        if row.request_id:
            headers[trace.HEADER] = row.request_id
        try:
            resp = self.client.post(peer.messages_url, content=row.body, headers=headers)
        except httpx.HTTPError as exc:
            return _Outcome(row, OutboxState.PENDING, f"network: {type(exc).__name__}: {exc}"[:500], peer_down=True)
        try:
            body = orjson.loads(resp.content) if resp.content else {}
        except orjson.JSONDecodeError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if 200 <= resp.status_code < 300:
            try:  # a 2xx makes us forget the message: it must really come from the peer
                signer = verify(resp.headers, resp.content, self._ring, now=self.clock.now(),
                                skew_seconds=self.settings.ack_skew_s)
            except AuthRejected as exc:
                return _Outcome(row, OutboxState.PENDING, f"ack not trusted: {exc.code}: {exc.message}")
            if signer != row.peer or body.get("message_id") != row.message_id:
                return _Outcome(row, OutboxState.PENDING, f"ack not trusted: signed by {signer} for {body.get('message_id')}")
            return _Outcome(row, OutboxState.SENT, ack=body)
        error = f"http {resp.status_code} {body.get('code', '')}: {body.get('message', resp.text[:200])}"[:1000]
        if resp.status_code >= 500 or resp.status_code == 429:
            return _Outcome(row, OutboxState.PENDING, error, peer_down=True)
        if resp.status_code in _RETRY_4XX or body.get("retryable") is True:
            return _Outcome(row, OutboxState.PENDING, error)
        return _Outcome(row, OutboxState.REJECTED, error, ack=body or None)

    def _record(self, outcomes: list[_Outcome], stats: RelayStats) -> None:
        now = self.clock.now()
        tbl = OutboxMessage.__table__
        sent, retry, reject, peer_ids = [], [], [], []
        for o in outcomes:
            if o.state == OutboxState.SENT:
                log.info("outbox sent", extra={"message_id": o.row.message_id, "peer": o.row.peer, "kind": o.row.kind,
                                               "request_id": o.row.request_id})
                sent.append({"b_id": o.row.id, "b_ack": orjson.dumps(o.ack).decode()})
                receiver_id = (o.ack or {}).get("receiver_order_id")
                if o.row.kind == "transfer" and receiver_id:
                    peer_ids.append({"b_link": o.row.link_id, "b_peer_order": receiver_id})
            elif o.state == OutboxState.PENDING:
                attempts = o.row.failed_attempts + 1
                delay = backoff_delay(attempts, self.settings, self.rng)
                retry.append({"b_id": o.row.id, "b_attempts": attempts, "b_next": now + timedelta(seconds=delay),
                              "b_error": o.error})
                stats.errors.append(o.error or "")
            else:
                reject.append({"b_id": o.row.id, "b_error": o.error,
                               "b_ack": orjson.dumps(o.ack).decode() if o.ack else None})
                log.warning("peer rejected message %s (%s): %s", o.row.message_id, o.row.kind, o.error)
        mine = and_(tbl.c.id == bindparam("b_id"), tbl.c.state == OutboxState.SENDING, tbl.c.claimed_by == self.name)
        with self.factory() as session, session.begin():
            conn = session.connection()
            if sent:
                stats.sent = conn.execute(update(tbl).where(mine).values(
                    state=OutboxState.SENT, sent_at=now, ack=bindparam("b_ack"), last_error=None), sent).rowcount
            if retry:
                stats.retried = conn.execute(update(tbl).where(mine).values(
                    state=OutboxState.PENDING, failed_attempts=bindparam("b_attempts"),
                    next_attempt_at=bindparam("b_next"), last_error=bindparam("b_error"), claimed_by=None), retry).rowcount
            if reject:
                stats.rejected = conn.execute(update(tbl).where(mine).values(
                    state=OutboxState.REJECTED, last_error=bindparam("b_error"), ack=bindparam("b_ack")), reject).rowcount
            if peer_ids:
                lt = ExchangeLink.__table__
                conn.execute(update(lt).where(lt.c.id == bindparam("b_link")).values(
                    peer_order_id=bindparam("b_peer_order")), peer_ids)
