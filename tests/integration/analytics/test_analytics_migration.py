"""0007_analytics, 0014_calls and 0015_report_jobs: the head schema has the columns and indexes the models describe; down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from liandong.orders.tables import OrderRow
from liandong.storage.base import Base
from liandong.storage.migrate import downgrade, upgrade

TABLES = {"orders", "analytics_history", "analytics_warnings", "analytics_daily", "analytics_rolled_days",
          "analytics_calls", "analytics_report_jobs"}
NEW_COLUMNS = {"solved", "satisfaction", "contacted_at"}


def _table_of(obj, name: str, type_: str) -> str:
    return name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")


def _diff(url: str):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "include_object": lambda obj, name, type_, reflected, other: _table_of(obj, name, type_) in TABLES,
                "compare_type": False})
            return compare_metadata(ctx, Base.metadata), {c["name"] for c in inspect(conn).get_columns("orders")}
    finally:
        engine.dispose()


def _tables(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return inspect(conn).get_table_names()
    finally:
        engine.dispose()


def test_head_matches_the_order_model_and_0007_goes_down_and_up(db_url):
    assert OrderRow.__table__.c.solved is not None
    diff, cols = _diff(db_url)
    assert diff == [], diff
    assert NEW_COLUMNS <= cols
    downgrade(db_url, "0005")
    assert not NEW_COLUMNS & _diff(db_url)[1]
    assert not (TABLES - {"orders"}) & set(_tables(db_url))
    upgrade(db_url)
    assert _diff(db_url)[0] == []


def test_0014_adds_the_call_table_and_goes_down_and_up(db_url):
    assert "analytics_calls" in _tables(db_url)
    downgrade(db_url, "0013")
    assert "analytics_calls" not in _tables(db_url) and "analytics_history" in _tables(db_url)
    upgrade(db_url)
    assert "analytics_calls" in _tables(db_url) and _diff(db_url)[0] == []


def test_0015_adds_the_report_job_table_and_goes_down_and_up(db_url):
    assert "analytics_report_jobs" in _tables(db_url)
    downgrade(db_url, "0014")
    assert "analytics_report_jobs" not in _tables(db_url) and "analytics_calls" in _tables(db_url)
    upgrade(db_url)
    assert "analytics_report_jobs" in _tables(db_url) and _diff(db_url)[0] == []
