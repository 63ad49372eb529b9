"""Operations endpoints and middleware: `/readyz` for the load balancer, `/metrics` for the monitoring
system (scrape token), the request id and one JSON log line per request, and `Retry-After` on a 503.

    install(app, ctx)   # once, from create_app
"""

from __future__ import annotations

import hmac
import logging
import time

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from liandong.api.metrics_sql import DatabaseCollector
from liandong.app import Liandong
from liandong.core import trace
from liandong.core.errors import Forbidden, Throttled, Unauthenticated
from liandong.core.masking import caller_key
from liandong.ops import health, logs, metrics
from liandong.ops.health import PeerProbe

log = logging.getLogger("liandong.http")
QUIET = ("/healthz", "/readyz", "/metrics", "/console/static/")


def install(app: FastAPI, ctx: Liandong) -> None:
    collector = app.state.db_collector = DatabaseCollector(ctx.read, ctx.clock)
    peers = PeerProbe({p: peer.url for p, peer in ctx.exchange.peers.peers.items()} if ctx.exchange else {})
    platform = ctx.settings.platform
    router = APIRouter(include_in_schema=False)

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        return await run_in_threadpool(_ready, ctx, peers)

    @router.get("/metrics")
    async def scrape(request: Request) -> Response:
        _check_scrape_token(ctx, request.headers.get("authorization", ""))
        metrics.QUEUE_DEPTH.labels(platform).set(ctx.intake_queue.waiting if "intake_queue" in ctx.__dict__ else 0)
        body, content_type = await run_in_threadpool(metrics.render, collector.registry())
        return Response(body, media_type=content_type)

    app.include_router(router)
    app.add_middleware(RequestContext, ctx=ctx)


def _check_scrape_token(ctx: Liandong, header: str) -> None:
    expected = ctx.settings.metrics_token
    if not expected:
        raise Forbidden("未配置指标抓取令牌（LIANDONG_METRICS_TOKEN），/metrics 不开放")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise Unauthenticated("指标抓取令牌无效")


def _ready(ctx: Liandong, peers: PeerProbe) -> JSONResponse:
    db, schema = health.database(ctx.engine)
    model = health.Check(ctx.router_override is not None or "router" in ctx.__dict__,
                         "已加载" if ctx.router_override is not None or "router" in ctx.__dict__ else "分流模型未加载")
    peer_checks = peers.check()
    ready = db.ok and schema.ok and model.ok
    body = {"ready": ready, "platform": ctx.settings.platform,
            "checks": {"database": vars(db), "migrations": vars(schema), "model": vars(model)},
            "peers": {p: vars(c) for p, c in peer_checks.items()}}
    return JSONResponse(body, status_code=200 if ready else 503)


class RequestContext:
    """Pure ASGI (no per-request task): binds the request id, answers it in `X-Request-ID`, adds
    `Retry-After` to a 503 that lacks one, counts the request and logs it (path only: a query string
    may carry a caller's number)."""

    def __init__(self, app, ctx: Liandong) -> None:
        self.app, self.ctx = app, ctx
        self.platform = ctx.settings.platform

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        rid = trace.accept(headers.get(b"x-request-id", b"").decode("latin-1") or None)
        status = {"code": 500}
        started = time.perf_counter()

        async def sending(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                extra = [(b"x-request-id", rid.encode())]
                if message["status"] == 503 and not any(k.lower() == b"retry-after" for k, _ in message.get("headers", [])):
                    extra.append((b"retry-after", b"1"))
                if message["status"] == 503:
                    metrics.OVERLOADED.labels(self.platform).inc()
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        with trace.bound(rid):
            try:
                await self.app(scope, receive, sending)
            finally:
                self._record(scope, status["code"], time.perf_counter() - started)

    def _record(self, scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None) or "unmatched"
        metrics.HTTP.labels(self.platform, scope.get("method", ""), template, str(status)).inc()
        if "engine" in self.ctx.__dict__:
            pool = self.ctx.engine.pool
            if hasattr(pool, "checkedout"):
                metrics.POOL_CHECKED_OUT.labels(self.platform).set(pool.checkedout())
                metrics.POOL_SIZE.labels(self.platform).set(pool.size() + getattr(pool, "_max_overflow", 0))
        path = scope.get("path", "")
        if not path.startswith(QUIET):
            log.info("request", extra={"method": scope.get("method"), "path": logs.scrub(path), "status": status,
                                       "ms": round(seconds * 1000, 1)})


def limit_intake(ctx: Liandong, caller, body) -> bool:
    """Apply the intake rate limits (`ops.ratelimit`); raises `Throttled` (429, Retry-After), or returns
    whether the appeal is over its caller's limit but stored and flagged."""
    phone = body.caller.phone if body.caller is not None else None
    channel = str(body.channel)
    verdict = ctx.intake_limiter.check(token_key=caller.actor.name, caller_key=caller_key(phone, ctx.settings.phone_salt),
                                       channel=channel, now=time.monotonic())
    platform = ctx.settings.platform
    if not verdict.allowed:
        which = verdict.limit
        metrics.RATE_LIMITED.labels(platform, which, channel).inc()
        log.warning("intake throttled", extra={"limit": which, "channel": channel, "retry_after": verdict.retry_after})
        who = "该来电号码" if which == "caller" else "该令牌"
        raise Throttled(f"{who}提交过于频繁，请 {verdict.retry_after} 秒后重试", retry_after=verdict.retry_after)
    if verdict.flagged:
        metrics.CALLER_FLAGGED.labels(platform, channel).inc()
        log.warning("caller over the intake limit: stored and flagged", extra={"channel": channel})
    return verdict.flagged


def count_intake(ctx: Liandong, body, result, started: float) -> None:
    platform = ctx.settings.platform
    appeal = result[0] if isinstance(result, tuple) else None
    routing = (appeal.routing or {}) if appeal is not None else {}
    service = metrics.service_label(routing.get("services"))
    metrics.APPEALS.labels(platform, str(body.channel), service).inc()
    if appeal is not None:
        metrics.ROUTING.labels(platform, service, "true" if routing.get("review") else "false").inc()
    metrics.INTAKE_SECONDS.labels(platform).observe(time.perf_counter() - started)


def count_refusal(ctx: Liandong, body, exc: Exception) -> None:
    metrics.REFUSED.labels(ctx.settings.platform, str(body.channel), type(exc).__name__).inc()
