"""0004_console_auth: the head schema has exactly the console tables the models describe, and the
migration goes down and up again (SQLite, and PostgreSQL with LIANDONG_TEST_DB=postgres)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect

from liandong.auth.tables import ConsoleSessionRow, LoginThrottleRow, UserRow
from liandong.storage.base import Base
from liandong.storage.migrate import downgrade, upgrade

CONSOLE_TABLES = {"console_sessions", "login_throttle", "users"}


def _console_only() -> MetaData:
    md = MetaData(naming_convention=Base.metadata.naming_convention)
    for t in (UserRow.__table__, ConsoleSessionRow.__table__, LoginThrottleRow.__table__):
        t.to_metadata(md)
    return md


def _diff(url):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "include_name": lambda name, type_, parent: type_ != "table" or name in CONSOLE_TABLES})
            return compare_metadata(ctx, _console_only()), set(inspect(conn).get_table_names()), \
                {c["name"] for c in inspect(conn).get_columns("users")}
    finally:
        engine.dispose()


def test_head_matches_the_models_and_0004_goes_down_and_up(db_url):
    diff, tables, user_cols = _diff(db_url)
    assert diff == [], diff
    assert {"console_sessions", "login_throttle"} <= tables and {"password_hash", "password_changed_at"} <= user_cols
    downgrade(db_url, "0003")
    _, tables, user_cols = _diff(db_url)
    assert not {"console_sessions", "login_throttle"} & tables and "password_hash" not in user_cols
    upgrade(db_url)
    assert _diff(db_url)[0] == []
