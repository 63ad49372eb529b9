"""Dependencies shared by the routers: the composition root and the authenticated caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from liandong.app import Liandong
from liandong.auth.service import authenticate, digest
from liandong.core.actors import Actor


async def get_ctx(request: Request) -> Liandong:
    """Async although it does no I/O: FastAPI runs a plain `def` dependency in the thread pool."""
    return request.app.state.ctx


@dataclass(frozen=True)
class Caller:
    actor: Actor
    platform: str


STAFF_TOKEN = HTTPBearer(auto_error=False, scheme_name="bearerAuth",
                         description="工作人员令牌：Authorization: Bearer <令牌>（控制台登录或 `liandong token` 签发）")


async def current_caller(request: Request, ctx: Annotated[Liandong, Depends(get_ctx)],
                         _documented: Annotated[HTTPAuthorizationCredentials | None, Depends(STAFF_TOKEN)]) -> Caller:
    """The caller behind the bearer token. Async, so a cached token costs no hop to the thread pool;
    a token not in the cache is looked up in the database off the event loop. (`STAFF_TOKEN` only puts the
    scheme in the OpenAPI document, so that a generated client sends the token: the header is read here.)"""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    cache = ctx.token_cache
    key = digest(token) if token else ""
    hit = cache.get(key) if key else None
    if hit is None:
        started = cache.started()  # the entry's life counts from before the read: revocation within the TTL
        actor, platform = await run_in_threadpool(_lookup, ctx, token or None)
        cache.put(key, actor, platform, started)
    else:
        actor, platform = hit
    return Caller(actor, platform)


def _lookup(ctx: Liandong, token: str | None):
    with ctx.read() as session:
        return authenticate(session, token)


Ctx = Annotated[Liandong, Depends(get_ctx)]
CurrentCaller = Annotated[Caller, Depends(current_caller)]
