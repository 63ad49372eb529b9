"""0010_push: the head schema has exactly the push tables the models describe, and the migration goes
down and up again (SQLite, and PostgreSQL with LIANDONG_TEST_DB=postgres)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect

from liandong.push.tables import TABLES
from liandong.storage.base import Base
from liandong.storage.migrate import downgrade, upgrade

PUSH = {t.name for t in TABLES}


def _diff(url):
    md = MetaData(naming_convention=Base.metadata.naming_convention)
    for t in TABLES:
        t.to_metadata(md)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "include_name": lambda name, type_, parent: type_ != "table" or name in PUSH})
            return compare_metadata(ctx, md), set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_head_matches_the_models_and_0010_goes_down_and_up(db_url):
    diff, tables = _diff(db_url)
    assert diff == [] and PUSH <= tables, diff
    downgrade(db_url, "0009")
    assert not PUSH & _diff(db_url)[1]
    upgrade(db_url)
    assert _diff(db_url)[0] == []
