"""Rate limits on intake (限流), as token buckets kept in each serving process.

- Per token (每个令牌): a client that floods the API is answered 429 with `Retry-After`. The default
  (`per_token_per_min` 600, burst 120) is far above what an operator keys in — a busy 12345 operator
  takes 1–2 calls a minute, a bulk-import client perhaps 5 a second — so a console is never slowed.
- Per caller (每个来电号码, by the keyed hash of the number): beyond `per_caller_per_hour` appeals from
  the same number, a self-service channel (web, app, WeChat, SMS, e-mail) is answered 429 with
  `Retry-After` (slowed, and told so — never silently dropped); an appeal an operator keys in (phone,
  the desks, transfers) is always stored, and flagged for the supervisor (疑似骚扰) by the repeat rules.

Each process keeps its own buckets: with N serving processes a client may get up to N × the rate; the
limits are a guard against floods, not a quota, so this is stated rather than shared through the database.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

SELF_SERVICE = frozenset({"web", "app", "wechat", "sms", "email"})


@dataclass(frozen=True)
class Limits:
    per_token_per_min: float = 600.0
    token_burst: float = 120.0
    per_caller_per_hour: float = 20.0
    caller_burst: float = 10.0

    def __post_init__(self) -> None:
        for name in ("per_token_per_min", "token_burst", "per_caller_per_hour", "caller_burst"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")


@dataclass(frozen=True)
class Verdict:  # 限流结论
    allowed: bool
    retry_after: int = 0  # whole seconds until one more is allowed
    flagged: bool = False  # over the caller's limit but stored (keyed in by an operator)
    limit: str = ""  # which limit refused or flagged it: token | caller


class Buckets:
    """Token buckets by key; `take(key, now)` spends one if there is one. Time is passed in (monotonic seconds)."""

    def __init__(self, rate_per_s: float, burst: float, *, max_keys: int = 100_000) -> None:
        self.rate, self.burst, self.max_keys = rate_per_s, burst, max_keys
        self._state: dict[str, tuple[float, float]] = {}  # key → (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str, now: float) -> tuple[bool, float]:
        """(allowed, seconds until the next token)."""
        with self._lock:
            tokens, at = self._state.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self._state[key] = (tokens - 1.0, now)
                allowed, wait = True, 0.0
            else:
                self._state[key] = (tokens, now)
                allowed, wait = False, (1.0 - tokens) / self.rate
            if len(self._state) > self.max_keys:  # forget full buckets: they hold nothing worth keeping
                self._state = {k: v for k, v in self._state.items() if v[0] + (now - v[1]) * self.rate < self.burst}
            return allowed, wait


class IntakeLimiter:
    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.tokens = Buckets(self.limits.per_token_per_min / 60.0, self.limits.token_burst)
        self.callers = Buckets(self.limits.per_caller_per_hour / 3600.0, self.limits.caller_burst)

    def check(self, *, token_key: str, caller_key: str | None, channel: str, now: float) -> Verdict:
        ok, wait = self.tokens.take(token_key, now)
        if not ok:
            return Verdict(False, _ceil(wait), limit="token")
        if caller_key is None:
            return Verdict(True)
        ok, wait = self.callers.take(caller_key, now)
        if ok:
            return Verdict(True)
        if channel in SELF_SERVICE:
            return Verdict(False, _ceil(wait), limit="caller")
        return Verdict(True, flagged=True, limit="caller")


def _ceil(seconds: float) -> int:
    return max(1, int(seconds) + (seconds % 1 > 0))
