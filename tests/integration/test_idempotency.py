"""Idempotent intake (issue 15 #3): a retried POST with its Idempotency-Key gets the first answer and
stores nothing new — through the API, through one group-commit batch, and after a restart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from liandong.api.app import create_app
from liandong.api.routers.appeals import _created
from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor, Role
from liandong.core.errors import Conflict
from liandong.intake.queue import IntakeQueue, Pending
from liandong.intake.schemas import AppealCreate
from liandong.orders.tables import OrderEventRow, OrderRow
from liandong.storage import idempotency
from liandong.storage.idempotency import IdempotencyRow
from liandong.app import Liandong
from liandong.config import Settings
from tests.builders import World, make_world
from tests.fakes import ScriptedRouter

BODY = {"channel": "phone", "text": "幸福路3号门口占道经营，摊贩堵住人行道", "region": "148802001",
        "caller": {"phone": "13800001234"}}
OPERATOR = Actor(name="operator", role=Role.OPERATOR)


@pytest.fixture
def world(db_url, clock):
    w = make_world(db_url, clock, router=ScriptedRouter())
    yield w
    w.ctx.close()


def count(ctx, row) -> int:
    with ctx.read() as s:
        return s.scalar(select(func.count()).select_from(row))


def post_appeal(world: World, key: str, body=BODY):
    return world.client.post("/api/v1/appeals", json=body, headers={**world.as_("operator"), "Idempotency-Key": key})


def test_the_same_key_and_body_replay_the_first_answer_and_store_nothing(world, clock):
    first = post_appeal(world, "call-20261123-0001")
    assert first.status_code == 201, first.text
    stored = (count(world.ctx, AppealRow), count(world.ctx, OrderRow), count(world.ctx, OrderEventRow))
    again = post_appeal(world, "call-20261123-0001")
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert (count(world.ctx, AppealRow), count(world.ctx, OrderRow), count(world.ctx, OrderEventRow)) == stored
    assert post_appeal(world, "call-20261123-0002").json()["appeal_id"] != first.json()["appeal_id"]


def test_the_same_key_with_another_body_is_409_in_chinese(world):
    assert post_appeal(world, "k-1").status_code == 201
    r = post_appeal(world, "k-1", {**BODY, "text": "另一件事：路灯不亮了"})
    assert r.status_code == 409 and "幂等键「k-1」已用于另一个不同的请求" in r.json()["message"]
    assert count(world.ctx, AppealRow) == 1
    bad = post_appeal(world, "has space")
    assert bad.status_code == 422 and "Idempotency-Key" in bad.json()["message"]


def test_keys_survive_a_restart_and_expire_after_24_hours(world, db_url, clock):
    first = post_appeal(world, "k-restart")
    world.ctx.close()
    ctx = Liandong(Settings(database_url=db_url), clock=clock, router_override=ScriptedRouter())
    again = World(ctx=ctx, client=TestClient(create_app(ctx)), tokens=world.tokens)  # a restarted desk
    try:
        client = again.client
        r = client.post("/api/v1/appeals", json=BODY, headers={**again.as_("operator"), "Idempotency-Key": "k-restart"})
        assert (r.status_code, r.content) == (201, first.content)
        assert count(again.ctx, AppealRow) == 1
        clock.advance(timedelta(hours=24, seconds=1))
        r = client.post("/api/v1/appeals", json={**BODY, "received_at": None},
                        headers={**again.as_("operator"), "Idempotency-Key": "k-restart"})
        assert r.status_code == 201 and r.json()["appeal_id"] != first.json()["appeal_id"]
        assert count(again.ctx, AppealRow) == 2 and count(again.ctx, IdempotencyRow) == 1
    finally:
        again.ctx.close()


def test_two_requests_with_one_key_in_one_batch_store_once(world):
    """Both waiting in the same group commit (the API's look-up saw neither): one appeal, one answer."""
    q = IntakeQueue(world.ctx.intake, world.ctx.write)
    q._ensure_started = lambda: None  # hold the writer so that both wait in one batch
    body = AppealCreate.model_validate(BODY)
    now = world.ctx.clock.now()
    k = idempotency.keyed("batch-key", user="operator", endpoint="POST /appeals", request=body.model_dump_json(),
                          answer=_created)
    other = idempotency.keyed("batch-key", user="operator", endpoint="POST /appeals", request="{}", answer=_created)
    futures = [q.put(Pending(body, OPERATOR, "12345", now, keyed=k)) for _ in range(2)]
    clash = q.put(Pending(body, OPERATOR, "12345", now, keyed=other))
    plain = q.put(Pending(AppealCreate.model_validate({**BODY, "text": "路灯不亮了"}), OPERATOR, "12345", now))
    del q._ensure_started
    q._ensure_started()
    a, b = (f.result(timeout=60) for f in futures)
    assert (a.status, a.body, a.replayed, b.replayed) == (201, b.body, False, True)
    with pytest.raises(Conflict):
        clash.result(timeout=60)
    plain.result(timeout=60)
    q.stop()
    with world.ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(AppealRow)) == 2
        assert s.scalar(select(func.count()).select_from(IdempotencyRow)) == 1


def test_an_action_retried_with_its_key_is_done_once(world):
    number = world.post("operator", "/appeals", {**BODY, "text": "咨询：社保卡怎么补办"}).json()["orders"][0]["id"]
    detail = world.get("admin", f"/orders/{number}").json()
    body = {"action": "urge", "note": "请尽快处理"} if detail["status"] != "received" else {"action": "dispatch",
                                                                                          "unit": "URBAN"}
    headers = {**world.as_("supervisor" if body["action"] == "urge" else "dispatcher"), "Idempotency-Key": "act-1"}
    first = world.client.post(f"/api/v1/orders/{number}/actions", json=body, headers=headers)
    assert first.status_code == 200, first.text
    events = count(world.ctx, OrderEventRow)
    again = world.client.post(f"/api/v1/orders/{number}/actions", json=body, headers=headers)
    assert (again.status_code, again.content, again.headers.get("Idempotent-Replayed")) == (200, first.content, "true")
    assert count(world.ctx, OrderEventRow) == events
    clash = world.client.post(f"/api/v1/orders/{number}/actions", json={**body, "note": "改了"}, headers=headers)
    assert clash.status_code == 409 and "幂等键" in clash.json()["message"]
