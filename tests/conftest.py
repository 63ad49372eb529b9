"""Test databases: a fresh one per test, on SQLite by default or PostgreSQL with LIANDONG_TEST_DB=postgres.

Migrations run once per worker into a template (a file for SQLite, a template database for
PostgreSQL); each test gets a copy, so tests are isolated without re-running Alembic.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import datetime

import pytest
from sqlalchemy import create_engine, text

from liandong.core.clock import CST, FrozenClock
from liandong.storage.migrate import upgrade

USE_PG = os.environ.get("LIANDONG_TEST_DB") == "postgres"
PG_URL = os.environ.get("LIANDONG_TEST_PG_URL", "postgresql+psycopg://liandong:liandong@127.0.0.1:55432/liandong")


def _worker(request) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture(scope="session")
def template_db(request, tmp_path_factory):
    worker = _worker(request)
    if not USE_PG:
        path = tmp_path_factory.mktemp("tmpl") / "template.db"
        upgrade(f"sqlite:///{path}")
        yield path
        return
    name = f"ld_tmpl_{worker}_{uuid.uuid4().hex[:8]}"  # per session: several checkouts share one test server
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    upgrade(PG_URL.rsplit("/", 1)[0] + f"/{name}")
    yield name
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def db_url(template_db, tmp_path):
    """A migrated, empty database of its own for this test."""
    if not USE_PG:
        path = tmp_path / "liandong.db"
        shutil.copy(template_db, path)
        yield f"sqlite:///{path}"
        return
    name = f"ld_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"'))
    yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def clock():
    return FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=CST))

