"""Repeat calls on a fresh desk (issue 15 #5): the same caller phoning twice about the same matter, 0–6 s
apart, is linked as `repeat` whichever of two workers (two `Liandong` objects on one database) took
the first call — each warmed up as a serving process is (its IDF sample read before the first call)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.config import Settings
from tests.builders import World, make_world
from tests.fakes import ScriptedRouter

FIRST = "幸福路12号楼下烧烤店油烟很大，熏得家里没法开窗"
AGAIN = "又是幸福路12号楼下那家烧烤店的油烟，熏得没法开窗，还是没人管"
PHONE = "13912345678"


@pytest.fixture
def two_fresh_desks(db_url, clock):
    a = make_world(db_url, clock, router=ScriptedRouter())
    ctx_b = Liandong(Settings(database_url=db_url), clock=clock, router_override=ScriptedRouter())
    b = World(ctx=ctx_b, client=TestClient(create_app(ctx_b), raise_server_exceptions=False), tokens=a.tokens)
    for w in (a, b):  # what a serving process starts with
        with w.ctx.read() as s:
            w.ctx.related.warm_up(s)
    yield a, b
    for w in (a, b):
        w.ctx.close()


def post(world: World, text: str, phone: str = PHONE) -> dict:
    r = world.post("operator", "/appeals", {"channel": "phone", "text": text, "region": "148802001",
                                            "caller": {"phone": phone}})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.mark.parametrize("gap_s", [0, 1, 3, 6])
@pytest.mark.parametrize("first_on,second_on", [(0, 1), (1, 0), (0, 0)])
def test_the_second_call_is_a_repeat_whatever_the_gap_and_the_worker(two_fresh_desks, clock, gap_s, first_on,
                                                                      second_on):
    desks = two_fresh_desks
    first = post(desks[first_on], FIRST)
    clock.advance(timedelta(seconds=gap_s))
    again = post(desks[second_on], AGAIN)
    assert {"order_id": first["orders"][0]["id"], "relation": "repeat"} in again["related"], again["related"]
    other = post(desks[second_on], "幸福路12号楼下烧烤店油烟很大", phone="13700000000")  # another caller: no repeat
    assert "repeat" not in [r["relation"] for r in other["related"]]
