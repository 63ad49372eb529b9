"""The request id (请求编号) that follows one appeal through intake, routing, orders and the exchange.

Set by the HTTP middleware from the caller's `X-Request-ID` (or a new one), carried by the intake queue
to its writer thread, stored with each outbox row and sent to the peer desk in the same header, so one
id finds every log line of an appeal on both desks. A context variable: threads started by
`run_in_threadpool` inherit it; threads of our own bind it explicitly (`bound`).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from liandong.core.ids import new_id

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_current: ContextVar[str | None] = ContextVar("liandong_request_id", default=None)


def new_request_id() -> str:
    return new_id()  # not uuid4: a system call per request (a tenth of a serving thread's time under gVisor)


def accept(raw: str | None) -> str:
    """The caller's id if it is a short token of safe characters, else a new one (never log what a caller sends)."""
    return raw if raw and _VALID.match(raw) else new_request_id()


def current() -> str | None:
    return _current.get()


@contextmanager
def bound(request_id: str | None) -> Iterator[None]:
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)
