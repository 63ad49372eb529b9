"""The outbox relay core (发件箱转发): claiming, leases, back-off and the relay loop, shared by every
relay of an outbox-shaped table — the exchange with peer desks and the webhook deliveries.

Why one core: both relays claim, lease and back off the same way; only what they send and how they
read an answer differ, and that stays in their own capability.

An outbox-shaped table has `id`, `state`, `next_attempt_at`, `claimed_by`, `claimed_at`, and columns
naming ordered streams (an order link's messages; one subscriber's deliveries of one order). Claiming
selects up to n due ids (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so two relays never lock the same row)
and then sets them `sending` with a compare-and-set `UPDATE … WHERE id IN (…) AND state = pending
RETURNING …` (the only guard on SQLite, where it runs under the database's single write lock). A row is
due only when no earlier row of its stream is still pending or sending, so a stream is sent in order
with at most one row in flight. A relay that dies mid-send leaves rows `sending`; once their lease
expires any relay puts them back.
"""

from __future__ import annotations

import logging
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import ColumnElement, Row, Table, exists, select, update
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Outbox:  # an outbox-shaped table, as a relay sees it
    table: Table
    pending: str
    sending: str
    stream: tuple[str, ...]  # the columns naming one ordered stream
    position: str  # the column ordering a stream
    due_order: tuple[str, ...] = ("next_attempt_at",)  # the claim's order: that of an index on due rows


def backoff_delay(attempts: int, *, base_s: float, max_s: float, rng: random.Random) -> float:
    """Exponential back-off with jitter: base·2^(n-1), capped, scaled by a random factor in [0.5, 1]."""
    return min(max_s, base_s * 2 ** max(0, attempts - 1)) * (0.5 + rng.random() / 2)


def claim(session: Session, box: Outbox, *, now: datetime, limit: int, worker: str,
          returning: Sequence[ColumnElement], where: Sequence[ColumnElement] = ()) -> list[Row]:
    """Claim up to `limit` due rows of `box` for `worker`; the `returning` columns of each, by id."""
    t = box.table
    earlier = t.alias("earlier")
    blocked = exists().where(*(earlier.c[c] == t.c[c] for c in box.stream),
                             earlier.c[box.position] < t.c[box.position],
                             earlier.c.state.in_([box.pending, box.sending]))
    due = (select(t.c.id).where(t.c.state == box.pending, t.c.next_attempt_at <= now, ~blocked, *where)
           .order_by(*(t.c[c] for c in box.due_order)).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True, of=t)
    ids = list(session.scalars(due))  # a statement of its own: a LIMIT inside `IN (…)` is not a safe claim on PG
    if not ids:
        return []
    rows = session.execute(update(t).where(t.c.id.in_(ids), t.c.state == box.pending)  # compare-and-set
                           .values(state=box.sending, claimed_by=worker, claimed_at=now)
                           .returning(t.c.id, *returning)).all()
    return sorted(rows, key=lambda r: r.id)


def release(session: Session, box: Outbox, *, claimed_before: datetime | None = None,
            claimed_by: str | None = None) -> int:
    """Put `sending` rows back to pending: those whose lease began before `claimed_before` (their relay
    died), or those of `claimed_by` (a relay restarted under the same name)."""
    t = box.table
    cond = t.c.claimed_at < claimed_before if claimed_before is not None else t.c.claimed_by == claimed_by
    return session.execute(update(t).where(t.c.state == box.sending, cond)
                           .values(state=box.pending, claimed_by=None)).rowcount


class RelayLoop:
    """The loop of a relay: `run_once` until stopped, waiting only when a step claimed nothing; `wake`
    (after committing an enqueue in this process) cuts the wait. `send_all` sends a batch through a pool
    of `concurrency` threads."""

    idle_wait_s: float = 1.0
    error_wait_s: float = 1.0

    def __init__(self, name: str, *, concurrency: int) -> None:
        self.name = name
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=name)
        self._wake = threading.Event()
        self.log = logging.getLogger(f"liandong.relay.{name}")

    def run_once(self) -> Any:  # returns stats with `.claimed`
        raise NotImplementedError

    def before_run(self) -> None:
        """Called once when the loop starts (e.g. take back rows claimed before a restart)."""

    def send_all(self, rows: list) -> list:
        return list(self._pool.map(self._send, rows))

    def _send(self, row):
        raise NotImplementedError

    def wake(self) -> None:
        self._wake.set()

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def run(self, stop: threading.Event) -> None:
        self.before_run()
        while not stop.is_set():
            self._wake.clear()  # a wake() during the step below makes the next wait return at once
            try:
                stats = self.run_once()
            except Exception:  # noqa: BLE001 - keep relaying; the database holds all state
                self.log.exception("relay step failed")
                stop.wait(self.error_wait_s)
                continue
            if stats.claimed == 0:
                self._wake.wait(self.idle_wait_s)

    def start(self) -> tuple[threading.Thread, threading.Event]:
        """Run the loop in a daemon thread; set the returned event (then `wake()`) to stop it."""
        stop = threading.Event()
        thread = threading.Thread(target=self.run, args=(stop,), name=self.name, daemon=True)
        thread.start()
        return thread, stop
