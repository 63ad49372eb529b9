"""ASGI entry for `uvicorn --factory liandong.api.asgi:app_factory` (several worker processes)."""

from __future__ import annotations

import atexit
import os
from datetime import datetime, timedelta

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.config import settings_from_env
from liandong.core.clock import SystemClock
from liandong.ops.logs import configure_from_env
from liandong.ops.metrics import mark_process_dead


def app_factory():
    configure_from_env(default_format="json")  # one JSON line per event on stderr (LIANDONG_LOG_FORMAT=text for people)
    atexit.register(mark_process_dead, os.getpid())
    offset = float(os.environ.get("LIANDONG_CLOCK_OFFSET_S") or 0)  # tests: run this desk's clock fast or slow
    return create_app(Liandong(settings_from_env(), clock=OffsetClock(offset) if offset else SystemClock()), background=True)


class OffsetClock:
    """The system clock moved by a fixed offset (to test clock skew between desks)."""

    def __init__(self, offset_s: float) -> None:
        self.offset = timedelta(seconds=offset_s)

    def now(self) -> datetime:
        return SystemClock().now() + self.offset
