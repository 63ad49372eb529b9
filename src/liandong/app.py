"""Composition root: builds storage, clock, city, router and calendar for the API, CLI and workers."""

from __future__ import annotations

import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from liandong.config import Settings
from liandong.core.clock import Clock, SystemClock
from liandong.core.errors import Conflict
from liandong.regions.registry import CityRegistry, load_city
from liandong.storage.db import make_engine, make_session_factory, make_writer_engine


class Router(Protocol):  # 分流引擎
    def route(self, text: str, channel: str = "12345", region: str | None = None): ...


@dataclass
class Liandong:
    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    router_override: Router | None = None

    @cached_property
    def engine(self) -> Engine:
        return make_writer_engine(self.settings.database_url)

    @cached_property
    def read_engine(self) -> Engine:
        return self.engine if not self.settings.is_sqlite else make_engine(self.settings.database_url)

    @cached_property
    def _writer(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @cached_property
    def _reader(self) -> sessionmaker[Session]:
        return make_session_factory(self.read_engine)

    @cached_property
    def time_policy(self):  # 时限政策
        from liandong.supervision.limits import load_city_time_limits

        return load_city_time_limits(self.settings.city)

    @cached_property
    def calendar(self):  # 工作日历
        return self.time_policy.working_calendar()

    @cached_property
    def related(self):  # 重复来电 / 群诉 研判
        from liandong.supervision.related_service import RelatedFinder

        return RelatedFinder()

    def warm_up(self) -> None:
        """Load what the first appeals would otherwise wait for: the city, the routing model with its
        word lists, and the repeat/mass-complaint index of recent appeals."""
        self.city  # noqa: B018
        self.router.route("小区门口路灯不亮了", "12345")
        with self.read() as session:
            self.related.sync(session, self.clock.now())

    @cached_property
    def intake(self):
        """The intake queue (成批受理) the API submits appeals through: one writer thread, group commit."""
        from liandong.intake.queue import IntakeQueue

        return IntakeQueue(self)

    def on_deadlines(self, order, now) -> None:
        from liandong.supervision.service import refresh_deadlines

        refresh_deadlines(self, order)

    def on_reassigned(self, session, order) -> None:
        from liandong.supervision.service import flag_bounce

        flag_bounce(session, self, order)

    @cached_property
    def token_cache(self):
        from liandong.auth.service import TokenCache

        return TokenCache()

    @cached_property
    def city(self) -> CityRegistry:
        return load_city(self.settings.city)

    @cached_property
    def router(self) -> Router:
        if self.router_override is not None:
            return self.router_override
        from liandong.routing import load_router

        return load_router(self.settings.city)

    @cached_property
    def exchange(self):
        """This desk's exchange with its peers (平台互通), or None without a peers file (`desk.DeskExchange`)."""
        if self.settings.peers_file is None:
            return None
        from liandong.desk import DeskExchange

        return DeskExchange.build(self)

    @cached_property
    def local_platforms(self) -> frozenset[str]:
        """Platforms whose orders this process holds: its own, and 12345/110 unless a peer desk serves them."""
        peers = self.exchange.peers.peers if self.exchange is not None else {}
        return frozenset({self.settings.platform} | {p for p in ("12345", "110") if p not in peers})

    @cached_property
    def _write_lock(self):
        """SQLite has one writer at a time: queue this process's writers here rather than in SQLite's
        busy handler, which sleeps in growing steps and turns contention into long tail latency."""
        return threading.Lock() if self.settings.is_sqlite else nullcontext()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: commits on success, rolls back on any error."""
        with self._write_lock:
            with self._write_session() as session:
                yield session

    def queued_sessions(self) -> "QueuedSessions":
        """A session factory for code that opens its own write transactions (the exchange relay): on
        SQLite its sessions wait in the same writer queue as `write()`."""
        return QueuedSessions(self._writer, self._write_lock)

    @contextmanager
    def _write_session(self) -> Iterator[Session]:
        session = self._writer()
        try:
            with session.begin():
                yield session
        except StaleDataError:
            raise Conflict("数据已被他人更新，请刷新后重试") from None
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._reader()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def close(self) -> None:
        if self.__dict__.get("intake") is not None:
            self.intake.stop()
        if self.__dict__.get("exchange") is not None:
            self.exchange.stop()
        for name in ("engine", "read_engine"):
            if name in self.__dict__:
                self.__dict__[name].dispose()


class QueuedSessions:
    """`with factory() as session, session.begin(): …` — holding the process's writer queue meanwhile."""

    def __init__(self, factory: sessionmaker[Session], lock) -> None:
        self._factory = factory
        self._lock = lock

    @contextmanager
    def __call__(self) -> Iterator[Session]:
        with self._lock:
            session = self._factory()
            try:
                yield session
            finally:
                session.close()
