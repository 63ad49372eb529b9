"""Open311 GeoReport v2 at `/open311/v2/` (not under /api/v1): the specification's six methods, JSON and XML.

Every method takes the client's `api_key` (query string, or the form for POST): a registered consumer of
kind open311 (`ctx.open311_keys`); every read is logged through the data-sharing access log. Refusals are
Open311 error documents (`<errors><error><code/><description/></error></errors>`) with the HTTP status as code:
400 malformed, 403 api_key missing, invalid, revoked or not an open311 consumer, 404 unknown
service/request/token, 413 body too large, 429 over the consumer's rate limit, 503 busy. A path without .json/.xml, or any other path below /open311/v2/, is answered the same way.
"""

from __future__ import annotations

from typing import Annotated, Callable
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from liandong.api.consumer_deps import KEY_QUERY
from liandong.api.contract import open311_errors
from liandong.api.deps import Ctx
from liandong.core.errors import (Busy, Forbidden, InvalidInput, LiandongError, NotFound, Throttled,
                                  Unauthenticated)
from liandong.open311 import documents as doc
from liandong.open311.documents import FORMATS, Document, Open311Error
from liandong.open311.keys import Open311Client
from liandong.open311.mapping import parse_filter
from liandong.open311.service import actor_of

router = APIRouter(prefix="/open311/v2", tags=["Open311 GeoReport v2"], responses=open311_errors(400, 403, 404, 429),
                   dependencies=[Depends(KEY_QUERY)])  # documents the api_key the handlers read (query, or the POST form)
_STATUS = [(Unauthenticated, 403), (Forbidden, 403), (NotFound, 404), (InvalidInput, 400), (Throttled, 429),
           (Busy, 503)]
MAX_FORM = 64 * 1024


# the path's format, as the schema says (an unknown one is still answered with an Open311 400, in JSON)
Fmt = Annotated[str, Path(json_schema_extra={"enum": list(FORMATS)}, description="json 或 xml")]


def _answer(fmt: str, document: Document, status: int = 200) -> Response:
    return Response(doc.render(document, fmt), status_code=status, media_type=doc.MEDIA_TYPES[fmt])


def _refusal(fmt: str, exc: Exception) -> Response:
    if isinstance(exc, Open311Error):
        status, text = exc.status, exc.description
    elif isinstance(exc, LiandongError):
        status = next((s for cls, s in _STATUS if isinstance(exc, cls)), 400)
        text = exc.message
    else:  # a pydantic refusal of the appeal built from the form
        status, text = 400, "；".join(e.get("msg", "").removeprefix("Value error, ") for e in exc.errors()[:5])
    answer = _answer(fmt if fmt in FORMATS else "json", doc.errors(status, text), status)
    if retry := getattr(exc, "retry_after", None):
        answer.headers["Retry-After"] = str(retry)
    return answer


def _fmt(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(400, f"不支持的格式「{fmt[:16]}」：请在路径末尾加 .json 或 .xml")
    return fmt


def _client(ctx, api_key: str | None) -> Open311Client:
    if not api_key:
        raise Open311Error(403, "缺少 api_key：请向平台管理员申请 Open311 接入凭据")
    return ctx.open311_keys.authenticate(api_key, now=ctx.clock.now())


def _read(ctx, request: Request, method: str, fmt: str, fetch: Callable, **filters) -> Response:
    """Authenticate, read in one transaction, log the read with its row count, answer."""
    try:
        fmt = _fmt(fmt)
        client = _client(ctx, request.query_params.get("api_key"))
        source = request.client.host if request.client else None
        try:
            with ctx.read() as session:
                document = fetch(session, client)
        except Open311Error:  # an authenticated look-up that found nothing is an access too
            ctx.open311_keys.record(client, method=method, filters=filters, rows=0, now=ctx.clock.now(), source=source)
            raise
        rows = len(document.body) if isinstance(document.body, list) else 1
        ctx.open311_keys.record(client, method=method, filters=filters, rows=rows, now=ctx.clock.now(), source=source)
        return _answer(fmt, document)
    except (Open311Error, LiandongError) as exc:
        return _refusal(fmt, exc)


@router.get("/services.{fmt}", summary="服务类别列表 GET services")
def services(fmt: Fmt, request: Request, ctx: Ctx) -> Response:
    return _read(ctx, request, "GET services", fmt, lambda s, c: ctx.open311.services())


@router.get("/services/{code}.{fmt}", summary="服务类别定义 GET service definition")
def service_definition(code: str, fmt: Fmt, request: Request, ctx: Ctx) -> Response:
    return _read(ctx, request, "GET service definition", fmt, lambda s, c: ctx.open311.definition(code), service_code=code)


@router.get("/requests.{fmt}", summary="服务请求列表 GET requests")
def list_requests(fmt: Fmt, request: Request, ctx: Ctx) -> Response:
    params = {k: v for k, v in request.query_params.items() if k != "api_key"}
    try:
        f = parse_filter(params, now=ctx.clock.now())
    except Open311Error as exc:
        return _refusal(fmt, exc)
    return _read(ctx, request, "GET requests", fmt, lambda s, c: ctx.open311.requests(s, c, f), **params)


@router.get("/requests/{number}.{fmt}", summary="服务请求 GET request")
def get_request(number: str, fmt: Fmt, request: Request, ctx: Ctx) -> Response:
    return _read(ctx, request, "GET request", fmt, lambda s, c: ctx.open311.request(s, c, number),
                 service_request_id=number)


@router.get("/tokens/{token}.{fmt}", summary="凭据换服务请求编号 GET service_request_id from a token")
def token(token: str, fmt: Fmt, request: Request, ctx: Ctx) -> Response:
    return _read(ctx, request, "GET token", fmt, lambda s, c: ctx.open311.token(s, c, token), token=token)


@router.post("/requests.{fmt}", summary="提交服务请求 POST request（表单编码）", responses=open311_errors(413, 503))
async def post_request(fmt: Fmt, request: Request, ctx: Ctx) -> Response:
    """Form-encoded as the specification says; becomes an ordinary appeal through the intake queue."""
    try:
        fmt = _fmt(fmt)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            raise Open311Error(400, "请求体应为表单编码（Content-Type: application/x-www-form-urlencoded）")
        raw = await request.body()
        if len(raw) > MAX_FORM:
            raise Open311Error(413, "请求体过大")
        try:
            form = dict(parse_qsl(raw.decode("ascii"), keep_blank_values=True, strict_parsing=bool(raw),
                                  encoding="utf-8", errors="strict"))
        except (UnicodeDecodeError, ValueError):
            raise Open311Error(400, "表单无法解析：应为 UTF-8 的 application/x-www-form-urlencoded") from None
        now = ctx.clock.now()
        client = await run_in_threadpool(_client, ctx, form.get("api_key"))
        body = ctx.open311.appeal(form)
        ctx.intake.check(body, now=now)
        appeal, orders = await ctx.intake_queue.submit(body, actor=actor_of(client), platform="12345", now=now)
        return _answer(fmt, ctx.open311.created(orders, appeal))
    except (Open311Error, LiandongError, ValidationError) as exc:
        return _refusal(fmt, exc)


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
def unknown(rest: str) -> Response:
    fmt = rest.rpartition(".")[2] if "." in rest else "json"
    return _refusal(fmt, Open311Error(404, f"Open311 接口不存在：/open311/v2/{rest[:80]}（格式须为 .json 或 .xml）"))
