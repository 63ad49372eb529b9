"""The intake queue (成批受理): appeals that arrive together are routed together and stored in one transaction.

Why: per appeal, the fixed costs of a write transaction — BEGIN/COMMIT, the first id lookups, the
ORM's flush, the single-writer lock on SQLite — were most of intake's time. When many operators
submit at once, one writer thread takes everything queued at that moment (up to `MAX_BATCH`), routes
it in one model call and stores it in one transaction. It never waits to fill a batch: a lone appeal
is stored at once, so batching costs a caller nothing when the desk is quiet.

An appeal with an idempotency key (`storage.idempotency`) is looked up in the batch's transaction first:
a key already stored, or taken by an earlier appeal of the same batch, gets that first answer and
stores nothing; otherwise its key is stored with the appeal. A key raced in by another worker makes
the batch fail on the unique key, and the one-by-one retry then finds it and replays it.

Nothing is lost or stored twice when a batch fails: its transaction rolls back, and each of its
appeals is stored again in a transaction of its own (with the id it was given on arrival), so a bad
appeal fails alone with its own error and the others are stored.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from concurrent.futures import Future
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy.orm import Session

from liandong.core import trace
from liandong.core.actors import Actor
from liandong.core.errors import Busy
from liandong.core.ids import new_id
from liandong.intake.schemas import AppealCreate
from liandong.intake.service import Intake
from liandong.routing.decision import RoutingDecision
from liandong.storage import idempotency
from liandong.storage.idempotency import Keyed

log = logging.getLogger("liandong.intake")
MAX_BATCH = 64
MAX_WAITING = 5000  # beyond this the desk is overloaded: refuse with 503 rather than queue for minutes


@dataclass
class Pending:  # 待入库的诉求
    body: AppealCreate
    actor: Actor
    platform: str
    now: datetime
    appeal_id: str = field(default_factory=new_id)
    future: Future = field(default_factory=Future)
    keyed: Keyed | None = None  # with an Idempotency-Key: the result is the `Answer` (status and JSON body)
    request_id: str | None = field(default_factory=trace.current)  # bound again in the writer thread
    routing: RoutingDecision | None = None  # already routed by the caller (e.g. the portal): not routed again
    also: Callable[[Session], None] | None = None  # more rows to write in the appeal's own transaction
    opened: list = field(default_factory=list)  # the orders it opened, for `Intake.committed`


class IntakeQueue:
    def __init__(self, intake: Intake, write: Callable[[], AbstractContextManager[Session]], *,
                 max_batch: int = MAX_BATCH, max_waiting: int = MAX_WAITING) -> None:
        self.intake, self.write = intake, write
        self.max_batch = max_batch
        self._queue: queue.Queue[Pending | None] = queue.Queue(maxsize=max_waiting)
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.batches = 0  # batches stored whole, and the appeals in them (figures for tests and profiling)
        self.appeals = 0

    async def submit(self, body: AppealCreate, *, actor: Actor, platform: str, now: datetime,
                     keyed: Keyed | None = None):
        """Queue a checked appeal (see `Intake.check`); returns `(AppealRow, [OrderRow])` once committed,
        or with `keyed` the `idempotency.Answer` (the first one given for that key)."""
        return await asyncio.wrap_future(self.put(Pending(body, actor, platform, now, keyed=keyed)))

    def put(self, item: Pending) -> Future:
        self._ensure_started()
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            raise Busy("受理队列已满，系统繁忙，请稍后重试") from None
        return item.future

    def stop(self, timeout: float = 30) -> None:
        """Store what is queued, then stop the writer thread."""
        thread = self._thread
        if thread is None:
            return
        self._queue.put(None)
        thread.join(timeout)
        self._thread = None

    def _ensure_started(self) -> None:
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="intake-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch, stopping = [first], False
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            self._store([p for p in batch if p.future.set_running_or_notify_cancel()])
            if stopping:
                return

    def _store(self, batch: list[Pending]) -> None:
        if not batch:
            return
        try:
            routings = self._routings(batch)
            with self.write() as session:
                self.intake.prefetch_related(session, [p.body for p in batch], min(p.now for p in batch), routings)
                try:
                    results = [self._submit(session, p, routing) for p, routing in zip(batch, routings)]
                finally:
                    self.intake.related.end_batch()
        except Exception:
            log.warning("intake batch of %d failed; storing its appeals one by one", len(batch), exc_info=True)
            self.intake.related.forget_all()  # the batch's appeals were met by each other, then rolled back
            self._store_each(batch)
            return
        self.batches += 1
        self.appeals += len(batch)
        self.intake.committed([o for p in batch for o in p.opened])
        for p, result in zip(batch, results):
            p.future.set_result(result)

    def _store_each(self, batch: list[Pending]) -> None:
        failed = False
        for p in batch:
            try:
                routing = self._routings([p])[0]
                with self.write() as session:
                    result = self._submit(session, p, routing)
            except Exception as exc:  # noqa: BLE001 — handed to the waiting request, which maps it to 4xx/5xx
                failed = True
                p.future.set_exception(exc)
            else:  # only once committed
                self.intake.committed(p.opened)
                p.future.set_result(result)
        if failed:  # the failed appeals entered the repeat/mass index inside their rolled-back transaction
            self.intake.related.forget_all()

    def _routings(self, batch: list[Pending]) -> list[RoutingDecision]:
        """Each appeal's routing: the one it came with, else routed here (the rest in one model call)."""
        todo = [p for p in batch if p.routing is None]
        fresh = iter(self.intake.route([p.body for p in todo]) if todo else [])
        return [p.routing if p.routing is not None else next(fresh) for p in batch]

    def _submit(self, session, p: Pending, routing: dict):
        with trace.bound(p.request_id):
            return self._submit_bound(session, p, routing)

    @property
    def waiting(self) -> int:
        """Appeals queued and not yet taken by the writer (for `/metrics`)."""
        return self._queue.qsize()

    def _submit_bound(self, session, p: Pending, routing: dict):
        p.opened = []
        if p.keyed is not None:
            replay = idempotency.find(session, p.keyed, p.now)
            if replay is not None:
                return replay
        appeal, orders = self.intake.submit(session, p.body, actor=p.actor, platform=p.platform, now=p.now,
                                            routing=routing, appeal_id=p.appeal_id)
        p.opened = orders
        if p.also is not None:
            p.also(session)
        log.info("appeal stored", extra={"appeal_id": appeal.id, "orders": [o.number for o in orders],
                                         "services": (appeal.routing or {}).get("services")})
        if p.keyed is None:
            return appeal, orders
        status, body = p.keyed.answer((appeal, orders))
        answer = idempotency.Answer(status, body)
        idempotency.remember(session, p.keyed, answer, p.now)
        return answer
