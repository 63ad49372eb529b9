"""The webhook relay (推送转发): claims due deliveries, signs and POSTs them, records the answer.

Claiming, leases and the loop are the outbox relay core's (`storage/outbox.py`); a delivery's stream is
one subscriber's deliveries of one order, so a subscriber sees an order's events in the order they
happened, at most one per order in flight.

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
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.orm import Session

from liandong.core.clock import Clock
from liandong.core.ids import new_id
from liandong.push import events as ev
from liandong.push.tables import DeliveryRow, DeliveryState, SubscriberRow
from liandong.storage import outbox
from liandong.storage.outbox import Outbox, RelayLoop

log = logging.getLogger("liandong.push")
_RETRY_4XX = {408, 425, 429}
DELIVERIES = Outbox(DeliveryRow.__table__, DeliveryState.PENDING, DeliveryState.SENDING,
                    stream=("subscriber_id", "order_number"), position="id", due_order=("next_attempt_at", "id"))


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
    return outbox.backoff_delay(attempts, base_s=s.base_delay_s, max_s=s.max_delay_s, rng=rng)


def _claim(session: Session, *, now: datetime, limit: int, worker: str) -> list[_Claimed]:
    tbl = DeliveryRow.__table__
    claimed = outbox.claim(session, DELIVERIES, now=now, limit=limit, worker=worker, returning=[
        tbl.c.subscriber_id, tbl.c.event_id, tbl.c.event, tbl.c.body, tbl.c.attempts])
    if not claimed:
        return []
    subs = {s.id: s for s in session.scalars(select(SubscriberRow).where(
        SubscriberRow.id.in_({c.subscriber_id for c in claimed})))}
    return [_Claimed(c.id, c.event_id, c.event, c.body, c.attempts, subs[c.subscriber_id].url,
                     subs[c.subscriber_id].key) for c in claimed]


class PushRelay(RelayLoop):  # 推送转发器
    def __init__(self, session_factory, *, clock: Clock, settings: PushSettings | None = None,
                 client: httpx.Client | None = None, rng: random.Random | None = None, name: str | None = None) -> None:
        self.settings = settings or PushSettings()
        super().__init__(name or f"push-{new_id()[:8]}", concurrency=self.settings.concurrency)
        self.idle_wait_s = self.error_wait_s = self.settings.idle_wait_s
        self.factory = session_factory  # `with factory() as session` → a session; each step opens its own transaction
        self.clock = clock
        self.rng = rng or random.Random()
        self._own_client = client is None
        self.client = client or httpx.Client(timeout=self.settings.timeout_s)

    def close(self) -> None:
        super().close()
        if self._own_client:
            self.client.close()

    def recover_stale(self) -> int:
        cutoff = self.clock.now() - timedelta(seconds=self.settings.lease_s)
        with self.factory() as session, session.begin():
            return outbox.release(session, DELIVERIES, claimed_before=cutoff)

    def run_once(self) -> PushStats:
        """Claim one batch of due deliveries, send them concurrently, record every answer."""
        stats = PushStats(recovered=self.recover_stale())
        with self.factory() as session, session.begin():
            claimed = _claim(session, now=self.clock.now(), limit=self.settings.batch_size, worker=self.name)
        stats.claimed = len(claimed)
        if claimed:
            self._record(self.send_all(claimed), stats)
        return stats

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
