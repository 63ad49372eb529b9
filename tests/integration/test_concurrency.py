"""Two people act on the same order at the same moment, over real HTTP: one wins, the other gets 409."""

import threading

import httpx
import pytest

from liandong.api.app import create_app
from tests.builders import make_world
from tests.fakes import ScriptedRouter
from tests.servers import serving


@pytest.fixture
def live(db_url, clock):
    world = make_world(db_url, clock, router=ScriptedRouter())
    with serving(create_app(world.ctx)) as base:
        yield world, base
    world.ctx.close()


def race(base: str, calls: list[tuple[str, str, dict]]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(calls))
    results: list[httpx.Response | None] = [None] * len(calls)

    def run(i: int, token: str, path: str, body: dict) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            barrier.wait()
            results[i] = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results  # type: ignore[return-value]


@pytest.mark.parametrize("round_", range(5))
def test_same_order_same_moment_one_wins(live, round_):
    world, base = live
    number = world.post("operator", "/appeals", {"channel": "phone", "text": "占道经营", "region": "148802001"}).json()["orders"][0]["id"]
    seen = world.get("handler_urban", f"/orders/{number}").json()["version"]
    results = race(base, [
        (world.tokens["handler_urban"], f"/api/v1/orders/{number}/actions", {"action": "sign", "expected_version": seen}),
        (world.tokens["handler_urban"], f"/api/v1/orders/{number}/actions", {"action": "return", "reason": "not_our_duty", "note": "不属本单位", "expected_version": seen}),
    ])
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409], [r.text for r in results]
    events = world.get("admin", f"/orders/{number}/events").json()
    assert [e["action"] for e in events][-1] in ("sign", "return")
    assert len(events) == 3  # receive, dispatch, and exactly one of the two


def test_many_concurrent_actions_lose_no_update(live):
    world, base = live
    number = world.post("operator", "/appeals", {"channel": "phone", "text": "占道经营", "region": "148802001"}).json()["orders"][0]["id"]
    world.act("handler_urban", number, "sign")
    world.act("handler_urban", number, "handle")
    results = race(base, [(world.tokens["supervisor"], f"/api/v1/orders/{number}/actions", {"action": "urge"})] * 8)
    ok = sum(r.status_code == 200 for r in results)
    assert all(r.status_code in (200, 409) for r in results)
    order = world.get("admin", f"/orders/{number}").json()
    assert order["urge_count"] == ok  # every success counted, none lost
    urges = [e for e in world.get("admin", f"/orders/{number}/events").json() if e["action"] == "urge"]
    assert len(urges) == ok
