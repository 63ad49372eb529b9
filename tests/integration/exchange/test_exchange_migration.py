"""Migration 0002 (storage/migrations/versions/0002_exchange.py) creates exactly the tables the
exchange models describe, and removes them again."""

from __future__ import annotations

import importlib.util

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import MetaData, inspect

from liandong.exchange.tables import TABLES
from liandong.storage.base import Base
from liandong.storage.db import make_engine
from liandong.storage.migrate import MIGRATIONS


def _load_migration(filename: str):
    """A revision file by path: its name starts with a digit, and versions/ is not a package."""
    spec = importlib.util.spec_from_file_location(f"liandong_migration_{filename[:4]}", MIGRATIONS / "versions" / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


migration_0002 = _load_migration("0002_exchange.py")
migration_0011 = _load_migration("0011_operations.py")  # adds exchange_outbox.request_id


def _ops(conn):
    ctx = MigrationContext.configure(conn, opts={
        "include_name": lambda name, type_, parent: type_ != "table" or name.startswith("exchange_")})
    return ctx, Operations(ctx)


def _exchange_only() -> MetaData:
    md = MetaData(naming_convention=Base.metadata.naming_convention)
    for t in TABLES:
        t.to_metadata(md)
    return md


def test_upgrade_matches_models_and_downgrade_removes_them(tmp_path, dialect, make_db):
    engine = make_engine(f"sqlite:///{tmp_path / 'mig.db'}") if dialect == "sqlite" else None
    if engine is None:  # a fresh PostgreSQL database, emptied of what make_db created
        factory = make_db("mig")
        engine = factory.kw["bind"]
        with engine.begin() as conn:
            _exchange_only().drop_all(conn)
    with engine.begin() as conn:
        ctx, _ = _ops(conn)
        with Operations.context(ctx):
            migration_0002.upgrade()
            migration_0011.upgrade()
        diff = compare_metadata(ctx, _exchange_only())
        assert diff == [], diff
        assert {"exchange_links", "exchange_outbox", "exchange_inbox"} <= set(inspect(conn).get_table_names())
        with Operations.context(ctx):
            migration_0011.downgrade()
            migration_0002.downgrade()
        assert not {"exchange_links", "exchange_outbox", "exchange_inbox"} & set(inspect(conn).get_table_names())
    engine.dispose()
