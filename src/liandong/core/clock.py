"""Clocks are passed in, never read from the wall inside domain code.

China has had one time zone and no daylight saving since 1991, so a fixed +08:00 offset
is exact and needs no tz database on the machine.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Protocol

CST = timezone(timedelta(hours=8), "CST")  # 北京时间


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(CST)


class FrozenClock:
    """A clock for tests and simulations: it moves only when told to."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            at = at.replace(tzinfo=CST)
        self._at = at
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._at += delta
            return self._at

    def set(self, at: datetime) -> None:
        with self._lock:
            self._at = at if at.tzinfo else at.replace(tzinfo=CST)


def as_cst(moment: datetime) -> datetime:
    """Naive datetimes are taken as Beijing time; aware ones are converted to it."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=CST)
    return moment.astimezone(CST)
