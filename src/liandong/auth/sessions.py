"""Server-side console sessions: a random id in an HttpOnly cookie, only its SHA-256 digest stored.

A session ends when the person signs out, when their password changes, after `idle` without a
request (Settings.console_idle_minutes, default 30) or at the latest `MAX_AGE` after sign-in. Each
session carries its own CSRF token, which every form and every htmx request must send back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from liandong.auth.tables import ConsoleSessionRow, UserRow
from liandong.core.actors import Actor
from liandong.core.actors import Role

MAX_AGE = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most this often (one write a minute, not a request)


def session_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    """The person behind a console session."""

    session_id: int
    user_id: int
    actor: Actor
    platform: str
    csrf_token: str
    last_seen_at: datetime

    @property
    def name(self) -> str:
        return self.actor.name


def start_session(session: Session, user: UserRow, now: datetime) -> str:
    """A new session for `user`; returns the cookie value (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    session.add(ConsoleSessionRow(user_id=user.id, digest=session_digest(token), csrf_token=secrets.token_urlsafe(32),
                                  created_at=now, last_seen_at=now))
    return token


def resolve(session: Session, token: str | None, now: datetime, idle: timedelta) -> SignedIn | None:
    """The signed-in person, or None when the cookie is missing, unknown, ended, idle too long, past
    MAX_AGE, or its user is deactivated or has no password any more."""
    if not token or len(token) > 128:
        return None
    row = session.execute(
        select(ConsoleSessionRow, UserRow).join(UserRow, UserRow.id == ConsoleSessionRow.user_id)
        .where(ConsoleSessionRow.digest == session_digest(token))
    ).first()
    if row is None:
        return None
    sess, user = row
    if sess.ended_at is not None or not user.active or not user.password_hash:
        return None
    if now - sess.last_seen_at > idle or now - sess.created_at > MAX_AGE:
        return None
    actor = Actor(name=user.name, role=Role(user.role), unit=user.unit, region=user.region)
    return SignedIn(session_id=sess.id, user_id=user.id, actor=actor, platform=user.platform,
                    csrf_token=sess.csrf_token, last_seen_at=sess.last_seen_at)


def needs_touch(signed_in: SignedIn, now: datetime) -> bool:
    return now - signed_in.last_seen_at >= TOUCH_EVERY


def touch(session: Session, session_id: int, now: datetime) -> None:
    session.execute(update(ConsoleSessionRow).where(ConsoleSessionRow.id == session_id,
                                                    ConsoleSessionRow.ended_at.is_(None)).values(last_seen_at=now))


def end_session(session: Session, session_id: int, now: datetime) -> None:
    session.execute(update(ConsoleSessionRow).where(ConsoleSessionRow.id == session_id,
                                                    ConsoleSessionRow.ended_at.is_(None)).values(ended_at=now))


def end_sessions_of(session: Session, user_id: int, now: datetime, *, keep: int | None = None) -> int:
    """End every open session of a user (a password change), except `keep` (the one that changed it)."""
    cond = [ConsoleSessionRow.user_id == user_id, ConsoleSessionRow.ended_at.is_(None)]
    if keep is not None:
        cond.append(ConsoleSessionRow.id != keep)
    return session.execute(update(ConsoleSessionRow).where(*cond).values(ended_at=now)).rowcount or 0


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), given.encode())
