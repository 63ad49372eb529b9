"""Refuse oversized request bodies before they reach the app (413, with a Chinese message), readably for
every client.

- The body is read here, up to `max_body`, and handed to the app whole: a chunked body over the limit
  is refused the same as a declared one (the app's own body reading turned the error into FastAPI's
  English 400).
- A refused body is read and thrown away, up to `DRAIN_MAX`, between the 413's bytes and the end of the
  response: a client that sends the whole body before it reads (Python's urllib) would otherwise have
  its unread bytes answered by a TCP reset that destroys the 413 it was about to read. Beyond the bound
  the connection is closed (`connection: close`). A client that asked `Expect: 100-continue` has sent
  nothing yet and is answered at once.
- A request carrying a NUL character (U+0000) anywhere a text could come from — path, query, a JSON
  `\\u0000` escape, a form's `%00` — is refused with 422: PostgreSQL cannot store it in a text column, and
  SQLite would keep an invisible character that breaks exports. Binary bodies (multipart photos, an
  XLSX workbook) are left to the app.
"""

from __future__ import annotations

import json
import re
from typing import Callable
from urllib.parse import unquote_to_bytes

MAX_BODY = 256 * 1024
DRAIN_MAX = 16 * 1024 * 1024  # read and discard at most this much of a refused body
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")  # an escape that is not itself escaped: \u0000, \\\u0000
NUL_REFUSAL = json.dumps({"error": "invalid_input", "message": "请求中含有空字符（\\u0000），无法保存：请删除后重试",
                          "details": {}}, ensure_ascii=False).encode()


def carries_nul(scope, body: bytes) -> bool:
    """Whether the request would hand the app a NUL character in a text."""
    if "\x00" in scope.get("path", "") or b"\x00" in unquote_to_bytes(scope.get("query_string", b"")):
        return True
    if not body:
        return False
    ctype = dict(scope.get("headers") or []).get(b"content-type", b"").lower()
    if ctype.startswith(b"application/x-www-form-urlencoded"):
        return b"\x00" in unquote_to_bytes(body)
    if not ctype or b"json" in ctype or ctype.startswith(b"text/"):  # FastAPI reads an untyped body as JSON
        return b"\x00" in body or _JSON_NUL.search(body) is not None
    return False  # binary: a photo, a workbook


class BodyLimit:
    def __init__(self, app, max_body: int = MAX_BODY, drain_max: int = DRAIN_MAX,
                 wider: dict[str, tuple[int, Callable[[int], tuple[bytes, bytes]]]] | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.drain_max = drain_max
        self.wider = wider or {}  # path → (its limit, the refusal's content type and body): the portal's photo form

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit, refusal = self.wider.get(scope.get("path", ""), (self.max_body, self._json))
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        waiting = headers.get(b"expect", b"").lower() == b"100-continue"
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await self._refuse(receive, send, refusal(limit), drain=not waiting and int(declared) <= self.drain_max)
        if declared is None and b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            if carries_nul(scope, b""):
                return await self._refuse_nul(send)
            return await self.app(scope, receive, send)  # no body (GET, …)
        chunks, seen = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                return await self._refuse(receive, send, refusal(limit), drain=message.get("more_body", False),
                                          seen=seen)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if carries_nul(scope, body):
            return await self._refuse_nul(send)
        await self.app(scope, _replay(body, receive), send)

    @staticmethod
    async def _refuse_nul(send) -> None:
        await send({"type": "http.response.start", "status": 422,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(NUL_REFUSAL)).encode())]})
        await send({"type": "http.response.body", "body": NUL_REFUSAL})

    @staticmethod
    def _json(limit: int) -> tuple[bytes, bytes]:
        return b"application/json", json.dumps({"error": "payload_too_large", "message": f"请求体过大：不超过 {limit // 1024} KB",
                                                "details": {}}, ensure_ascii=False).encode()


    async def _refuse(self, receive, send, answer: tuple[bytes, bytes], *, drain: bool, seen: int = 0) -> None:
        ctype, body = answer
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body, "more_body": True})
        while drain and seen <= self.drain_max:  # the answer is out; now let the client finish sending
            message = await receive()
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            drain = message.get("more_body", False)
        await send({"type": "http.response.body", "body": b""})


def file_too_large(limit: int) -> tuple[bytes, bytes]:
    """The refusal of an uploaded file (a workbook) over its route's wider limit, in megabytes."""
    return b"application/json", json.dumps({"error": "payload_too_large", "message": f"文件不能超过 {limit // (1024 * 1024)} MB",
                                            "details": {}}, ensure_ascii=False).encode()


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes

    return replay
