"""The HTTP face of the receiver: `POST /api/v1/exchange/messages`, as a FastAPI router to mount.

    app.include_router(make_exchange_router(get_session, handlers_factory, settings))

`get_session()` returns a context manager yielding a Session inside a transaction that commits on
clean exit and rolls back on error (e.g. `lambda: liandong.storage.db.transaction(factory)`).
`handlers_factory(session)` returns the order core's `ExchangeHandlers`.

Status codes: 200 accepted (or a duplicate, with `X-Liandong-Duplicate: 1`); 401 authentication;
403 not allowed; 404 unknown order; 409 sequence gap (retryable) / conflict / refused; 422
malformed; 503 storage busy (retryable); 500 unexpected (retryable). The JSON body always has
`ok`, `code`, `message` (zh-CN), `retryable`. Answers to a known peer are signed like requests
(`X-Liandong-Peer` = this platform), so the sender can trust the acknowledgement.
"""

from __future__ import annotations

import logging
import threading
from contextlib import AbstractContextManager, nullcontext
from typing import Callable

import orjson
from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from liandong.exchange.errors import ExchangeRejected
from liandong.exchange.peers import MESSAGES_PATH
from liandong.exchange.receiver import ExchangeHandlers, ReceiverSettings, receive
from liandong.exchange.signing import H_PEER, sign_headers

log = logging.getLogger("liandong.exchange.http")
_ATTEMPTS = 3


def _json(status: int, body: dict, **headers: str) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)


def _signed(resp: Response, request_headers: dict[str, str], settings: ReceiverSettings) -> Response:
    """Sign the answer for the requesting peer, so a forged acknowledgement cannot make it drop a message."""
    peer = {k.lower(): v for k, v in request_headers.items()}.get(H_PEER.lower())
    if peer and settings.keyring.knows(peer):
        headers = sign_headers(sender=settings.local_platform, key=settings.keyring.signing_key(peer), body=resp.body,
                               now=settings.clock.now())
        headers.pop("Content-Type", None)
        resp.headers.update(headers)
    return resp


def _is_sqlite(get_session, cache: dict) -> bool:
    if "sqlite" not in cache:
        with get_session() as session:
            cache["sqlite"] = session.get_bind().dialect.name == "sqlite"
    return cache["sqlite"]


def handle(raw_body: bytes, headers: dict[str, str], get_session: Callable[[], AbstractContextManager[Session]],
           handlers_factory: Callable[[Session], ExchangeHandlers], settings: ReceiverSettings,
           lock: threading.Lock, _cache: dict | None = None) -> Response:
    """Run `receive` in its own transaction; retry when a concurrent duplicate won the race."""
    return _signed(_handle(raw_body, headers, get_session, handlers_factory, settings, lock,
                           {} if _cache is None else _cache), headers, settings)


def _handle(raw_body, headers, get_session, handlers_factory, settings, lock, cache) -> Response:
    guard = lock if _is_sqlite(get_session, cache) else nullcontext()  # held until after the commit
    last: Exception | None = None
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with guard, get_session() as session:
                ack = receive(raw_body, headers, session, handlers_factory(session), settings)
            extra = {"X-Liandong-Duplicate": "1"} if ack.duplicate else {}
            return Response(ack.content(), status_code=ack.status, media_type="application/json", headers=extra)
        except ExchangeRejected as exc:
            return _json(exc.status, exc.body())
        except (IntegrityError, OperationalError) as exc:
            log.info("exchange receive attempt %d hit %s; retrying", attempt, type(exc).__name__)
            last = exc
        except Exception:  # noqa: BLE001 - answer, log, and let the sender retry
            log.exception("exchange receive failed")
            return _json(500, {"ok": False, "code": "internal", "message": "接收方内部错误，请稍后重试",
                               "retryable": True})
    return _json(503, {"ok": False, "code": "busy", "message": f"接收方存储繁忙，请稍后重试（{type(last).__name__}）",
                       "retryable": True})


def make_exchange_router(get_session: Callable[[], AbstractContextManager[Session]],
                         handlers_factory: Callable[[Session], ExchangeHandlers],
                         settings: ReceiverSettings) -> APIRouter:
    """A router with `POST /api/v1/exchange/messages`; mount it with `app.include_router(...)`."""
    router = APIRouter(tags=["exchange"])
    lock = threading.Lock()  # SQLite has one writer; serialise receives there instead of failing busy
    cache: dict = {}

    @router.post(MESSAGES_PATH, summary="接收对端平台报文 (receive one exchange message)")
    async def receive_message(request: Request) -> Response:
        raw = await request.body()
        if settings.inline:  # no thread hop: ~0.5 ms less per message; blocks the loop while it runs
            return handle(raw, dict(request.headers), get_session, handlers_factory, settings, lock, cache)
        return await run_in_threadpool(handle, raw, dict(request.headers), get_session, handlers_factory, settings, lock,
                                       cache)

    return router
