"""Identifiers: random ids for rows and messages, readable numbers for orders."""

from __future__ import annotations

import os
import random

_ids = random.Random(os.urandom(32))
os.register_at_fork(after_in_child=lambda: _ids.seed(os.urandom(32)))  # a forked worker must not repeat its parent


def new_id() -> str:
    """128 random bits as 32 hex digits. Not `uuid4`: one getrandom system call per id was 3 % of an
    intake worker's time; a generator seeded from the OS once per process makes ids as unlikely to collide."""
    return f"{_ids.getrandbits(128):032x}"


def order_number(platform: str, region_code: str, day: str, serial: int) -> str:
    """Readable order number: GD (工单) or JD (警单), the 6-digit region, yyyymmdd, a 6-digit serial.

    e.g. GD-148802-20261123-000042. A person can read out the platform, place and day.
    """
    prefix = "JD" if platform == "110" else "GD"
    return f"{prefix}-{region_code[:6]}-{day}-{serial:06d}"
