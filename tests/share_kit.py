"""Helpers for the open-data tests: consumers registered straight through the service, appeals through the API."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from liandong.share import consumers as registry
from liandong.share import feed
from liandong.share.tables import FeedRow
from tests.builders import World

APPEAL = {"channel": "phone", "text": "幸福路3号门口占道经营，我电话13812345678", "address": "东城区东门街道幸福里小区5栋",
          "region": "148802001002", "caller": {"name": "李秀英", "phone": "13812345678"}}


def add_consumer(world: World, name: str, *, kind="department", datasets="orders,appeals,events,stats", region=None,
                 fields=None, unmasked=None, purpose=None, unit=None, rate=100_000) -> str:
    with world.ctx.write() as session:
        _, key = registry.add_consumer(session, world.ctx.city, name=name, kind=kind, datasets=datasets, region=region,
                                       fields=fields, unmasked=unmasked, purpose=purpose, unit=unit,
                                       rate_per_minute=rate, now=world.ctx.clock.now())
    return key


def open_appeal(world: World, **overrides) -> dict:
    r = world.post("operator", "/appeals", {**APPEAL, **overrides})
    assert r.status_code == 201, r.text
    return r.json()


def consumer_get(world: World, key: str, path: str, **params):
    return world.client.get(f"/api/v1{path}", headers={"X-Api-Key": key}, params=params)


def feed_settled(world: World, within: float = 30.0) -> None:
    """Wait until every committed change is below the feed's horizon. On PostgreSQL the horizon is the
    oldest transaction still running in the whole cluster, so another test's database (a parallel worker)
    can hold it back for a moment; a reader then serves those changes later, never skips them."""
    deadline = time.monotonic() + within
    while True:
        with world.ctx.read() as s:
            newest = s.scalar(select(func.max(FeedRow.tx))) or 0
            if s.get_bind().dialect.name != "postgresql" or feed.horizon(s).tx >= newest:
                return
        assert time.monotonic() < deadline, "the feed's horizon did not pass the newest change"
        time.sleep(0.01)
