"""The console's reports page over HTTP: refusals in Chinese (bad period, a street outside the region, a bad
format), the job's status fragment while it runs and when it is done, jobs private to their owner, and a job
followed from another worker process (the job is in the database, not in the process that generates it)."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from liandong.analytics.tables import ReportJobRow
from liandong.api.app import create_app
from liandong.app import Liandong
from tests.analytics_kit import load_golden
from tests.builders import World
from tests.console_kit import give_passwords, page_csrf, sign_in


@pytest.fixture
def cw(world: World) -> World:
    with world.ctx.write() as session:
        load_golden(session)
    give_passwords(world.ctx, "supervisor", "dispatcher_west", "operator")
    return world


def _post(client, **fields):
    token = page_csrf(client, "/console/analytics/reports")
    return client.post("/console/analytics/reports", data={"csrf_token": token, "format": "pdf", **fields},
                       follow_redirects=False)


@pytest.mark.parametrize("who, fields, status, words", [
    ("supervisor", {"kind": "weekly", "period": "2019-11"}, 422, "民情热点周报的周期应为一周"),
    ("supervisor", {"kind": "monthly", "period": "2019-13"}, 422, "2019-13"),
    ("supervisor", {"kind": "weekly", "period": "2019-W46", "format": "doc"}, 422, "格式「doc」无效"),
    ("supervisor", {"kind": "daily", "period": "2019-W46"}, 422, "报告类型「daily」无效"),
    ("dispatcher_west", {"kind": "street", "period": "2019-11", "street": "148802001"}, 403, "不在您的辖区范围内"),
])
def test_a_bad_request_is_refused_at_once_in_chinese_with_the_form_kept(cw: World, who, fields, status, words):
    assert sign_in(cw.client, who).status_code == 303
    r = _post(cw.client, **fields)
    assert r.status_code == status and words in r.text
    assert 'id="report-error"' in r.text and f'value="{fields["period"]}"' in r.text


def test_the_street_list_is_the_viewers_region_and_operators_are_refused(cw: World):
    assert sign_in(cw.client, "dispatcher_west").status_code == 303
    page = cw.client.get("/console/analytics/reports").text
    assert "148803" in page and 'value="148802001"' not in page
    operator = TestClient(cw.client.app)
    assert sign_in(operator, "operator").status_code == 303
    assert operator.get("/console/analytics/reports").status_code == 403


def _running_job(world: World, job_id: str, owner: str, *, steps: list[str], last_step_ago: timedelta) -> None:
    """A job row as a worker writes it while it generates (steps done so far, no file yet)."""
    now = world.ctx.clock.now()
    with world.ctx.write() as session:
        session.add(ReportJobRow(id=job_id, owner=owner, title="民情热点周报（2019-W46）", fmt="pdf", created_at=now,
                                 updated_at=now - last_step_ago, steps=steps, seconds=0.0))


def test_the_status_fragment_polls_while_running_and_offers_the_file_when_done(cw: World):
    assert sign_in(cw.client, "supervisor").status_code == 303
    _running_job(cw, "runningjob1", "12345:supervisor", steps=["总量与同比环比", "渠道、分类与街镇"],
                 last_step_ago=timedelta(seconds=5))
    r = cw.client.get("/console/analytics/reports/jobs/runningjob1", headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'hx-trigger="every 1s"' in r.text and "正在生成（2/7）：渠道、分类与街镇" in r.text
    assert "<html" not in r.text  # the fragment only
    assert "尚未生成完成" in cw.client.get("/console/analytics/reports/jobs/runningjob1/file").text
    r = _post(cw.client, kind="weekly", period="2019-W46", format="xlsx")
    assert r.status_code == 409 and "您已有一份报告正在生成" in r.text  # one running job per user
    with cw.ctx.write() as session:
        session.delete(session.get(ReportJobRow, "runningjob1"))
    r = _post(cw.client, kind="weekly", period="2019-W46", format="xlsx")
    assert r.status_code == 303
    job_url = r.headers["location"]
    assert cw.ctx.report_jobs.wait(job_url.rsplit("/", 1)[1], 120)  # the job's thread says when it has finished
    done = cw.client.get(job_url, headers={"HX-Request": "true"})
    assert "已生成（7/7）" in done.text and "hx-trigger" not in done.text and "report-weekly-2019-W46.xlsx" in done.text
    f = cw.client.get(job_url + "/file")
    assert f.status_code == 200 and f.content[:2] == b"PK"
    west = TestClient(cw.client.app)
    assert sign_in(west, "dispatcher_west").status_code == 303  # another user: no such job
    other = west.get(job_url)
    assert other.status_code == 404 and "报告任务不存在或已过期" in other.text


def test_a_job_started_on_one_worker_is_followed_and_downloaded_on_another(cw: World):
    """Two app processes' worth of state on one database: the second has never seen the job in memory."""
    assert sign_in(cw.client, "supervisor").status_code == 303
    r = _post(cw.client, kind="weekly", period="2019-W46", format="pdf")
    assert r.status_code == 303
    job_url = r.headers["location"]
    assert cw.ctx.report_jobs.wait(job_url.rsplit("/", 1)[1], 120)
    other_ctx = Liandong(cw.ctx.settings, clock=cw.ctx.clock, router_override=cw.ctx.router_override)
    try:
        other = TestClient(create_app(other_ctx))
        assert sign_in(other, "supervisor").status_code == 303
        status = other.get(job_url, headers={"HX-Request": "true"})
        assert status.status_code == 200 and "已生成（7/7）" in status.text
        f = other.get(job_url + "/file")
        assert f.status_code == 200 and f.content[:4] == b"%PDF"
    finally:
        other_ctx.close()


def test_a_job_whose_worker_died_shows_as_failed_and_does_not_block_the_next(cw: World):
    assert sign_in(cw.client, "supervisor").status_code == 303
    _running_job(cw, "stalledjob1", "12345:supervisor", steps=["总量与同比环比"], last_step_ago=timedelta(minutes=11))
    r = cw.client.get("/console/analytics/reports/jobs/stalledjob1", headers={"HX-Request": "true"})
    assert "生成失败：生成中断" in r.text and "hx-trigger" not in r.text
    r = _post(cw.client, kind="weekly", period="2019-W46", format="xlsx")
    assert r.status_code == 303
    assert cw.ctx.report_jobs.wait(r.headers["location"].rsplit("/", 1)[1], 120)
