"""Users, their bearer tokens (machines) and console sign-in (people).

Tokens and console session ids are stored only as SHA-256 digests, passwords only as argon2id hashes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from liandong.storage.base import Base, Moment


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    platform: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str | None] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Moment())
    password_hash: Mapped[str | None] = mapped_column(String(255))  # argon2id; None: no console sign-in
    password_changed_at: Mapped[datetime | None] = mapped_column(Moment())


class TokenRow(Base):
    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Moment())
    revoked_at: Mapped[datetime | None] = mapped_column(Moment())


class ConsoleSessionRow(Base):
    """A signed-in browser. The cookie holds a random id; only its digest is stored here."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Moment())
    last_seen_at: Mapped[datetime] = mapped_column(Moment())
    ended_at: Mapped[datetime | None] = mapped_column(Moment())


class LoginThrottleRow(Base):
    """Failed sign-ins per user name — any name typed, known or not, so a lock tells nothing about
    which names exist. `locks` counts the locks since the last good sign-in (each lasts longer)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the normalised name
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failed_at: Mapped[datetime | None] = mapped_column(Moment())
    locked_until: Mapped[datetime | None] = mapped_column(Moment())
    locks: Mapped[int] = mapped_column(Integer, default=0)
