"""One-time codes (短信验证码) and the signed token of a verified phone — plain functions, secret passed in.

A code is stored only as an HMAC of (phone, code): a leaked table row reveals neither. A verified phone
is carried in a cookie signed with the same secret, with its expiry inside, so no page needs a user account.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from liandong.core.errors import InvalidInput

PHONE = re.compile(r"^1[3-9][0-9]{9}$")  # a mainland mobile number: codes go by SMS


def normal_phone(raw: str | None) -> str:
    """The mobile number in its 11 digits, or a Chinese refusal."""
    digits = "".join(ch for ch in (raw or "") if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not PHONE.match(digits):
        raise InvalidInput("请输入11位手机号码（用于接收验证码和查询办理进度）")
    return digits


def new_code(rand=secrets.randbelow) -> str:
    return f"{rand(1_000_000):06d}"


def code_hash(secret: str, phone: str, code: str) -> str:
    return hmac.new(secret.encode(), f"otp|{phone}|{code}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class StoredCode:  # 已发送的验证码
    code_hash: str
    expires_at: datetime
    attempts: int
    used: bool


def check_code(stored: StoredCode | None, *, secret: str, phone: str, code: str, now: datetime,
               max_attempts: int) -> str | None:
    """None when the code is right, else the refusal to show (the same for every wrong code)."""
    if stored is None or stored.used:
        return "验证码无效或已使用，请重新获取"
    if now >= stored.expires_at:
        return "验证码已过期，请重新获取"
    if stored.attempts >= max_attempts:
        return "验证码输错次数过多，请重新获取"
    if not hmac.compare_digest(stored.code_hash, code_hash(secret, phone, (code or "").strip())):
        return "验证码不正确"
    return None


def sign_phone(secret: str, phone: str, now: datetime, minutes: int) -> str:
    """The token of a verified phone: `phone.expiry.signature`."""
    expiry = int((now + timedelta(minutes=minutes)).timestamp())
    body = base64.urlsafe_b64encode(f"{phone}.{expiry}".encode()).decode().rstrip("=")
    return f"{body}.{_sig(secret, body)}"


def verified_phone(secret: str, token: str | None, now: datetime) -> str | None:
    """The phone a token vouches for, or None (absent, forged, expired)."""
    if not token or token.count(".") != 1:
        return None
    body, sig = token.split(".")
    if not hmac.compare_digest(sig, _sig(secret, body)):
        return None
    try:
        phone, expiry = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode().split(".")
        if now.timestamp() >= int(expiry) or not PHONE.match(phone):
            return None
    except ValueError:
        return None
    return phone


def _sig(secret: str, body: str) -> str:
    return hmac.new(secret.encode(), f"phone|{body}".encode(), hashlib.sha256).hexdigest()[:32]
