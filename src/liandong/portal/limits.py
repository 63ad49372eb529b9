"""Rate limits (频次限制) as fixed windows: which window a moment falls in, and whether one more is allowed.

The counts live in `portal_counters` (one row per key and window), so every server process agrees."""

from __future__ import annotations

import hashlib
from datetime import datetime

from liandong.portal.rules import Limit


def window_of(now: datetime, limit: Limit) -> int:
    """The number of the window `now` falls in (epoch seconds // window length)."""
    return int(now.timestamp()) // limit.seconds


def counter_key(kind: str, value: str, limit: Limit, now: datetime) -> str:
    """The row key: kind, a hash of the value (no phone number or address stored in clear), the window."""
    digest = hashlib.sha256(value.encode()).hexdigest()[:24]
    return f"{kind}:{digest}:{window_of(now, limit)}"


def allowed(count_before: int, limit: Limit) -> bool:
    return count_before < limit.count


def refusal(kind: str, limit: Limit) -> str:
    minutes = max(1, limit.seconds // 60)
    span = f"{minutes // 60} 小时" if minutes >= 60 and minutes % 60 == 0 else f"{minutes} 分钟"
    return {
        "code_phone": f"该手机号获取验证码过于频繁，请 {span}后再试",
        "code_addr": f"获取验证码过于频繁，请 {span}后再试",
        "report_phone": f"该手机号提交诉求已达上限（{span}内 {limit.count} 件），如情况紧急请拨打 12345",
        "report_addr": f"提交过于频繁，请 {span}后再试，或拨打 12345",
        "follow_addr": f"查询过于频繁，请 {span}后再试",
    }[kind]
