"""Health, readiness, metrics, request ids and intake limits over HTTP (issue 17)."""

import pytest

from liandong.core.errors import Busy
from liandong.ops.jobs import JobRunner
from liandong.ops.ratelimit import IntakeLimiter, Limits
from liandong.storage.migrate import upgrade
from tests.ops_kit import SCRAPE_TOKEN, ops_world, value

GOOD = {"channel": "phone", "text": "路灯坏了好几天了", "region": "148802001"}
SCRAPE = {"Authorization": f"Bearer {SCRAPE_TOKEN}"}


@pytest.fixture
def world(db_url, clock):
    w = ops_world(db_url, clock)
    yield w
    w.ctx.close()


def scrape(world) -> str:
    r = world.client.get("/metrics", headers=SCRAPE)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return r.text


def test_alive_and_ready_with_each_check_named(world):
    assert world.client.get("/healthz").json()["status"] == "ok"
    r = world.client.get("/readyz")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ready"] is True
    assert {k: v["ok"] for k, v in body["checks"].items()} == {"database": True, "migrations": True, "model": True}
    assert body["peers"] == {}


def test_not_ready_while_the_schema_is_behind_the_code(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0005")
    w = ops_world(url, clock)
    try:
        r = w.client.get("/readyz")
        assert r.status_code == 503
        checks = r.json()["checks"]
        assert checks["database"]["ok"] is True and checks["migrations"]["ok"] is False
        assert "0005" in checks["migrations"]["detail"]
    finally:
        w.ctx.close()


def test_metrics_need_the_scrape_token(world, tmp_path, clock):
    assert world.client.get("/metrics").status_code == 401
    assert world.client.get("/metrics", headers={"Authorization": "Bearer wrong-token-0000000000"}).status_code == 401
    assert world.client.get("/metrics", headers=world.as_("admin")).status_code == 401  # a user's token is not a scrape token
    url = f"sqlite:///{tmp_path / 'closed.db'}"
    upgrade(url)
    closed = ops_world(url, clock, metrics_token=None)
    try:
        r = closed.client.get("/metrics", headers=SCRAPE)
        assert r.status_code == 403 and "LIANDONG_METRICS_TOKEN" in r.json()["message"]
    finally:
        closed.ctx.close()


def test_metrics_count_intake_routing_orders_and_jobs(world):
    world.client.app.state.db_collector.cache_s = 0  # else the figures of the first scrape are served for 10 s
    before = scrape(world)
    for text in ("路灯坏了好几天了", "小区停水了", "不确定是什么问题"):
        assert world.post("operator", "/appeals", {**GOOD, "text": text}).status_code == 201
    assert world.post("operator", "/appeals", {**GOOD, "region": "148899"}).status_code == 422
    JobRunner(world.ctx.jobs.values(), world.ctx.write, world.ctx.clock).run_due()
    after = world.client.get("/metrics", headers=SCRAPE).text
    grew = lambda name, **lbl: value(after, name, **lbl) - value(before, name, **lbl)  # noqa: E731
    assert grew("liandong_appeals_received_total", channel="phone", service="12345") == 3
    assert grew("liandong_appeals_refused_total", channel="phone", reason="InvalidInput") == 1
    assert grew("liandong_routing_decisions_total", review="true") == 1
    assert grew("liandong_intake_seconds_count") == 3
    assert value(after, "liandong_orders", platform="12345") >= 3
    assert value(after, "liandong_job_runs_total", job="supervision") == 1
    assert value(after, "liandong_job_lag_seconds", job="supervision") == 0
    assert "liandong_db_pool_checked_out" in after and "liandong_intake_queue_depth" in after


def test_request_id_is_answered_and_an_unsafe_one_replaced(world):
    r = world.client.get("/api/v1/me", headers={**world.as_("admin"), "X-Request-ID": "lb-42.abc"})
    assert r.headers["x-request-id"] == "lb-42.abc"
    r = world.client.get("/api/v1/me", headers={**world.as_("admin"), "X-Request-ID": "<script>"})
    assert r.headers["x-request-id"] != "<script>" and len(r.headers["x-request-id"]) == 32


def test_a_full_queue_answers_503_with_retry_after(world, monkeypatch):
    def full(_item):
        raise Busy("受理队列已满，系统繁忙，请稍后重试")
    monkeypatch.setattr(world.ctx.intake_queue, "put", full)
    r = world.post("operator", "/appeals", GOOD)
    assert r.status_code == 503 and r.headers["retry-after"] == "1" and "繁忙" in r.json()["message"]


def _count_appeals(world) -> int:
    return world.get("admin", "/orders").json()["total"]


def test_a_self_service_flood_from_one_number_is_slowed_and_told_so(world):
    world.ctx.intake_limiter = IntakeLimiter(Limits(caller_burst=2, per_caller_per_hour=1))
    body = {**GOOD, "channel": "web", "caller": {"name": "王五", "phone": "13700001111"}}
    assert [world.post("operator", "/appeals", body).status_code for _ in range(2)] == [201, 201]
    before = _count_appeals(world)
    r = world.post("operator", "/appeals", body)
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0 and "该来电号码提交过于频繁" in r.json()["message"]
    assert _count_appeals(world) == before  # refused whole, and the client was told when to come back
    other = {**body, "caller": {"name": "赵六", "phone": "13700002222"}}
    assert world.post("operator", "/appeals", other).status_code == 201  # other callers are not slowed


def test_an_operator_keying_in_a_harassing_callers_calls_is_never_refused(world):
    world.ctx.intake_limiter = IntakeLimiter(Limits(caller_burst=2, per_caller_per_hour=1))
    before = value(scrape(world), "liandong_caller_flood_flagged_total", channel="phone")
    body = {**GOOD, "caller": {"name": "王五", "phone": "13700003333"}}
    assert [world.post("operator", "/appeals", body).status_code for _ in range(5)] == [201] * 5
    assert value(scrape(world), "liandong_caller_flood_flagged_total", channel="phone") - before == 3


def test_a_flooding_token_gets_429_and_others_go_on(world):
    world.ctx.intake_limiter = IntakeLimiter(Limits(token_burst=3, per_token_per_min=1))
    codes = [world.post("operator", "/appeals", GOOD).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    assert world.post("dispatcher", "/appeals", GOOD).status_code == 201
