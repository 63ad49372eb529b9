"""Background jobs (后台任务) that many processes may offer to run, and exactly one runs when due.

Each job has a row in `job_leases`. A process runs a due job only if one compare-and-set moves the
row's lease forward:

    UPDATE job_leases SET holder = me, lease_until = now + lease, last_started_at = now, runs = runs + 1
     WHERE name = :job AND (lease_until IS NULL OR lease_until < now)
       AND (last_started_at IS NULL OR last_started_at <= now - interval)

On PostgreSQL the row lock makes the second of two racing UPDATEs re-check the condition after the first
commits, so it matches nothing; on SQLite writers are serialised (BEGIN IMMEDIATE). A holder that dies
frees its job when the lease runs out. Every run is recorded in `job_runs` (who, when, outcome), which is
what the scale-out test reads to show no run was done twice, and what `/metrics` reads for scheduler lag.

Any process may host a `JobRunner` — a serving process (`liandong serve`, unless `--no-jobs`) or a
process of its own (`liandong worker --jobs supervision,exchange`). Later capabilities register a job
by adding a `Job` to the composition root's list (`Liandong.jobs`); nothing else changes.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterable

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from liandong.core.clock import Clock
from liandong.ops.tables import JobLease, JobRun

log = logging.getLogger("liandong.jobs")
WriteTx = Callable[[], AbstractContextManager[Session]]
KEEP_RUNS = timedelta(days=7)


@dataclass(frozen=True)
class Job:  # 后台任务
    name: str
    interval_s: float
    run: Callable[[datetime], object]  # does the work in its own transactions; returns a summary for the record
    lease_s: float = 600.0  # a holder that died frees the job after this long


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def claim(session: Session, job: Job, holder: str, now: datetime) -> int | None:
    """Take `job` if it is due and free; returns the id of its run record, or None."""
    _ensure_row(session, job)
    due_before = now - timedelta(seconds=job.interval_s)
    won = session.execute(
        update(JobLease)
        .where(JobLease.name == job.name,
               or_(JobLease.lease_until.is_(None), JobLease.lease_until < now),
               or_(JobLease.last_started_at.is_(None), JobLease.last_started_at <= due_before))
        .values(holder=holder, lease_until=now + timedelta(seconds=job.lease_s), last_started_at=now,
                runs=JobLease.runs + 1, interval_s=int(job.interval_s))
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        return None
    return session.execute(insert(JobRun).values(name=job.name, holder=holder, started_at=now)
                           .returning(JobRun.id)).scalar_one()


def finish(session: Session, job: Job, holder: str, run_id: int, now: datetime, *, ok: bool, summary: str) -> None:
    session.execute(
        update(JobLease).where(JobLease.name == job.name, JobLease.holder == holder)
        .values(holder=None, lease_until=None, last_finished_at=now,
                failures=JobLease.failures + (0 if ok else 1), last_error=None if ok else summary[:2000])
        .execution_options(synchronize_session=False))
    session.execute(update(JobRun).where(JobRun.id == run_id).values(finished_at=now, ok=ok, summary=summary[:2000])
                    .execution_options(synchronize_session=False))
    session.execute(delete(JobRun).where(JobRun.name == job.name, JobRun.started_at < now - KEEP_RUNS)
                    .execution_options(synchronize_session=False))


def _ensure_row(session: Session, job: Job) -> None:
    if session.scalar(select(JobLease.name).where(JobLease.name == job.name)) is not None:
        return
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(upsert(JobLease).values(name=job.name, interval_s=int(job.interval_s), runs=0, failures=0)
                    .on_conflict_do_nothing(index_elements=["name"]))


class JobRunner:
    """Offers its jobs every `tick` seconds; runs those it wins, one after another, in its own thread."""

    def __init__(self, jobs: Iterable[Job], write: WriteTx, clock: Clock, *, tick: float = 1.0,
                 holder: str | None = None) -> None:
        self.jobs = list(jobs)
        self.write, self.clock, self.tick = write, clock, tick
        self.holder = holder or holder_name()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_due(self) -> list[str]:
        """One round: the names of the jobs this runner ran."""
        ran = []
        for job in self.jobs:
            if self._stop.is_set():
                break
            try:
                with self.write() as session:
                    run_id = claim(session, job, self.holder, self.clock.now())
            except Exception:  # noqa: BLE001 — the database is away; the next round tries again
                log.warning("job %s: could not take its lease", job.name, exc_info=True)
                continue
            if run_id is None:
                continue
            ok, summary = True, ""
            try:
                summary = str(job.run(self.clock.now()) or "")
            except Exception as exc:  # noqa: BLE001 — recorded on the lease; the next due round tries again
                ok, summary = False, f"{type(exc).__name__}: {exc}"
                log.exception("job %s failed", job.name)
            with self.write() as session:
                finish(session, job, self.holder, run_id, self.clock.now(), ok=ok, summary=summary)
            log.info("job ran", extra={"job": job.name, "ok": ok, "summary": summary[:200]})
            ran.append(job.name)
        return ran

    def start(self) -> "JobRunner":
        self._thread = threading.Thread(target=self._loop, name="jobs", daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.tick):
            self.run_due()

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


def select_jobs(spec: str, jobs: dict[str, Job]) -> tuple[list[Job], bool]:
    """The leased jobs named by `spec` (all | none | a,b,…; `exchange` is the relay and `exchange-*`),
    and whether the exchange relay runs here."""
    spec = (spec or "all").strip()
    if spec == "all":
        return list(jobs.values()), True
    if spec == "none":
        return [], False
    names = {n.strip() for n in spec.split(",") if n.strip()}
    known = {n.split("-", 1)[0] for n in jobs} | set(jobs) | {"exchange"}
    unknown = sorted(names - known)
    if unknown:
        raise ValueError(f"未知的后台任务：{'、'.join(unknown)}；可选：{'、'.join(sorted(known))}")
    chosen = [job for name, job in jobs.items() if name in names or name.split("-", 1)[0] in names]
    return chosen, "exchange" in names
