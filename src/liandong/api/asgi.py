"""ASGI entry for `uvicorn --factory liandong.api.asgi:app_factory` (several worker processes)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.config import settings_from_env
from liandong.core.clock import SystemClock


def app_factory():
    offset = float(os.environ.get("LIANDONG_CLOCK_OFFSET_S") or 0)  # tests: run this desk's clock fast or slow
    return create_app(Liandong(settings_from_env(), clock=OffsetClock(offset) if offset else SystemClock()), background=True)


class OffsetClock:
    """The system clock moved by a fixed offset (to test clock skew between desks)."""

    def __init__(self, offset_s: float) -> None:
        self.offset = timedelta(seconds=offset_s)

    def now(self) -> datetime:
        return SystemClock().now() + self.offset
