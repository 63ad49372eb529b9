"""A simple self-hosted challenge (人机验证) for bursts: a sum in words, its answer signed — no third party.

Readable by a screen reader (plain text), answerable on any keyboard; the token carries the expiry, so
nothing is stored. A token answered once is not blocked from reuse within its few minutes: the burst
counters still apply, the challenge only slows scripts down."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

TTL_S = 600
DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def make(secret: str, now: datetime, rand=secrets.randbelow) -> Challenge:
    a, b = 1 + rand(9), 1 + rand(9)
    expiry = int(now.timestamp()) + TTL_S
    return Challenge(f"请计算：{DIGITS[a]}加{DIGITS[b]}等于几？（请填写阿拉伯数字）",
                     f"{expiry}.{a}.{b}.{_sig(secret, expiry, a, b)}")


def solved(secret: str, token: str | None, answer: str | None, now: datetime) -> bool:
    try:
        expiry, a, b, sig = (token or "").split(".")
        expiry_i, a_i, b_i = int(expiry), int(a), int(b)
    except ValueError:
        return False
    if not hmac.compare_digest(sig, _sig(secret, expiry_i, a_i, b_i)) or now.timestamp() > expiry_i:
        return False
    return (answer or "").strip() == str(a_i + b_i)


def _sig(secret: str, expiry: int, a: int, b: int) -> str:
    return hmac.new(secret.encode(), f"challenge|{expiry}|{a}|{b}".encode(), hashlib.sha256).hexdigest()[:24]
