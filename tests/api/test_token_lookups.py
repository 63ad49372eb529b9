"""One database look-up per token at a time (api/deps.py): requests in flight together with a token that is
not cached wait for the same look-up, and share its answer or its refusal."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import event

from liandong.api.app import create_app

IN_FLIGHT = 40


def _lookups(ctx) -> list[str]:
    seen: list[str] = []

    @event.listens_for(ctx.read_engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        if "FROM users JOIN tokens" in statement:
            seen.append(statement)

    return seen


async def _together(app, token: str) -> list[int]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as client:
        replies = await asyncio.gather(*(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
                                         for _ in range(IN_FLIGHT)))
    return [r.status_code for r in replies]


def test_many_requests_with_an_uncached_token_cost_one_look_up(world):
    seen = _lookups(world.ctx)
    statuses = asyncio.run(_together(create_app(world.ctx), world.tokens["operator"]))
    assert statuses == [200] * IN_FLIGHT
    assert len(seen) == 1
    assert world.ctx.token_cache.lookups == {}  # nothing left in flight


def test_a_refused_token_is_refused_for_every_request_that_waited_on_its_look_up(world):
    seen = _lookups(world.ctx)
    statuses = asyncio.run(_together(create_app(world.ctx), "not-a-token"))
    assert statuses == [401] * IN_FLIGHT
    assert len(seen) == 1
    assert world.ctx.token_cache.lookups == {}
    assert world.get("operator", "/me").status_code == 200  # another token is unaffected
