"""Builders for tests: a running context with users of every role, and an API client."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.testclient import TestClient

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.auth import service as auth
from liandong.config import Settings

DEMO_USERS = [  # name, role, platform, unit, region
    ("operator", "operator", "12345", None, None),
    ("dispatcher", "dispatcher", "12345", None, None),
    ("supervisor", "supervisor", "12345", None, None),
    ("handler_urban", "handler", "12345", "URBAN", None),
    ("handler_water", "handler", "12345", "WSUPPLY", None),
    ("handler_street", "handler", "12345", "ST-148802001", None),
    ("handler_samr", "handler", "12345", "SAMR", None),
    ("police", "police", "110", None, None),
    ("police_east", "handler", "110", "PS-148802", None),
    ("dispatcher_west", "dispatcher", "12345", None, "148803"),
    ("admin", "admin", "12345", None, None),
]


@dataclass
class World:
    ctx: Liandong
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def as_(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def post(self, who: str, path: str, json=None, **kw):
        return self.client.post(f"/api/v1{path}", json=json, headers=self.as_(who), **kw)

    def get(self, who: str, path: str, **kw):
        return self.client.get(f"/api/v1{path}", headers=self.as_(who), **kw)

    def act(self, who: str, number: str, action: str, **fields):
        return self.post(who, f"/orders/{number}/actions", {"action": action, **fields})


def make_world(db_url: str, clock, router=None) -> World:
    ctx = Liandong(Settings(database_url=db_url), clock=clock, router_override=router)
    tokens = {}
    with ctx.write() as session:
        for name, role, platform, unit, region in DEMO_USERS:
            auth.add_user(session, ctx.city, name=name, role=role, platform=platform, unit=unit, region=region,
                          now=clock.now())
            tokens[name] = auth.issue_token(session, name, clock.now())
    return World(ctx=ctx, client=TestClient(create_app(ctx), raise_server_exceptions=False), tokens=tokens)
