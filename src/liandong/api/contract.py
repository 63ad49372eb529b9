"""The API's error contract in the OpenAPI: every refusal a route can answer, with the body it answers.

    from liandong.api.contract import ErrorBody, errors, document
    APIRouter(responses=errors(403))                 # what a whole router's routes can refuse
    @router.post(..., responses=errors(409))         # what one route adds
    document(app)                                    # once, in create_app

`errors(...)` gives the `responses=` dict for FastAPI. `document(app)` adds to the built OpenAPI what
each operation's signature implies, so no route can forget it: 422 for any parameter or body (FastAPI's own 422 schema is
replaced: the server answers `ErrorBody`, not `HTTPValidationError`), 404 for a path parameter
(an unknown id), 413 for a route that reads a body (`limits.BodyLimit`). Open311 routes answer
Open311 error documents (`open311_errors`) instead.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field


class ErrorBody(BaseModel):  # 错误响应
    """What `api.errors` (and `limits.BodyLimit`) answer for every refusal."""

    error: str = Field(description="错误代码：invalid_input、not_found、unauthenticated、forbidden、conflict、"
                                   "illegal_transition、stale_update、rate_limited、busy、"
                                   "payload_too_large、http_error、internal",
                       examples=["invalid_input"])
    message: str = Field(description="给人看的中文说明", examples=["诉求内容：缺少必填字段"])
    details: dict[str, Any] = Field(default_factory=dict, description="机器可读的补充信息（如 422 的 errors、409 的 allowed）")


class Open311Error(BaseModel):
    code: int = Field(description="HTTP 状态码")
    description: str = Field(description="中文说明")


DESCRIPTIONS = {
    400: "请求格式错误",
    401: "未认证：缺少令牌或接入密钥，或其无效、已注销",
    403: "无权操作：角色、单位或辖区不允许",
    404: "不存在：编号未找到",
    409: "冲突：当前状态不允许该操作、已被他人更新（乐观锁）或幂等键配了不同请求体",
    413: "请求体过大",
    422: "请求参数或内容无效（中文说明在 message，逐项在 details.errors）",
    429: "请求过于频繁：见响应头 Retry-After",
    503: "系统繁忙：见响应头 Retry-After，稍后重试",
}


def errors(*statuses: int, model: type[BaseModel] = ErrorBody) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry for these refusal statuses, each with its body schema."""
    return {s: {"model": model, "description": DESCRIPTIONS[s]} for s in statuses}


def file_answer(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry of a route that answers a file (with `response_class=Response`, so that
    FastAPI does not also list `application/json`): its media types, each a binary string."""
    return {200: {"description": description,
                  "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in media_types}}}


def open311_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Open311 routes answer the error document `[{"code": …, "description": …}]` (`.json`) or
    `<errors><error><code/><description/></error></errors>` (`.xml`)."""
    return {s: {"model": list[Open311Error], "description": DESCRIPTIONS[s],
                "content": {"text/xml": {"schema": {"type": "string", "description": "Open311 错误文档（XML）"}}}}
            for s in statuses}


def document(app: FastAPI) -> None:
    """Complete the app's OpenAPI, once, with the refusals each operation's signature implies (see the
    module's doc). Done on the built schema, not on route objects: FastAPI includes routers lazily."""
    build = app.openapi
    done = False

    def openapi() -> dict[str, Any]:
        nonlocal done
        schema = build()  # FastAPI's own, cached on the app
        if not done:
            complete(schema)
            done = True
        return schema

    app.openapi = openapi


def complete(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorBody, Open311Error):
        components.setdefault(model.__name__, model.model_json_schema(ref_template="#/components/schemas/{model}"))
    for path, operations in schema.get("paths", {}).items():
        open311 = path.startswith("/open311/")
        for op in operations.values():
            params, body = op.get("parameters") or [], "requestBody" in op
            responses = op.setdefault("responses", {})
            implied = ([404] if any(p.get("in") == "path" for p in params) else []) + ([413] if body else [])
            if open311:
                responses.pop("422", None)  # every Open311 parameter is text: a refusal is an Open311 400
                made = open311_errors(*implied)
                for status in implied:
                    responses.setdefault(str(status), _open311_response(made[status]))
                continue
            keyed = any("apiKeyQuery" in requirement for requirement in op.get("security", []))  # api_key: a query parameter
            if params or body or keyed:
                implied.append(422)
            for status in implied:
                if str(status) not in responses or status == 422:  # FastAPI's 422 names a body never sent
                    responses[str(status)] = _response(status)
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused in components and f'"#/components/schemas/{unused}"' not in _text(schema, unused):
            del components[unused]


def _response(status: int) -> dict[str, Any]:
    return {"description": DESCRIPTIONS[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}


def _open311_response(spec: dict[str, Any]) -> dict[str, Any]:
    return {"description": spec["description"],
            "content": {"application/json": {"schema": {"type": "array",
                                                        "items": {"$ref": "#/components/schemas/Open311Error"}}},
                        **spec["content"]}}


def _text(schema: dict[str, Any], leaving: str) -> str:
    rest = {k: v for k, v in schema.get("components", {}).get("schemas", {}).items() if k != leaving}
    return json.dumps([schema.get("paths", {}), rest])
