"""Two worker processes on one database: each finds repeat calls taken by the other."""

import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.config import Settings
from liandong.supervision import related_service
from tests.builders import World, make_world
from tests.fakes import ScriptedRouter


@pytest.fixture
def two_workers(db_url, clock, monkeypatch):
    monkeypatch.setattr(related_service, "SYNC_EVERY", 0.0)  # look at the database before every check
    a = make_world(db_url, clock, router=ScriptedRouter())
    ctx_b = Liandong(Settings(database_url=db_url), clock=clock, router_override=ScriptedRouter())
    b = World(ctx=ctx_b, client=TestClient(create_app(ctx_b), raise_server_exceptions=False), tokens=a.tokens)
    yield a, b
    a.ctx.close()
    b.ctx.close()


def post(world: World, text: str, phone: str):
    r = world.post("operator", "/appeals", {"channel": "phone", "text": text, "region": "148802001", "caller": {"phone": phone}})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_repeat_taken_by_another_worker_is_linked_to_the_first_call(two_workers):
    a, b = two_workers
    post(b, "文化路菜市场门口占道经营", "13500000001")  # b has looked at the database once
    first = post(a, "幸福路88号门口夜间占道经营，摊贩堵住消防通道", "13500000002")
    again = post(b, "幸福路88号门口夜间占道经营，摊贩堵住消防通道，还没人管", "13500000002")
    assert {"order_id": first["orders"][0]["id"], "relation": "repeat"} in again["related"]
    # and b's own appeals are not indexed twice when it looks again
    third = post(b, "文化路菜市场门口占道经营", "13500000001")
    assert [r["relation"] for r in third["related"]] == ["repeat"]


def test_an_appeal_committed_late_is_found_by_the_look_back(two_workers, monkeypatch):
    a, b = two_workers
    monkeypatch.setattr(related_service, "RESYNC_EVERY", 3600.0)  # quick looks only: newer than the watermark
    clock = a.ctx.clock
    start = clock.now()
    clock.advance(timedelta(seconds=5))
    post(b, "文化路菜市场门口占道经营", "13500000001")  # b's watermark is now start + 5 s
    clock.set(start)  # a's transaction stamped earlier, committed later (it waited in a queue)
    first = post(a, "幸福路88号门口夜间占道经营，摊贩堵住消防通道", "13500000002")
    clock.set(start + timedelta(seconds=6))
    again = post(b, "幸福路88号门口夜间占道经营，摊贩堵住消防通道，还没人管", "13500000002")
    # a quick look does not read behind the watermark, but the caller's own appeals are read at each check
    assert {"order_id": first["orders"][0]["id"], "relation": "repeat"} in again["related"]
    monkeypatch.setattr(related_service, "RESYNC_EVERY", 0.0)
    third = post(b, "幸福路88号门口夜间占道经营，摊贩堵住消防通道，还是没人管", "13500000002")
    assert {"order_id": first["orders"][0]["id"], "relation": "repeat"} in third["related"]


def test_a_serving_process_looks_from_its_own_thread_and_intake_does_not_wait_for_it(two_workers, monkeypatch):
    a, b = two_workers
    monkeypatch.setattr(related_service, "SYNC_EVERY", 0.01)
    post(b, "文化路菜市场门口占道经营", "13500000001")  # b's index is built
    finder = b.ctx.related
    looked_from: set[str] = set()
    real_sync = finder.sync
    monkeypatch.setattr(finder, "sync", lambda *args, **kw: looked_from.add(threading.current_thread().name)
                        or real_sync(*args, **kw))
    finder.look_in_background(b.ctx.read, b.ctx.clock)
    try:
        first = post(a, "幸福路88号门口夜间占道经营，摊贩堵住消防通道", "13500000002")
        assert finder.wait_for_looks(finder.looks + 2, timeout=30)  # a look that began after a's commit
        again = post(b, "幸福路88号门口夜间占道经营，摊贩堵住消防通道，还没人管", "13500000002")
        assert {"order_id": first["orders"][0]["id"], "relation": "repeat"} in again["related"]
        assert looked_from == {"related-look"}  # never the intake writer
    finally:
        finder.stop_looking()
