"""The one SQLAlchemy metadata every capability's tables hang on.

Each capability keeps its own tables module (`orders/tables.py`, `exchange/tables.py`, …) that
imports `Base` from here; Alembic sees them all through `liandong.storage.migrations.all_tables`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from liandong.core.clock import CST

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Moment(TypeDecorator):
    """A timezone-aware timestamp that reads back aware on SQLite too (as Beijing time)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=CST)
        return value.astimezone(CST) if dialect.name != "sqlite" else value.astimezone(CST).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=CST)
        return value.astimezone(CST)
