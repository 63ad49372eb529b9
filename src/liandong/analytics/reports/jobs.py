"""Reports generated in the background for the console (报告生成任务): a supervisor asks for a report, the
page polls the job's status and shows each step as it is done, then the download link.

A job is a row in the database, not an object in one process's memory: a desk runs several `liandong serve`
workers (and hosts) behind one address, and the page's polls land on any of them. The worker that accepted
the request generates the report in a thread and writes each step, then the file, to the row. A job belongs
to the user who asked for it — nobody else can see its status or download its file — and is deleted `KEEP`
after it finished. At most one job per user runs at a time, and `MAX_RUNNING` in all, so reports cannot
crowd out the desk; a job whose worker died (no step written for `STALLED`) counts as failed."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from liandong.analytics.tables import ReportJobRow
from liandong.core.errors import Conflict, LiandongError, NotFound

log = logging.getLogger(__name__)

KEEP = timedelta(minutes=30)
STALLED = timedelta(minutes=10)
MAX_RUNNING = 2
GONE = "报告任务不存在或已过期（完成 30 分钟后清除），请重新生成"
DIED = "生成中断（服务进程已重启或停止），请重新生成"

Progress = Callable[[str], None]  # records one finished step
Work = Callable[[Progress], tuple[bytes, str]]  # generates the file: its bytes and its name


@dataclass(frozen=True)
class ReportJob:  # 报告生成任务（状态，不含文件）
    id: str
    title: str
    fmt: str
    created_at: datetime
    steps: tuple[str, ...]
    filename: str | None
    error: str | None
    finished_at: datetime | None
    seconds: float  # wall time it took (a frozen clock in tests says nothing about it)
    size: int  # bytes of the finished file

    @property
    def running(self) -> bool:
        return self.finished_at is None and self.error is None


class ReportJobs:
    def __init__(self, write: Callable[[], AbstractContextManager[Session]],
                 read: Callable[[], AbstractContextManager[Session]], clock: Callable[[], datetime]) -> None:
        self._write, self._read, self._clock = write, read, clock
        self._done: dict[str, threading.Event] = {}  # jobs started by this process, set when finished

    def start(self, owner: str, title: str, fmt: str, work: Work) -> ReportJob:
        """Record the job, then run `work(progress)` in a thread of this process."""
        now = self._clock()
        with self._write() as session:
            session.execute(delete(ReportJobRow).where(ReportJobRow.finished_at < now - KEEP))
            live = (ReportJobRow.finished_at.is_(None), ReportJobRow.error.is_(None),
                    ReportJobRow.updated_at >= now - STALLED)
            if session.scalar(select(func.count()).where(*live, ReportJobRow.owner == owner)):
                raise Conflict("您已有一份报告正在生成，请等它完成后再生成下一份")
            if session.scalar(select(func.count()).where(*live)) >= MAX_RUNNING:
                raise Conflict("正在生成的报告较多，请稍后再试")
            row = ReportJobRow(id=secrets.token_urlsafe(12), owner=owner, title=title[:200], fmt=fmt, created_at=now,
                               updated_at=now, steps=[], seconds=0.0)
            session.add(row)
            job = _view(row, now)
        done = self._done[job.id] = threading.Event()
        threading.Thread(target=self._run, args=(job.id, work, done), name=f"report-{job.id}", daemon=True).start()
        return job

    def _run(self, job_id: str, work: Work, done: threading.Event) -> None:
        started, steps = time.perf_counter(), []

        def progress(step: str) -> None:
            steps.append(step)
            self._set(job_id, steps=list(steps))

        try:
            content, name = work(progress)
            outcome = {"content": content, "filename": name}
        except LiandongError as exc:  # shown to its owner in Chinese
            outcome = {"error": exc.message}
        except Exception:  # noqa: BLE001 — logged; its owner is told, in Chinese
            log.exception("report job %s failed", job_id)
            outcome = {"error": "生成报告时出错，已记录，请稍后重试或联系管理员"}
        try:
            self._set(job_id, **outcome, seconds=time.perf_counter() - started, finished_at=self._clock())
        except Exception:  # noqa: BLE001 — the database is gone; the job shows as stalled, then failed
            log.exception("report job %s: its outcome could not be stored", job_id)
        finally:
            done.set()
            self._done.pop(job_id, None)

    def _set(self, job_id: str, **values) -> None:
        with self._write() as session:
            session.execute(update(ReportJobRow).where(ReportJobRow.id == job_id)
                            .values(updated_at=self._clock(), **values))

    def get(self, job_id: str, owner: str) -> ReportJob:
        with self._read() as session:
            row = session.execute(select(*_STATUS).where(ReportJobRow.id == job_id, ReportJobRow.owner == owner)).first()
        if row is None:  # another user's job is as absent as a forgotten one
            raise NotFound(GONE)
        return _view(row, self._clock())

    def file(self, job_id: str, owner: str) -> tuple[ReportJob, bytes | None]:
        """The job and its file (None until it has finished)."""
        with self._read() as session:
            row = session.execute(select(*_STATUS, ReportJobRow.content)
                                  .where(ReportJobRow.id == job_id, ReportJobRow.owner == owner)).first()
        if row is None:
            raise NotFound(GONE)
        return _view(row, self._clock()), row.content

    def wait(self, job_id: str, timeout: float) -> bool:
        """Block until a job started by this process has finished (True at once for any other job)."""
        done = self._done.get(job_id)
        return done.wait(timeout) if done is not None else True


_STATUS = (ReportJobRow.id, ReportJobRow.title, ReportJobRow.fmt, ReportJobRow.created_at, ReportJobRow.updated_at,
           ReportJobRow.steps, ReportJobRow.filename, ReportJobRow.error, ReportJobRow.finished_at, ReportJobRow.seconds,
           func.coalesce(func.length(ReportJobRow.content), 0).label("size"))


def _view(row, now: datetime) -> ReportJob:
    error = row.error
    if row.finished_at is None and error is None and now - row.updated_at > STALLED:
        error = DIED
    return ReportJob(row.id, row.title, row.fmt, row.created_at, tuple(row.steps or ()), row.filename, error,
                     row.finished_at, row.seconds or 0.0, getattr(row, "size", 0) or 0)
