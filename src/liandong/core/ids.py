"""Identifiers: random ids for rows and messages, readable numbers for orders."""

from __future__ import annotations

import uuid


def new_id() -> str:
    return uuid.uuid4().hex


def order_number(platform: str, region_code: str, day: str, serial: int) -> str:
    """Readable order number: GD (工单) or JD (警单), the 6-digit region, yyyymmdd, a 6-digit serial.

    e.g. GD-148802-20261123-000042. A person can read out the platform, place and day.
    """
    prefix = "JD" if platform == "110" else "GD"
    return f"{prefix}-{region_code[:6]}-{day}-{serial:06d}"
