"""Passwords of people who sign in to the console: argon2id hashes, a strength rule, and the sign-in
check with back-off and lock.

Hashes are argon2id with OWASP's recommended minimum (m=19 MiB, t=2, p=1): about 0.1 s on the 2-core
reference machine, where argon2-cffi's default (RFC 9106 low-memory: m=64 MiB, t=3, p=4) took 0.5 s of
both cores per attempt — a sign-in flood would starve the desk. A hash made with other parameters is
re-hashed at the next good sign-in, so they can be raised later.

Lock: failures are counted per typed user name, whether or not that user exists, so neither the
message nor the lock tells an attacker which names are real (an unknown name also costs one argon2
verification, like a known one). `LockPolicy.max_failures` failures within `window` lock the name
for `lock_for`; each further lock before a good sign-in lasts twice as long (back-off), up to
`max_lock`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from liandong.auth.tables import LoginThrottleRow, UserRow
from liandong.core.errors import InvalidInput, NotFound

MIN_LENGTH = 8
MAX_LENGTH = 128  # longer input is refused before hashing
MAX_NAME = 64

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so that answer takes as long as a real one."""
    return hash_password("liandong-no-such-user")


def check_strength(password: str, *, username: str = "") -> None:
    """The minimum rule for a new password; InvalidInput (Chinese) names what is missing."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"新密码至少 {MIN_LENGTH} 个字符")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"新密码不超过 {MAX_LENGTH} 个字符")
    if password.strip() != password:
        raise InvalidInput("新密码首尾不能是空格")
    classes = sum((
        any(c.isascii() and c.isalpha() for c in password),
        any(c.isdigit() for c in password),
        any(not (c.isascii() and c.isalnum()) for c in password),
    ))
    if classes < 2:
        raise InvalidInput("新密码须至少包含字母、数字、符号（含汉字）中的两类")
    if len(set(password)) < 4:
        raise InvalidInput("新密码过于简单：至少含 4 个不同的字符")
    if username and username.strip().casefold() in password.casefold():
        raise InvalidInput("新密码不能包含用户名")


def set_password(session: Session, name: str, password: str, now: datetime) -> UserRow:
    """Give a user a (new) password, checked against the strength rule. The caller ends the user's
    console sessions (`sessions.end_sessions_of`) in the same transaction."""
    user = session.scalar(select(UserRow).where(UserRow.name == name))
    if user is None:
        raise NotFound(f"用户「{name}」不存在")
    check_strength(password, username=name)
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    return user


@dataclass(frozen=True)
class LockPolicy:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)
    max_lock: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class SignInOutcome:
    """The result of one attempt. On failure `user` is None and `message` says why (Chinese); the
    caller commits the transaction either way, so that the failure is counted."""

    user: UserRow | None
    message: str = ""
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


BAD_CREDENTIALS = "用户名或密码错误"


def throttle_key(name: str) -> str:
    return hashlib.sha256(name.strip().casefold().encode()).hexdigest()


def attempt_sign_in(session: Session, name: str, password: str, now: datetime,
                    policy: LockPolicy = LockPolicy()) -> SignInOutcome:
    name = name.strip()
    key = throttle_key(name)
    throttle = session.get(LoginThrottleRow, key)
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        return SignInOutcome(None, _locked_message(throttle.locked_until, now), throttle.locked_until)
    user = session.scalar(select(UserRow).where(UserRow.name == name)) if name else None
    usable = user is not None and user.active and user.password_hash
    if usable:
        ok = verify_password(user.password_hash, password)
    else:
        verify_password(_dummy_hash(), password)  # same cost as a real check; the answer is no regardless
        ok = False
    if ok:
        if throttle is not None:
            session.delete(throttle)
        if _HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return SignInOutcome(user)
    return _failed(session, key, throttle, now, policy, BAD_CREDENTIALS)


def _failed(session: Session, key: str, throttle: LoginThrottleRow | None, now: datetime, policy: LockPolicy,
            message: str) -> SignInOutcome:
    """Count one wrong password against `key`; lock it once the policy's count is reached."""
    if throttle is None:
        throttle = _new_throttle(session, key)
    if throttle.first_failed_at is None or now - throttle.first_failed_at > policy.window:
        throttle.failures, throttle.first_failed_at = 0, now
    throttle.failures += 1
    if throttle.failures >= policy.max_failures:
        throttle.locks += 1
        until = now + min(policy.lock_for * 2 ** (throttle.locks - 1), policy.max_lock)
        throttle.locked_until, throttle.failures, throttle.first_failed_at = until, 0, None
        return SignInOutcome(None, _locked_message(until, now), until)
    left = policy.max_failures - throttle.failures
    return SignInOutcome(None, f"{message}；再错 {left} 次将暂时锁定")


def _new_throttle(session: Session, key: str) -> LoginThrottleRow:
    """The throttle row of `key`, created if missing — by INSERT … ON CONFLICT DO NOTHING, so two first
    failures of one name at the same instant on PostgreSQL both count instead of one failing on the key."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(LoginThrottleRow).values(key=key, failures=0, locks=0).on_conflict_do_nothing())
    return session.get(LoginThrottleRow, key, populate_existing=True,
                       with_for_update=session.get_bind().dialect.name == "postgresql")


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return f"登录失败次数过多，该账户已暂时锁定，请 {minutes} 分钟后再试"


def change_password(session: Session, user: UserRow, old: str, new: str, now: datetime,
                    policy: LockPolicy = LockPolicy()) -> str | None:
    """A signed-in person changes their own password: the old one must match; the new one must pass
    the strength rule and differ from the old. A wrong old password counts against the same lock as a
    wrong sign-in (a borrowed session cannot guess it): returns that refusal for the caller to commit,
    None when the password was changed; a weak new password raises InvalidInput."""
    key = throttle_key(user.name)
    throttle = session.get(LoginThrottleRow, key)
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        return _locked_message(throttle.locked_until, now)
    if not user.password_hash or not verify_password(user.password_hash, old):
        return _failed(session, key, throttle, now, policy, "原密码不正确").message
    if new == old:
        raise InvalidInput("新密码不能与原密码相同")
    check_strength(new, username=user.name)
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    if throttle is not None:
        session.delete(throttle)
    return None
