"""The HTTP API: `/api/v1`, OpenAPI at `/openapi.json`, docs at `/docs`."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from liandong import __version__
from liandong.api import errors
from liandong.api.limits import BodyLimit
from liandong.api.routers import appeals, meta, orders
from liandong.app import Liandong


def _exchange_lifespan(ctx: Liandong):
    """Run the exchange relay while the server runs; stop it cleanly on shutdown."""

    @asynccontextmanager
    async def lifespan(app):
        if ctx.exchange is not None:
            ctx.exchange.start()
        try:
            yield
        finally:
            if ctx.exchange is not None:
                ctx.exchange.stop()

    return lifespan


def create_app(ctx: Liandong) -> FastAPI:
    app = FastAPI(
        title=f"联动 Liandong — {ctx.settings.platform} 平台",
        version=__version__,
        description="12345 政务服务便民热线与 110 报警服务台高效对接联动平台接口。除 /healthz 外，所有接口需 Bearer 令牌。",
        lifespan=_exchange_lifespan(ctx),
    )
    app.state.ctx = ctx
    errors.install(app)
    for r in (appeals.router, orders.router, meta.router):
        app.include_router(r, prefix="/api/v1")
    if ctx.exchange is not None:  # peers sign each message (HMAC); no bearer token on this route
        app.include_router(ctx.exchange.http_router())

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict:
        return {"status": "ok", "platform": ctx.settings.platform}

    app.add_middleware(BodyLimit)
    return app
