"""The webhook relay (推送转发): claims due deliveries, signs and POSTs them, records the answer.

Claiming follows `exchange/relay.py`: due ids are selected (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
two relays never take the same row), then set `sending` with a compare-and-set `UPDATE … WHERE state =
'pending' RETURNING`. A delivery is due only when no earlier delivery of the same order to the same
subscriber is still pending or sending, so a subscriber sees an order's events in the order they
happened; at most one per order is in flight.

Answers:  2xx → delivered
          network error, timeout, 5xx, 408, 429 → pending again after base·2^(n-1) seconds (jitter ×0.5–1,
          capped); after `max_attempts` → failed (reported to administrators; `requeue` to try again)
          any other 4xx → failed at once (the subscriber refuses it: a wrong key, a wrong URL)

At least once: a delivery whose answer was lost is sent again with the same `Idempotency-Key` and the
same signed bytes; the subscriber drops a key it has seen. A relay that dies mid-send leaves rows in
`sending`; after the lease any relay puts them back.
"""

from __future__ import annotations

import logging
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import and_, bindparam, exists, select, update
from sqlalchemy.orm import Session, aliased

from liandong.core.clock import Clock
from liandong.core.ids import new_id
from liandong.push import events as ev
from liandong.push.tables import DeliveryRow, DeliveryState, SubscriberRow

log = logging.getLogger("liandong.push")
_RETRY_4XX = {408, 425, 429}


@dataclass(frozen=True)
class PushSettings:
    batch_size: int = 50
    concurrency: int = 8
    base_delay_s: float = 2.0
    max_delay_s: float = 600.0
    max_attempts: int = 10  # 10–17 minutes of retries with the defaults before a delivery is reported failed
    timeout_s: float = 5.0
    lease_s: float = 120.0
    idle_wait_s: float = 1.0


@dataclass
class PushStats:
    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    recovered: int = 0


@dataclass(frozen=True)
class _Claimed:
    id: int
    event_id: str
    event: str
    body: bytes
    attempts: int
    url: str
    key: str


@dataclass(frozen=True)
class _Outcome:
    row: _Claimed
    state: str
    status: int | None = None
    error: str | None = None


def backoff_delay(attempts: int, s: PushSettings, rng: random.Random) -> float:
    return min(s.max_delay_s, s.base_delay_s * 2 ** max(0, attempts - 1)) * (0.5 + rng.random() / 2)


def _claim(session: Session, *, now: datetime, limit: int, worker: str) -> list[_Claimed]:
    earlier = aliased(DeliveryRow)
    blocked = exists().where(earlier.subscriber_id == DeliveryRow.subscriber_id,
                             earlier.order_number == DeliveryRow.order_number, earlier.id < DeliveryRow.id,
                             earlier.state.in_([DeliveryState.PENDING, DeliveryState.SENDING]))
    due = (select(DeliveryRow.id)
           .where(DeliveryRow.state == DeliveryState.PENDING, DeliveryRow.next_attempt_at <= now, ~blocked)
           .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True, of=DeliveryRow)
    ids = list(session.scalars(due))
    if not ids:
        return []
    tbl = DeliveryRow.__table__
    claimed = session.execute(
        update(tbl).where(tbl.c.id.in_(ids), tbl.c.state == DeliveryState.PENDING)
        .values(state=DeliveryState.SENDING, claimed_by=worker, claimed_at=now)
        .returning(tbl.c.id, tbl.c.subscriber_id, tbl.c.event_id, tbl.c.event, tbl.c.body, tbl.c.attempts)).all()
    subs = {s.id: s for s in session.scalars(select(SubscriberRow).where(
        SubscriberRow.id.in_({c.subscriber_id for c in claimed})))}
    return sorted((_Claimed(c.id, c.event_id, c.event, c.body, c.attempts, subs[c.subscriber_id].url,
                            subs[c.subscriber_id].key) for c in claimed), key=lambda c: c.id)


