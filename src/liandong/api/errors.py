"""Errors → HTTP, in one table. Every refusal is JSON `{"error": code, "message": 中文说明, "details": …}`."""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from liandong.core.errors import (
    Busy,
    ConfigError,
    Conflict,
    Forbidden,
    IllegalTransition,
    InvalidInput,
    LiandongError,
    NotFound,
    StaleUpdate,
    Throttled,
    Unauthenticated,
)

log = logging.getLogger("liandong.api")

STATUS = [  # most specific first
    (IllegalTransition, 409, "illegal_transition"),
    (StaleUpdate, 409, "stale_update"),
    (Conflict, 409, "conflict"),
    (InvalidInput, 422, "invalid_input"),
    (NotFound, 404, "not_found"),
    (Unauthenticated, 401, "unauthenticated"),
    (Forbidden, 403, "forbidden"),
    (Busy, 503, "busy"),
    (Throttled, 429, "rate_limited"),
    (ConfigError, 500, "config_error"),
]

_PYDANTIC_MESSAGES = {
    "missing": "缺少必填字段",
    "string_too_long": "内容过长，最多 {max_length} 个字符",
    "string_too_short": "内容不能为空",
    "too_long": "条目过多，最多 {max_length} 项",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "enum": "取值无效，可选：{expected}",
    "literal_error": "取值无效，可选：{expected}",
    "string_pattern_mismatch": "格式不正确",
    "datetime_type": "应为日期时间（ISO 8601，如 2026-11-23T09:30:00+08:00）",
    "datetime_parsing": "应为日期时间（ISO 8601，如 2026-11-23T09:30:00+08:00）",
    "datetime_from_date_parsing": "应为日期时间（ISO 8601，如 2026-11-23T09:30:00+08:00）",
    "extra_forbidden": "不允许的字段",
    "json_invalid": "请求体不是合法的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "value_error": "{msg}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
}
_FIELD_NAMES = {
    "channel": "受理渠道", "text": "诉求内容", "received_at": "受理时间", "caller": "诉求人", "name": "姓名",
    "phone": "联系电话", "address": "地址", "region": "行政区划代码", "attachments": "附件", "action": "操作",
    "note": "说明", "unit": "承办单位", "reason": "原因", "satisfied": "是否满意", "rating": "评价分值",
    "days": "延期天数", "target": "目标", "category": "分类", "level": "事件等级", "body": "请求体",
    "solved": "是否解决", "satisfaction": "满意度",
    "period": "统计周期", "group": "统计维度", "grain": "粒度", "from": "起始日期", "to": "截止日期", "top": "热点数",
    "part": "穿透口径", "warning_id": "预警编号",
    "page": "页码", "page_size": "每页条数", "status": "状态", "platform": "平台",
    "date_from": "起始日期", "date_to": "截止日期", "state": "状态", "kind": "类型",
    "since": "起始时间", "until": "截止时间", "Idempotency-Key": "幂等键（Idempotency-Key）",
}


def describe_validation_error(err: dict) -> str:
    loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
    where = "·".join(_FIELD_NAMES.get(p, p) for p in loc) or "请求体"
    template = _PYDANTIC_MESSAGES.get(err.get("type", ""), "取值无效")
    ctx = dict(err.get("ctx") or {})
    ctx.setdefault("msg", str(err.get("msg", "")).removeprefix("Value error, "))
    try:
        text = template.format(**ctx)
    except (KeyError, IndexError):
        text = template
    return f"{where}：{text}"


UNPARSABLE_BODY = "There was an error parsing the body"


def allowed_methods(request: Request) -> list[str]:
    """Every method the published contract serves at this path. Starlette's 405 names only the first
    route that matched the path, while FastAPI gives each method of a path a route of its own (GET and
    POST `/surge` answered a DELETE with `Allow: GET` alone)."""
    table = getattr(request.app.state, "allowed_methods", None)
    if table is None:
        table = [(re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"), sorted(m.upper() for m in ops))
                 for path, ops in request.app.openapi().get("paths", {}).items()]
        request.app.state.allowed_methods = table
    return sorted({m for pattern, methods in table if pattern.match(request.url.path) for m in methods})


def install(app: FastAPI) -> None:
    @app.exception_handler(LiandongError)
    async def _domain(_request: Request, exc: LiandongError) -> JSONResponse:
        for cls, status, code in STATUS:
            if isinstance(exc, cls):
                break
        else:
            status, code = 400, "error"
        if status >= 500:
            log.error("configuration error: %s", exc.message)
        retry = getattr(exc, "retry_after", None)
        return JSONResponse({"error": code, "message": exc.message, "details": exc.details}, status_code=status,
                            headers={"Retry-After": str(retry)} if retry else None)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        messages = [describe_validation_error(e) for e in errors[:10]]
        return JSONResponse(
            {"error": "invalid_input", "message": "；".join(messages),
             "details": {"errors": [{"loc": list(map(str, e.get("loc", ()))), "type": e.get("type")} for e in errors[:10]]}},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == UNPARSABLE_BODY:  # FastAPI's, for a body that is not UTF-8
            return JSONResponse({"error": "invalid_input", "message": "请求体无法解析：应为 UTF-8 编码的 JSON",
                                 "details": {}}, status_code=422)
        messages = {404: "接口不存在", 405: "不支持的请求方法", 413: "请求体过大"}
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else messages.get(exc.status_code, str(exc.detail))
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405 and (methods := allowed_methods(request)):
            headers["Allow"] = ", ".join(methods)
        return JSONResponse({"error": "http_error", "message": message, "details": {}}, status_code=exc.status_code,
                            headers=headers or None)

    @app.exception_handler(DataError)
    async def _unstorable(_request: Request, exc: DataError) -> JSONResponse:
        """A value the database refused as data (out of range, a character it cannot store): the client's
        input, and the transaction has rolled back, so a 422 and nothing written."""
        log.warning("value refused by the database: %s", str(exc.orig).splitlines()[0] if exc.orig else exc)
        return JSONResponse({"error": "invalid_input", "message": "提交的内容超出可保存的范围（如数值过大或含有不可保存的字符），未作任何修改",
                             "details": {}}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:  # the last net: logged, never silent
        log.exception("unexpected error")
        return JSONResponse({"error": "internal", "message": "服务器内部错误，已记录，请联系管理员", "details": {}}, status_code=500)
