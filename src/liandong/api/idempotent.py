"""The Idempotency-Key header of the API's POSTs, and how a stored answer is given again."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Response

from liandong.storage.idempotency import Answer

IDEMPOTENCY_DOC = (
    "可带请求头 `Idempotency-Key`（1–128 个可见 ASCII 字符，如 UUID）：24 小时内以同一键、同一请求体重试，"
    "返回第一次的答复（相同状态码与响应体，响应头 `Idempotent-Replayed: true`），不再写入任何记录；"
    "同一键配不同请求体，返回 409。"
)
KEY_PATTERN = r"^[!-~]{1,128}$"  # what `storage.idempotency` accepts, stated in the schema
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", pattern=KEY_PATTERN,
                                              description="幂等键：重试时保持不变（1–128 个可见 ASCII 字符）")]


def replayed(answer: Answer) -> Response:
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else {}
    return Response(answer.body, status_code=answer.status, media_type="application/json", headers=headers)
