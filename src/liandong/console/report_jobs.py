"""Reports generated for the console in the background (报告生成任务): a supervisor asks for a report, the
page polls the job's status fragment (htmx) and shows each step as it is done, then the download link.

A job lives in this process's memory (one console process serves a desk); it belongs to the user who asked
for it — nobody else can see its status or download its file — and is forgotten `KEEP` after it finished.
At most one job per user runs at a time, and `MAX_RUNNING` in all, so a report cannot crowd out the desk."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from liandong.core.errors import Conflict, LiandongError, NotFound

log = logging.getLogger(__name__)

KEEP = timedelta(minutes=30)
MAX_RUNNING = 2


@dataclass
class ReportJob:  # 报告生成任务
    id: str
    owner: str  # platform:user
    title: str
    fmt: str
    created_at: datetime
    steps: list[str] = field(default_factory=list)  # done so far
    content: bytes | None = None
    filename: str | None = None
    error: str | None = None
    finished_at: datetime | None = None
    seconds: float = 0.0  # how long it took (wall time: a frozen clock in tests says nothing about it)
    done: threading.Event = field(default_factory=threading.Event, repr=False)  # set when it has finished

    @property
    def running(self) -> bool:
        return self.finished_at is None


class ReportJobs:
    def __init__(self) -> None:
        self._jobs: dict[str, ReportJob] = {}
        self._lock = threading.Lock()

    def start(self, owner: str, title: str, fmt: str, clock: Callable[[], datetime],
              work: Callable[[ReportJob], tuple[bytes, str]]) -> ReportJob:
        """Run `work(job)` (it appends the steps it has done and returns the file and its name) in a thread."""
        now = clock()
        with self._lock:
            self._forget(now)
            running = [j for j in self._jobs.values() if j.running]
            if any(j.owner == owner for j in running):
                raise Conflict("您已有一份报告正在生成，请等它完成后再生成下一份")
            if len(running) >= MAX_RUNNING:
                raise Conflict("正在生成的报告较多，请稍后再试")
            job = ReportJob(secrets.token_urlsafe(12), owner, title, fmt, now)
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, work, clock), name=f"report-{job.id}", daemon=True).start()
        return job

    @staticmethod
    def _run(job: ReportJob, work, clock: Callable[[], datetime]) -> None:
        started = time.perf_counter()
        try:
            content, name = work(job)
            job.content, job.filename = content, name
        except LiandongError as exc:  # shown to its owner in Chinese
            job.error = exc.message
        except Exception:  # noqa: BLE001 — logged; its owner is told, in Chinese
            log.exception("report job %s failed", job.id)
            job.error = "生成报告时出错，已记录，请稍后重试或联系管理员"
        finally:
            job.seconds = time.perf_counter() - started
            job.finished_at = clock()
            job.done.set()

    def get(self, job_id: str, owner: str) -> ReportJob:
        job = self._jobs.get(job_id)
        if job is None or job.owner != owner:  # another user's job is as absent as a forgotten one
            raise NotFound("报告任务不存在或已过期（完成 30 分钟后清除），请重新生成")
        return job

    def _forget(self, now: datetime) -> None:
        for key in [k for k, j in self._jobs.items() if j.finished_at and now - j.finished_at > KEEP]:
            del self._jobs[key]


JOBS = ReportJobs()
