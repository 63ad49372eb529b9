"""Fixtures for the exchange integration tests live in `exchange_testkit` (a uniquely named module,
so that other conftest files cannot shadow it)."""

from exchange_testkit import _pg_pool, clock, dialect, make_db  # noqa: F401
