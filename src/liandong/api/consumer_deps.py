"""The external system behind a request (接入方鉴权), for every open-data interface (native, feed, Open311).

    from liandong.api.consumer_deps import current_consumer, ConsumerDep
    async def current_consumer(request: Request, ctx: Liandong) -> liandong.share.scopes.Consumer

The API key is read from the header `X-Api-Key`, from `Authorization: Bearer ldc_…`, from the query
parameter `api_key`, or from the form field `api_key` of a form-encoded POST (Open311). The key is looked
up in the database on every request (no cache): rotation and revocation hold on every worker at once.
Over its rate limit a consumer gets 429. The returned `Consumer` carries its scopes; check a read with
`liandong.share.scopes.authorise(consumer, dataset, fields=…, unmasked=…, purpose=…)`.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, APIKeyQuery
from starlette.concurrency import run_in_threadpool

from liandong.api.deps import get_ctx
from liandong.app import Liandong
from liandong.core.errors import Throttled
from liandong.share.consumers import KEY_PREFIX, authenticate
from liandong.share.scopes import Consumer

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def api_key_of(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if not key:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        key = token.strip() if scheme.lower() == "bearer" and token.strip().startswith(KEY_PREFIX) else None
    if not key:
        key = request.query_params.get("api_key")
    if not key and request.method == "POST" and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get("api_key")  # starlette keeps the parsed form for the endpoint
        key = value if isinstance(value, str) else None
    return key.strip() if key else None


KEY_HEADER = APIKeyHeader(name="X-Api-Key", auto_error=False, scheme_name="apiKey",
                          description="接入方 API 密钥（`liandong consumer add` 签发）；也可用 Authorization: Bearer ldc_…")
KEY_QUERY = APIKeyQuery(name="api_key", auto_error=False, scheme_name="apiKeyQuery",
                        description="接入方 API 密钥作为查询参数（Open311 客户端的习惯；表单 POST 也可用字段 api_key）")


async def current_consumer(request: Request, ctx: Annotated[Liandong, Depends(get_ctx)],
                           _header: Annotated[str | None, Depends(KEY_HEADER)],
                           _query: Annotated[str | None, Depends(KEY_QUERY)]) -> Consumer:
    """The consumer behind the API key (`api_key_of`; the two schemes only document it in OpenAPI)."""
    key = await api_key_of(request)
    consumer = await run_in_threadpool(_lookup, ctx, key)
    if wait := ctx.share.limiter.wait(consumer.id, consumer.rate_per_minute, time.monotonic()):
        raise Throttled(f"接入方「{consumer.name}」请求过于频繁：每分钟最多 {consumer.rate_per_minute} 次，请 {wait} 秒后重试",
                        retry_after=wait)
    return consumer


def _lookup(ctx: Liandong, key: str | None) -> Consumer:
    with ctx.read() as session:
        return authenticate(session, key)


ConsumerDep = Annotated[Consumer, Depends(current_consumer)]
