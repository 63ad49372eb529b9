"""Webhooks through the outbox to a real subscriber process on loopback, driven by calling the relay with a
frozen clock (no sleeps): down for a while then back → every event delivered once per idempotency key,
in order per order; never back → reported failed after the retry limit; admin API and CLI show it."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from liandong.push.events import sign, verify
from liandong.push.relay import PushSettings
from liandong.push.tables import DeliveryRow, DeliveryState
from tests.builders import make_world
from tests.fakes import ScriptedRouter

HERE = Path(__file__).resolve().parents[1]
KEY = "k" * 32
FAST = PushSettings(base_delay_s=1.0, max_delay_s=8.0, max_attempts=30, concurrency=4)


@pytest.fixture
def world(db_url, clock):
    w = make_world(db_url, clock, router=ScriptedRouter())
    yield w
    w.ctx.close()


class Subscriber:
    def __init__(self, port: int, log: Path) -> None:
        self.port, self.log, self.proc = port, log, None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(HERE / "push_subscriber.py"), str(self.port), KEY, str(self.log)],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()
            self.proc = None

    def received(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines()] if self.log.exists() else []


@pytest.fixture
def subscriber(tmp_path):
    s = Subscriber(18301, tmp_path / "received.jsonl")
    yield s
    s.stop()


def make_events(world) -> None:
    """Two emergencies (跳楼: a 12345 order 较大 and its 110 order each), a warning on one of them, and an
    ordinary order urged, then walked to 办结 — so one order has three events in a row."""
    emergency = world.post("operator", "/appeals", {"channel": "phone", "text": "有人站在楼顶要跳楼", "region": "148802001"})
    assert emergency.status_code == 201, emergency.text
    world.post("operator", "/appeals", {"channel": "phone", "text": "河边有人要跳楼", "region": "148802001"})
    first = next(o["id"] for o in emergency.json()["orders"] if o["id"].startswith("GD"))
    assert world.act("supervisor", first, "urge", note="请尽快处置").status_code == 200
    plain = world.post("operator", "/appeals", {"channel": "phone", "text": "路口占道经营", "region": "148802001"}).json()
    number = plain["orders"][0]["id"]
    assert world.act("supervisor", number, "urge", note="请尽快处置").status_code == 200
    for who, action, fields in [("handler_urban", "sign", {}), ("handler_urban", "reply", {"note": "已处理"}),
                                ("dispatcher", "close", {})]:
        assert world.act(who, number, action, **fields).status_code == 200, (action, world.act)


def deliveries(world) -> list[DeliveryRow]:
    with world.ctx.read() as s:
        return list(s.scalars(select(DeliveryRow).order_by(DeliveryRow.id)))


def drain(world, relay, clock, *, rounds: int = 40) -> None:
    for _ in range(rounds):
        if not [d for d in deliveries(world) if d.state in (DeliveryState.PENDING, DeliveryState.SENDING)]:
            return
        relay.run_once()
        clock.advance(timedelta(seconds=FAST.max_delay_s))
    raise AssertionError("deliveries still pending")


def test_down_for_a_while_then_back_every_event_delivered_once_in_order_per_order(world, subscriber, clock):
    with world.ctx.write() as s:
        world.ctx.push.add(s, name="城运中心", url=subscriber.url, key=KEY,
                           events=["new_emergency", "order_closed", "warning_raised"], now=clock.now())
    make_events(world)
    queued = deliveries(world)
    kinds = [d.event for d in queued]
    assert kinds.count("new_emergency") == 4 and kinds.count("warning_raised") == 2 and kinds.count("order_closed") == 1
    relay = world.ctx.push_relay(FAST, rng=random.Random(7))
    try:
        for _ in range(3):  # the subscriber is down: every attempt fails and backs off
            relay.run_once()
            clock.advance(timedelta(seconds=3))
        down = deliveries(world)
        assert all(d.state == DeliveryState.PENDING for d in down) and max(d.attempts for d in down) >= 2
        assert all("network" in (d.last_error or "") for d in down if d.attempts)
        subscriber.start()
        drain(world, relay, clock)
    finally:
        relay.close()
    got = subscriber.received()
    assert all(g["valid"] for g in got)
    keys = [g["key"] for g in got]
    assert sorted(keys) == sorted(d.event_id for d in queued) and len(set(keys)) == len(keys)
    assert all(d.state == DeliveryState.DELIVERED for d in deliveries(world))
    for number in {d.order_number for d in queued}:  # per order, in the order the events happened
        sent = [d.event_id for d in queued if d.order_number == number]
        assert [k for k, g in zip(keys, got) if g["body"]["order"]["number"] == number] == sent
    text = json.dumps(got, ensure_ascii=False)
    assert "跳楼" not in text and "caller" not in text  # no appeal text, no personal data


def test_a_subscriber_that_never_comes_back_is_reported_after_the_retry_limit(world, subscriber, clock):
    with world.ctx.write() as s:
        world.ctx.push.add(s, name="城运中心", url=subscriber.url, key=KEY, events=["order_closed", "warning_raised"],
                           now=clock.now())
        world.ctx.push.add(s, name="只收紧急", url=subscriber.url, key=KEY, events=["new_emergency"], now=clock.now())
    make_events(world)
    relay = world.ctx.push_relay(PushSettings(base_delay_s=1.0, max_delay_s=8.0, max_attempts=3), rng=random.Random(1))
    try:
        drain(world, relay, clock)
    finally:
        relay.close()
    rows = deliveries(world)
    assert len(rows) == 7 and all(d.state == DeliveryState.FAILED and d.attempts == 3 for d in rows)
    assert all("已重试 3 次仍失败" in d.last_error for d in rows)
    failed = world.get("admin", "/push/deliveries", params={"state": "failed"}).json()
    assert len(failed) == 7 and {f["subscriber"] for f in failed} == {"城运中心", "只收紧急"}
    subs = {s["name"]: s for s in world.get("admin", "/push/subscribers").json()}
    assert subs["城运中心"]["failed"] == 3 and subs["只收紧急"]["failed"] == 4 and "key" not in subs["城运中心"]
    assert world.get("operator", "/push/deliveries").status_code == 403
    subscriber.start()  # fixed at last: an administrator requeues one and it goes through
    assert world.post("admin", f"/push/deliveries/{rows[0].id}/requeue").status_code == 200
    assert world.post("admin", f"/push/deliveries/{rows[0].id}/requeue").status_code == 404
    relay = world.ctx.push_relay(FAST)
    try:
        relay.run_once()
    finally:
        relay.close()
    assert [g["key"] for g in subscriber.received()] == [rows[0].event_id]


def test_a_refusing_subscriber_fails_at_once_and_nothing_is_queued_without_a_subscriber(world, subscriber, clock):
    make_events(world)
    assert deliveries(world) == []
    with world.ctx.write() as s:
        world.ctx.push.add(s, name="错密钥", url=subscriber.url, key="x" * 32, events=["warning_raised"], now=clock.now())
    subscriber.start()
    number = world.post("operator", "/appeals", {"channel": "phone", "text": "路口占道经营"}).json()["orders"][0]["id"]
    world.act("supervisor", number, "urge", note="请尽快处置")
    relay = world.ctx.push_relay(FAST)
    try:
        relay.run_once()
    finally:
        relay.close()
    (row,) = deliveries(world)
    assert row.state == DeliveryState.FAILED and row.last_status == 401 and row.attempts == 1


def test_signature_is_over_the_exact_bytes():
    body = b'{"a":1}'
    assert verify(KEY, body, sign(KEY, body)) and not verify(KEY, body + b" ", sign(KEY, body))
    assert not verify(KEY, body, None) and not verify("y" * 32, body, sign(KEY, body))


BAD_SUBSCRIBERS = [
    ({"name": "", "url": "http://127.0.0.1:1/h", "events": ["order_closed"]}, "订阅方名称"),
    ({"name": "x", "url": "ftp://a/b", "events": ["order_closed"]}, "推送地址"),
    ({"name": "x", "url": "http://a/b", "events": ["everything"]}, "推送事件"),
    ({"name": "x", "url": "http://a/b", "events": []}, "推送事件"),
    ({"name": "x", "url": "http://a/b", "events": ["order_closed"], "key": "short"}, "密钥"),
    ({"name": "x" * 65, "url": "http://a/b", "events": ["order_closed"]}, "订阅方名称"),
    ({"name": "x", "url": "http://a/b", "events": "order_closed"}, "应为列表"),
]


def test_bad_subscriber_input_is_a_clear_422(world):
    for body, words in BAD_SUBSCRIBERS:
        r = world.post("admin", "/push/subscribers", body)
        assert r.status_code == 422 and words in r.json()["message"], r.text
    assert world.get("admin", "/push/subscribers").json() == []


def test_admin_api_add_list_remove_and_unknown_names(world):
    r = world.post("admin", "/push/subscribers", {"name": "城运中心", "url": "http://127.0.0.1:18302/h",
                                                  "events": ["order_closed", "order_closed"]})
    assert r.status_code == 201 and len(r.json()["key"]) >= 32 and r.json()["events"] == ["order_closed"]
    assert world.post("admin", "/push/subscribers", {"name": "城运中心", "url": "http://a/b",
                                                     "events": ["order_closed"]}).status_code == 409
    assert world.post("operator", "/push/subscribers", {"name": "y", "url": "http://a/b",
                                                        "events": ["order_closed"]}).status_code == 403
    assert [s["name"] for s in world.get("admin", "/push/subscribers").json()] == ["城运中心"]
    assert world.client.delete("/api/v1/push/subscribers/城运中心", headers=world.as_("admin")).status_code == 200
    assert world.client.delete("/api/v1/push/subscribers/城运中心", headers=world.as_("admin")).status_code == 404
    assert world.get("admin", "/push/subscribers").json() == []
    assert world.get("admin", "/push/deliveries", params={"state": "lost"}).status_code == 422
    assert world.post("admin", "/push/deliveries/999/requeue").status_code == 404


def test_cli_add_list_deliveries_remove(world, clock, tmp_path):
    from liandong.cli.main import app

    run = CliRunner().invoke
    db = ["--db", world.ctx.settings.database_url]
    r = run(app, ["subscriber", "add", "城运中心", "--url", "http://127.0.0.1:18303/h", "--events",
                  "warning_raised,order_closed", *db])
    assert r.exit_code == 0 and "HMAC 密钥" in r.output, r.output
    assert run(app, ["subscriber", "add", "坏", "--url", "http://a/b", "--events", "all", *db]).exit_code == 2
    number = world.post("operator", "/appeals", {"channel": "phone", "text": "路口占道经营"}).json()["orders"][0]["id"]
    world.act("supervisor", number, "urge", note="请尽快处置")
    listed = run(app, ["subscriber", "list", *db]).output
    assert "城运中心" in listed and "待推送 1" in listed
    out = run(app, ["subscriber", "deliveries", "--state", "pending", *db]).output
    assert number in out and "warning_raised" in out
    assert run(app, ["subscriber", "deliveries", "--state", "lost", *db]).exit_code == 2
    r = run(app, ["subscriber", "remove", "城运中心", *db])
    assert r.exit_code == 0 and "1 条" in r.output
    assert "failed" in run(app, ["subscriber", "deliveries", *db]).output
    assert run(app, ["subscriber", "remove", "城运中心", *db]).exit_code == 2


def test_console_page_shows_subscribers_and_failures_and_requeues(world, clock):
    from fastapi.testclient import TestClient

    from liandong.api.app import create_app
    from tests.console_kit import give_passwords, page_csrf, sign_in

    with world.ctx.write() as s:
        world.ctx.push.add(s, name="城运中心", url="http://127.0.0.1:18304/h", key=KEY, events=["warning_raised"],
                           now=clock.now())
    number = world.post("operator", "/appeals", {"channel": "phone", "text": "路口占道经营"}).json()["orders"][0]["id"]
    world.act("supervisor", number, "urge", note="请尽快处置")
    relay = world.ctx.push_relay(PushSettings(max_attempts=1))
    try:
        relay.run_once()
    finally:
        relay.close()
    (row,) = deliveries(world)
    give_passwords(world.ctx, "admin", "operator")
    admin = TestClient(create_app(world.ctx), raise_server_exceptions=False)
    assert sign_in(admin, "admin").status_code == 303
    html = admin.get("/console/push").text
    assert "城运中心" in html and number in html and "已重试 1 次仍失败" in html and "/console/push" in html
    csrf = page_csrf(admin, "/console/push")
    assert admin.post("/console/push/requeue", data={"csrf_token": csrf, "delivery": "abc"}).status_code == 422
    assert admin.post("/console/push/requeue", data={"csrf_token": csrf, "delivery": "999"}).status_code == 404
    assert admin.post("/console/push/requeue", data={"delivery": str(row.id)}).status_code == 403  # no CSRF token
    ok = admin.post("/console/push/requeue", data={"csrf_token": csrf, "delivery": str(row.id)})
    assert ok.status_code == 200 and "已重新排队" in ok.text
    assert deliveries(world)[0].state == DeliveryState.PENDING
    operator = TestClient(create_app(world.ctx), raise_server_exceptions=False)
    assert sign_in(operator, "operator").status_code == 303
    assert operator.get("/console/push").status_code == 403 and "事件推送" not in operator.get("/console/").text
