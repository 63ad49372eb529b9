"""Job leases on SQLite and PostgreSQL: one claim per due run, a dead holder's lease runs out, runs recorded."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from liandong.app import Liandong
from liandong.config import Settings
from liandong.ops.jobs import Job, JobRunner, claim, finish, select_jobs
from liandong.ops.tables import JobLease, JobRun


@pytest.fixture
def ctx(db_url, clock):
    c = Liandong(Settings(database_url=db_url), clock=clock)
    yield c
    c.close()


JOB = Job("probe", interval_s=60, run=lambda now: "ok", lease_s=300)


def test_of_many_claims_at_once_exactly_one_wins(ctx, clock):
    def one(i):
        with ctx.write() as session:
            return claim(session, JOB, f"h{i}", clock.now())
    with ThreadPoolExecutor(8) as pool:
        won = [r for r in pool.map(one, range(16)) if r is not None]
    assert len(won) == 1
    with ctx.read() as session:
        assert session.scalar(select(JobLease.runs).where(JobLease.name == "probe")) == 1


def test_a_finished_job_is_due_again_after_its_interval_and_not_before(ctx, clock):
    with ctx.write() as session:
        run = claim(session, JOB, "a", clock.now())
        finish(session, JOB, "a", run, clock.now(), ok=True, summary="done")
    with ctx.write() as session:
        assert claim(session, JOB, "b", clock.now() + timedelta(seconds=59)) is None
        assert claim(session, JOB, "b", clock.now() + timedelta(seconds=60)) is not None


def test_a_dead_holders_lease_runs_out(ctx, clock):
    with ctx.write() as session:
        assert claim(session, JOB, "dead", clock.now()) is not None  # never finishes
    with ctx.write() as session:
        assert claim(session, JOB, "b", clock.now() + timedelta(seconds=120)) is None  # due, but still leased
        assert claim(session, JOB, "b", clock.now() + timedelta(seconds=301)) is not None


def test_a_failing_job_is_recorded_and_the_runner_goes_on(ctx, clock):
    def boom(now):
        raise RuntimeError("数据库忙")
    runner = JobRunner([Job("boom", 60, boom), Job("fine", 60, lambda now: "ok")], ctx.write, clock)
    assert runner.run_due() == ["boom", "fine"]
    assert runner.run_due() == []  # not due again yet
    with ctx.read() as session:
        lease = session.get(JobLease, "boom")
        assert lease.failures == 1 and "数据库忙" in lease.last_error and lease.holder is None
        assert [(r.name, r.ok) for r in session.scalars(select(JobRun).order_by(JobRun.id))] == \
            [("boom", False), ("fine", True)]


def test_jobs_are_chosen_by_name_and_unknown_names_refused(ctx):
    jobs = {"supervision": JOB, "exchange-watch": JOB}
    assert select_jobs("none", jobs) == ([], False)
    assert select_jobs("all", jobs) == ([JOB, JOB], True)
    assert select_jobs("exchange", jobs) == ([JOB], True)
    assert select_jobs("supervision", jobs) == ([JOB], False)
    with pytest.raises(ValueError, match="未知的后台任务：nightly"):
        select_jobs("supervision,nightly", jobs)