class PushRelay:  # 推送转发器
    def __init__(self, session_factory, *, clock: Clock, settings: PushSettings | None = None,
                 client: httpx.Client | None = None, rng: random.Random | None = None, name: str | None = None) -> None:
        self.factory = session_factory  # `with factory() as session` → a session; each step opens its own transaction
        self.clock = clock
        self.settings = settings or PushSettings()
        self.rng = rng or random.Random()
        self.name = name or f"push-{new_id()[:8]}"
        self._own_client = client is None
        self.client = client or httpx.Client(timeout=self.settings.timeout_s)
        self._pool = ThreadPoolExecutor(max_workers=self.settings.concurrency, thread_name_prefix=self.name)
        self._wake = threading.Event()

    def wake(self) -> None:
        self._wake.set()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        if self._own_client:
            self.client.close()

    def recover_stale(self) -> int:
        cutoff = self.clock.now() - timedelta(seconds=self.settings.lease_s)
        with self.factory() as session, session.begin():
            return session.execute(
                update(DeliveryRow).where(DeliveryRow.state == DeliveryState.SENDING, DeliveryRow.claimed_at < cutoff)
                .values(state=DeliveryState.PENDING, claimed_by=None).execution_options(synchronize_session=False)
            ).rowcount

    def run_once(self) -> PushStats:
        """Claim one batch of due deliveries, send them concurrently, record every answer."""
        stats = PushStats(recovered=self.recover_stale())
        with self.factory() as session, session.begin():
            claimed = _claim(session, now=self.clock.now(), limit=self.settings.batch_size, worker=self.name)
        stats.claimed = len(claimed)
        if claimed:
            self._record(list(self._pool.map(self._send, claimed)), stats)
        return stats

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self._wake.clear()
            try:
                stats = self.run_once()
            except Exception:  # noqa: BLE001 - keep relaying; the database holds all state
                log.exception("push relay step failed")
                stop.wait(self.settings.idle_wait_s)
                continue
            if stats.claimed == 0:
                self._wake.wait(self.settings.idle_wait_s)

    def start(self) -> tuple[threading.Thread, threading.Event]:
        stop = threading.Event()
        thread = threading.Thread(target=self.run, args=(stop,), name=self.name, daemon=True)
        thread.start()
        return thread, stop

    def _send(self, row: _Claimed) -> _Outcome:
        hdrs = ev.headers(key=row.key, raw=row.body, event_id=row.event_id, kind=row.event, delivery_id=row.id,
                          attempt=row.attempts + 1)
        try:
            resp = self.client.post(row.url, content=row.body, headers=hdrs)
        except httpx.HTTPError as exc:
            return _Outcome(row, DeliveryState.PENDING, None, f"network: {type(exc).__name__}: {exc}"[:500])
        if 200 <= resp.status_code < 300:
            return _Outcome(row, DeliveryState.DELIVERED, resp.status_code)
        error = f"http {resp.status_code}: {resp.text[:200]}"
        if resp.status_code >= 500 or resp.status_code in _RETRY_4XX:
            return _Outcome(row, DeliveryState.PENDING, resp.status_code, error)
        return _Outcome(row, DeliveryState.FAILED, resp.status_code, error)

    def _record(self, outcomes: list[_Outcome], stats: PushStats) -> None:
        now = self.clock.now()
        done, retry, failed = [], [], []
        for o in outcomes:
            attempts = o.row.attempts + 1
            if o.state == DeliveryState.DELIVERED:
                done.append({"b_id": o.row.id, "b_n": attempts, "b_status": o.status})
            elif o.state == DeliveryState.PENDING and attempts < self.settings.max_attempts:
                delay = backoff_delay(attempts, self.settings, self.rng)
                retry.append({"b_id": o.row.id, "b_n": attempts, "b_status": o.status, "b_error": o.error,
                              "b_next": now + timedelta(seconds=delay)})
            else:
                reason = o.error if o.state == DeliveryState.FAILED else f"已重试 {attempts} 次仍失败：{o.error}"
                failed.append({"b_id": o.row.id, "b_n": attempts, "b_status": o.status, "b_error": reason[:1000]})
                log.warning("push delivery %s (%s) failed: %s", o.row.id, o.row.event, reason)
        tbl = DeliveryRow.__table__
        mine = and_(tbl.c.id == bindparam("b_id"), tbl.c.state == DeliveryState.SENDING, tbl.c.claimed_by == self.name)
        with self.factory() as session, session.begin():
            conn = session.connection()
            if done:
                stats.delivered = conn.execute(update(tbl).where(mine).values(
                    state=DeliveryState.DELIVERED, attempts=bindparam("b_n"), last_status=bindparam("b_status"),
                    last_error=None, delivered_at=now, claimed_by=None), done).rowcount
            if retry:
                stats.retried = conn.execute(update(tbl).where(mine).values(
                    state=DeliveryState.PENDING, attempts=bindparam("b_n"), last_status=bindparam("b_status"),
                    last_error=bindparam("b_error"), next_attempt_at=bindparam("b_next"), claimed_by=None), retry).rowcount
            if failed:
                stats.failed = conn.execute(update(tbl).where(mine).values(
                    state=DeliveryState.FAILED, attempts=bindparam("b_n"), last_status=bindparam("b_status"),
                    last_error=bindparam("b_error"), claimed_by=None), failed).rowcount
