"""Helpers for the operations tests: a world with settings of the test's choosing, metrics read back."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.auth import service as auth
from liandong.config import Settings
from tests.builders import DEMO_USERS, World
from tests.fakes import ScriptedRouter

SCRAPE_TOKEN = "scrape-token-for-tests-0001"


def ops_world(db_url: str, clock, **settings) -> World:
    ctx = Liandong(Settings(database_url=db_url, **{"metrics_token": SCRAPE_TOKEN, **settings}), clock=clock,
                   router_override=ScriptedRouter())
    tokens = {}
    with ctx.write() as session:
        for name, role, platform, unit, region in DEMO_USERS:
            auth.add_user(session, ctx.city, name=name, role=role, platform=platform, unit=unit, region=region,
                          now=clock.now())
            tokens[name] = auth.issue_token(session, name, clock.now())
    return World(ctx=ctx, client=TestClient(create_app(ctx), raise_server_exceptions=False), tokens=tokens)


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """(sample name, sorted labels) → value."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(text: str, name: str, **labels) -> float:
    """The sum of `name`'s samples whose labels include `labels`."""
    want = set(labels.items())
    return sum(v for (n, lbl), v in samples(text).items() if n == name and want <= set(lbl))
