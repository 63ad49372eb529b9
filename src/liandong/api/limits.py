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
"""

from __future__ import annotations

import json
from typing import Callable

MAX_BODY = 256 * 1024
DRAIN_MAX = 16 * 1024 * 1024  # read and discard at most this much of a refused body


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
        await self.app(scope, _replay(b"".join(chunks), receive), send)

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


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes

    return replay
