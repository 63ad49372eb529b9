"""The error tree of Liandong, in one place.

    LiandongError                 base; carries a message a person can read (zh-CN)
    ├── InvalidInput              422  the request is malformed or a value is out of range
    ├── NotFound                  404  no such appeal, order, unit, region, user
    ├── Conflict                  409  the request clashes with the current state
    │   ├── IllegalTransition     409  an action not allowed in the order's current state
    │   └── StaleUpdate           409  someone else changed the order first (optimistic lock)
    ├── Unauthenticated           401  no token, or a token that is unknown or revoked
    ├── Forbidden                 403  the caller's role, unit or region does not cover this
    ├── Busy                      503  the desk is overloaded (intake queue full); try again shortly
    ├── Throttled                 429  a token, a caller or a data consumer (接入方) is over its rate limit;
    │                                  Retry-After says when to try again
    └── ConfigError               —    city data (YAML) that fails validation; names file and line

The API maps these to HTTP in one table (`liandong.api.errors`); the CLI prints the message.
"""

from __future__ import annotations


class LiandongError(Exception):
    """Base error; `message` is shown to users, so it is written in Chinese."""

    def __init__(self, message: str, *, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidInput(LiandongError):
    pass


class NotFound(LiandongError):
    pass


class Conflict(LiandongError):
    pass


class IllegalTransition(Conflict):
    def __init__(self, state: str, action: str, allowed: list[str], *, state_label: str = "", action_label: str = "") -> None:
        names = "、".join(allowed) if allowed else "无"
        super().__init__(
            f"工单当前状态为「{state_label or state}」，不能执行「{action_label or action}」；当前允许的操作：{names}",
            details={"state": state, "action": action, "allowed": allowed},
        )
        self.state = state
        self.action = action
        self.allowed = allowed


class StaleUpdate(Conflict):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"工单 {order_id} 已被他人更新，请刷新后重试", details={"order_id": order_id})


class Unauthenticated(LiandongError):
    pass


class Forbidden(LiandongError):
    pass


class Busy(LiandongError):
    retry_after = 1  # seconds, sent as Retry-After


class Throttled(LiandongError):  # 限流: 429 with Retry-After, for a token, a caller or a data consumer over its rate
    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


class ConfigError(LiandongError):
    """City data failed validation. The message names the file and, where known, the line."""

    def __init__(self, path: str, message: str, *, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}", details={"path": path, "line": line})
        self.path = path
        self.line = line
