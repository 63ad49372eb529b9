"""Open data for registered consumers (数据共享): scoped and masked reads, the change feed, and for an
administrator the access log (数据访问留痕). Consumers authenticate with their API key (`consumer_deps`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from liandong.api.consumer_deps import ConsumerDep
from liandong.api.contract import errors, file_answer
from liandong.api.deps import Ctx, CurrentCaller
from liandong.api.paging import Instant
from liandong.core.actors import Role, require_role
from liandong.share import access
from liandong.share.queries import Filters
from liandong.share.scopes import DATASET_LABELS, FIELDS, KIND_LABELS, PERSONAL, check_dataset

CSV, JSONL = "text/csv", "application/x-ndjson"
InstantQ = Annotated[datetime | None, Instant]
# a dataset of the log's filter, as `check_dataset` refuses any other (naming the datasets in Chinese)
DatasetQ = Annotated[str | None, Query(max_length=32, json_schema_extra={"enum": list(FIELDS)})]
router = APIRouter(tags=["数据共享 open data"], responses=errors(403))  # outside the scopes, or not an administrator
CONSUMER = errors(429)  # over the consumer's rate limit
ListParam = Annotated[str | None, Query(max_length=500, description="逗号分隔")]
Purpose = Annotated[str | None, Query(max_length=200, description="读取不脱敏个人信息的用途（必填于 unmasked）")]


def _list(raw: str | None) -> list[str] | None:
    items = [x.strip() for x in (raw or "").split(",") if x.strip()]
    return items or None


def _json(body: dict) -> Response:
    """Rows are plain JSON values already: serialised at once (orjson), not walked by FastAPI's encoder."""
    return Response(orjson.dumps(body), media_type="application/json")


def _remote(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.get("/share/me", summary="当前接入方及其授权范围", responses=CONSUMER)
def consumer_me(consumer: ConsumerDep) -> dict:
    return {"name": consumer.name, "kind": consumer.kind.value, "kind_label": KIND_LABELS[consumer.kind],
            "region": consumer.region, "unit": consumer.unit, "rate_per_minute": consumer.rate_per_minute,
            "datasets": {d: {"label": DATASET_LABELS[d], "fields": list(consumer.allowed_fields(d)),
                             "personal": [f for f in consumer.allowed_fields(d) if f in PERSONAL]}
                         for d in FIELDS if d in consumer.datasets},
            "unmasked": sorted(consumer.unmasked)}


@router.get("/share/datasets/{dataset}", summary="按授权范围查询共享数据（个人信息默认脱敏）", responses=CONSUMER)
def read_dataset(
    dataset: str, request: Request, ctx: Ctx, consumer: ConsumerDep,
    fields: ListParam = None, unmasked: ListParam = None, purpose: Purpose = None,
    since: InstantQ = None, until: InstantQ = None,
    status: Annotated[str | None, Query(max_length=24)] = None,
    region: Annotated[str | None, Query(max_length=12, pattern=r"^\d{6}(\d{3}){0,2}$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    check_dataset(dataset)
    f = Filters(since=since, until=until, status=status, region=region, limit=limit, offset=offset)
    return _json(ctx.share.query(consumer, dataset, filters=f, fields=_list(fields), unmasked=_list(unmasked),
                                 purpose=purpose, remote=_remote(request)))


@router.get("/feed/{dataset}", summary="变更流：按提交顺序返回变更，cursor 续读", responses=CONSUMER)
def follow_feed(
    dataset: str, request: Request, ctx: Ctx, consumer: ConsumerDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    fields: ListParam = None, unmasked: ListParam = None, purpose: Purpose = None,
) -> Response:
    check_dataset(dataset)
    return _json(ctx.share.follow(consumer, dataset, cursor=cursor, limit=limit, fields=_list(fields),
                                  unmasked=_list(unmasked), purpose=purpose, remote=_remote(request)))


def _log_rows(ctx, consumer, dataset, since, until, unmasked_only, limit, offset):
    if dataset:
        check_dataset(dataset)
    with ctx.read() as session:
        return access.search(session, consumer=consumer, dataset=dataset, since=since, until=until,
                             unmasked_only=unmasked_only, limit=limit, offset=offset)


@router.get("/share/access-log", summary="数据访问留痕（管理员）")
def access_log(
    ctx: Ctx, caller: CurrentCaller, consumer: Annotated[str | None, Query(max_length=64)] = None,
    dataset: DatasetQ = None, since: InstantQ = None,
    until: InstantQ = None, unmasked_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    require_role(caller.actor, Role.ADMIN)
    rows = _log_rows(ctx, consumer, dataset, since, until, unmasked_only, limit, offset)
    return {"entries": [access.as_dict(r) for r in rows], "limit": limit, "offset": offset}


@router.get("/share/access-log/export", summary="导出数据访问留痕（管理员，CSV 或 JSON Lines）", response_class=Response,
            responses=file_answer("CSV（format=csv）或 JSON Lines（format=jsonl）", CSV, JSONL))
def access_log_export(
    ctx: Ctx, caller: CurrentCaller, format: Literal["csv", "jsonl"] = "csv",
    consumer: Annotated[str | None, Query(max_length=64)] = None,
    dataset: DatasetQ = None, since: InstantQ = None,
    until: InstantQ = None, unmasked_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
) -> Response:
    require_role(caller.actor, Role.ADMIN)
    rows = _log_rows(ctx, consumer, dataset, since, until, unmasked_only, limit, 0)
    media = f"{CSV}; charset=utf-8" if format == "csv" else JSONL
    return Response(access.export(rows, format), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="access-log.{format}"'})
