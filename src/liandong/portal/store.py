"""Storage helpers of the portal: rate-limit counters (one atomic upsert each) and one-time code rows."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from liandong.core.errors import InvalidInput
from liandong.portal import limits
from liandong.portal.rules import Limit
from liandong.portal.tables import CounterRow, OtpRow


def count(session: Session, kind: str, value: str, limit: Limit, now: datetime) -> int:
    """Count one more in the window and return the count *before* it (INSERT … ON CONFLICT, atomic)."""
    key = limits.counter_key(kind, value, limit, now)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(CounterRow).values(key=key, count=1, expires_at=now + timedelta(seconds=limit.seconds))
    stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"count": CounterRow.count + 1})
    return session.execute(stmt.returning(CounterRow.count)).scalar_one() - 1


def peek(session: Session, kind: str, value: str, limit: Limit, now: datetime) -> int:
    key = limits.counter_key(kind, value, limit, now)
    return session.scalar(select(CounterRow.count).where(CounterRow.key == key)) or 0


def limit(session: Session, kind: str, value: str, rule: Limit, now: datetime) -> None:
    """Count it, and refuse (in Chinese) when the window is full."""
    if not limits.allowed(count(session, kind, value, rule, now), rule):
        raise InvalidInput(limits.refusal(kind, rule), details={"rate_limited": True})


def forget_expired(session: Session, now: datetime) -> None:
    session.execute(delete(CounterRow).where(CounterRow.expires_at < now))
    session.execute(delete(OtpRow).where(OtpRow.expires_at < now - timedelta(days=1)))


def latest_code(session: Session, phone_key: str) -> OtpRow | None:
    return session.scalar(select(OtpRow).where(OtpRow.phone_key == phone_key)
                          .order_by(OtpRow.created_at.desc(), OtpRow.id.desc()).limit(1))
