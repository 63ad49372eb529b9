"""Test kit for the exchange integration tests. Two platforms' databases (SQLite files, or throwaway PostgreSQL databases when
LIANDONG_TEST_PG_URL is set) and an in-process loopback transport between them that runs the real
receiver code — no sockets, no mocks of our own parts."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "e2e"))

from exchange_peer_app import PeerHandlers, create_tables  # noqa: E402

from liandong.core.clock import FrozenClock  # noqa: E402
from liandong.core.ids import new_id  # noqa: E402
from liandong.exchange.http import handle  # noqa: E402
from liandong.exchange.peers import Peer, PeersConfig  # noqa: E402
from liandong.exchange.receiver import ReceiverSettings  # noqa: E402
from liandong.exchange.signing import Key  # noqa: E402
from liandong.storage.db import make_engine, make_session_factory, transaction  # noqa: E402

PG_URL = os.environ.get("LIANDONG_TEST_PG_URL")
SECRET = b"test-secret-12345-110-0123456789"
KEY = Key("k1", SECRET)


def peers_of(local: str, other: str) -> PeersConfig:
    return PeersConfig(local_platform=local, peers={other: Peer(other, f"http://{other}.test", (KEY,))})


@pytest.fixture
def clock():
    return FrozenClock(datetime(2026, 9, 30, 16, 0))


def _pg_database():
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"lt_exchange_{new_id()[:12]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    return admin, name, make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _drop_pg(admin, name):
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def dialect(request):
    if request.param == "postgres" and not PG_URL:
        pytest.skip("LIANDONG_TEST_PG_URL is not set (PostgreSQL tests need a server)")
    return request.param


@pytest.fixture(scope="module")
def _pg_pool():
    """PostgreSQL: one throwaway database per label per test module, emptied between tests."""
    pool: dict[str, tuple] = {}
    yield pool
    for admin, name, engine in pool.values():
        engine.dispose()
        _drop_pg(admin, name)


@pytest.fixture
def make_db(dialect, tmp_path, _pg_pool):
    """Factory: a fresh database with the exchange and test-order tables; returns a session factory."""
    created = []

    def _make(label: str):
        if dialect == "sqlite":
            engine = make_engine(f"sqlite:///{tmp_path / (label + '.db')}")
            created.append(engine)
        elif label in _pg_pool:
            engine = _pg_pool[label][2]
        else:
            admin, name, url = _pg_database()
            engine = make_engine(url, pool_size=5)
            _pg_pool[label] = (admin, name, engine)
        create_tables(engine)
        if dialect == "postgres":
            with engine.begin() as conn:
                conn.execute(text("TRUNCATE exchange_links, exchange_outbox, exchange_inbox, peer_orders"))
        return make_session_factory(engine)

    yield _make
    for engine in created:
        engine.dispose()


class LoopbackTransport(httpx.BaseTransport):
    """Delivers each request to a receiver's real `handle()`; faults are switched on per test."""

    def __init__(self, factory, local: str, sender: str, clock, *, handlers=None) -> None:
        self.factory = factory
        self.settings = ReceiverSettings(local_platform=local, keyring=peers_of(local, sender).keyring(), clock=clock)
        self.handlers = handlers or PeerHandlers(local, clock, auto_reply=False)
        self.lock = __import__("threading").Lock()
        self.down = False  # connection refused
        self.server_error = False  # 503 without applying
        self.lose_ack = False  # apply, then drop the connection before the answer
        self.delivered: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if self.server_error:
            return httpx.Response(503, json={"ok": False, "code": "busy", "retryable": True})
        body = request.read()
        self.delivered.append(body)
        resp = handle(body, dict(request.headers), lambda: transaction(self.factory), lambda s: self.handlers,
                      self.settings, self.lock)
        if self.lose_ack:
            raise httpx.ReadError("connection reset", request=request)
        return httpx.Response(resp.status_code, content=resp.body, headers=dict(resp.headers))
