"""The HTTP API: `/api/v1`, OpenAPI at `/openapi.json` (open, no token: it is the contract, not data).

`/docs` is Swagger UI from the package's own files (swagger-ui-dist, vendored at install time like htmx):
the desks run offline, so no page may load from a CDN. No `/redoc` (ReDoc is not vendored)."""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from liandong import __version__
from liandong.api import contract, errors, ops
from liandong.api.limits import BodyLimit, file_too_large
from liandong.api.routers import analytics, appeals, knowledge, meta, orders, portal, quality, share, supervision, surge
from liandong.api.routers import open311 as open311_routes
from liandong.api.routers import push as push_routes
from liandong.app import Liandong
from liandong.console import install as install_console
from liandong.console.templating import static_url
from liandong.knowledge.xlsx import MAX_BYTES as KNOWLEDGE_XLSX_MAX
from liandong.ops.jobs import JobRunner, select_jobs
from liandong.portal import pages as portal_pages


def create_app(ctx: Liandong, *, background: bool = False) -> FastAPI:
    """The API over `ctx`. With `background`, the serving process also offers the background jobs
    (`Liandong.jobs`, under leases: `ops.jobs`) and runs the exchange relay, as `LIANDONG_JOBS` allows;
    all stop cleanly on shutdown."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if background:
            await run_in_threadpool(ctx.warm_up)
            settle_heap()
        pusher = ctx.push_relay() if background else None  # webhooks to subscribers (一网统管)
        push_loop = pusher.start() if pusher is not None else None
        leased, relay = select_jobs(ctx.settings.jobs, ctx.jobs) if background else ([], True)
        runner = JobRunner(leased, ctx.write, ctx.clock).start() if leased else None
        if ctx.exchange is not None and relay:
            ctx.start_exchange(watch=not background)
        try:
            yield
        finally:
            if "intake_queue" in ctx.__dict__:  # in-flight requests have had their answers; store anything left
                ctx.intake_queue.stop()
            if ctx.exchange is not None and relay:
                ctx.exchange.stop()
            if push_loop is not None:
                push_loop[1].set()
                pusher.wake()
                push_loop[0].join(timeout=10)
                pusher.close()
            if runner is not None:
                runner.stop()

    app = FastAPI(
        lifespan=lifespan,
        title=f"联动 Liandong — {ctx.settings.platform} 平台",
        version=__version__,
        description="12345 政务服务便民热线与 110 报警服务台高效对接联动平台接口。/api/v1 的接口需 Bearer 令牌"
                    "（数据共享接口用接入密钥，Open311 用 api_key）；每个拒绝都是 JSON `ErrorBody`，说明为中文。",
        docs_url=None, redoc_url=None,  # FastAPI's own pages load from a CDN: /docs is served below, from local files
    )
    app.state.ctx = ctx
    errors.install(app)
    for r in (appeals.router, orders.router, supervision.router, meta.router, knowledge.router, surge.router,
              analytics.router, quality.router, share.router, push_routes.router, portal.router):
        app.include_router(r, prefix="/api/v1", responses=contract.errors(401))  # no token, or a revoked one
    app.include_router(open311_routes.router)  # /open311/v2/: api_key of a registered consumer, not a bearer token
    if ctx.exchange is not None:  # peers sign each message (HMAC); no bearer token on this route
        app.include_router(ctx.exchange_router())
    install_console(app)  # the web console at /console/
    contract.document(app)  # 404/413/422 from each route's signature
    portal_pages.install(app, portal_pages.PortalServices(ctx.portal, ctx.portal_cases, ctx.public_cases, ctx.clock))

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict:
        return {"status": "ok", "platform": ctx.settings.platform}

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return swagger_page(app.title)

    ops.install(app, ctx)  # /readyz, /metrics, request ids and JSON request logs
    app.add_middleware(BodyLimit, wider={"/portal/report": (ctx.portal.rules.max_upload, portal_pages.too_large_page),
                                         "/api/v1/knowledge/import": (KNOWLEDGE_XLSX_MAX, file_too_large)})
    return app


def swagger_page(title: str) -> HTMLResponse:
    """Swagger UI over `/openapi.json`, every asset from this server; no validator badge (it would ask
    a public validator about the document)."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title=f"{title} — 接口文档",
        swagger_js_url=static_url("vendor/swagger-ui-bundle.js"), swagger_css_url=static_url("vendor/swagger-ui.css"),
        swagger_favicon_url=static_url("favicon.svg"),
        swagger_ui_parameters={"validatorUrl": None, "deepLinking": True, "defaultModelsExpandDepth": 0},
    )


def settle_heap() -> None:
    """Exempt what is loaded at start (routing model, word dictionaries, the similarity index) from
    the garbage collector's full passes. Measured: with them tracked, every full pass paused the
    serving process for 130–155 ms, which was the whole tail of intake latency at 200 appeals/s."""
    gc.collect()
    gc.freeze()
