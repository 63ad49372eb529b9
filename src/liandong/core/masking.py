"""Masking of citizens' personal data (个人信息脱敏) wherever it is not needed in full."""

from __future__ import annotations

import hashlib
import hmac


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    name = name.strip()
    return name[0] + "*" * max(1, len(name) - 1)


def caller_key(phone: str | None, salt: str) -> str | None:
    """A keyed hash of the number: finds repeat calls without storing the number in an index."""
    if not phone:
        return None
    normalised = "".join(ch for ch in phone if ch.isdigit())[-11:]
    return hmac.new(salt.encode(), normalised.encode(), hashlib.sha256).hexdigest()[:32]
