"""Composition root: builds storage, clock, city, router and the capabilities, and wires their events.

    orders ──OrderOpened / OrderChanged──▶ supervision.on_order_event   (deadlines, bounce marks)
                                      ├──▶ linkage.on_order_event       (shadow orders, messages to peers)
                                      ├──▶ knowledge.on_order_event     (回访 → an entry's satisfaction counts)
                                      ├──▶ Share.on_order_event         (the change feed 变更流, same transaction)
                                      ├──▶ push.on_order_event          (webhook outbox: emergencies, 办结, 催办/督办)
                                      ├──▶ quality.on_order_event       (every reply inspected: 质检)
                                      └──▶ ops.logs.log_order_event     (a JSON log line per change, request id)
    write sessions ──before_flush──▶ supervision.before_flush            (deadlines written once per flush)

Each capability receives the collaborators it uses; only the shells (API, CLI, workers) hold this object.
"""

from __future__ import annotations

import os
import hashlib
import hmac
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, Protocol

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from liandong.analytics.history_service import HistoryImport
from liandong.analytics.kpis import load_kpis
from liandong.analytics.reports.jobs import ReportJobs
from liandong.analytics.service import Analytics
from liandong.analytics.warnings import Warnings
from liandong.auth.service import TokenCache
from liandong.config import Settings
from liandong.core.clock import Clock, SystemClock
from liandong.core.errors import Conflict
from liandong.core.types import Platform
from liandong.intake.queue import IntakeQueue
from liandong.intake.service import Intake
from liandong.knowledge.service import Knowledge
from liandong.knowledge.surge_service import Surge
from liandong.linkage.desk import WATCH_EVERY_S, DeskExchange
from liandong.linkage.incoming import IncomingHandlers
from liandong.linkage.rules import load_linkage
from liandong.linkage.service import Linkage
from liandong.linkage.watch import watch_once
from liandong.open311.consumers import SharedClients
from liandong.open311.keys import ClientKeys
from liandong.open311.service import Open311
from liandong.ops.jobs import Job
from liandong.ops.logs import log_order_event
from liandong.ops.ratelimit import IntakeLimiter, Limits
from liandong.orders.service import Orders
from liandong.quality.rules import load_city_quality
from liandong.quality.service import Quality
from liandong.push.relay import PushRelay, PushSettings
from liandong.push.service import Push
from liandong.portal.adapters import FileSms, PhotoStore
from liandong.portal.cases import Cases
from liandong.portal.public import PublicCases
from liandong.portal.rules import load_portal_rules
from liandong.portal.service import Portal
from liandong.regions.places import Gazetteer, load_gazetteer
from liandong.regions.registry import CITIES_DIR, CityRegistry, load_city
from liandong.routing.lists import load_city_routing
from liandong.share.service import Share
from liandong.storage.db import make_engine, make_session_factory, make_writer_engine
from liandong.supervision.limits import load_city_time_limits
from liandong.supervision.related_service import RelatedFinder
from liandong.supervision.service import Supervision


class Router(Protocol):  # 分流引擎
    def route(self, text: str, channel: str = "12345", region: str | None = None): ...

    def route_many(self, items: list[dict]): ...


@dataclass(frozen=True)
class Core:
    """The order core and the capabilities that listen to it, wired once per process."""

    orders: Orders
    supervision: Supervision
    linkage: Linkage
    quality: Quality


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
        factory = make_session_factory(self.engine)
        event.listen(factory, "before_flush", self.supervision.before_flush)
        return factory

    @cached_property
    def _reader(self) -> sessionmaker[Session]:
        return make_session_factory(self.read_engine)

    @cached_property
    def time_policy(self):  # 时限政策
        return load_city_time_limits(self.settings.city)

    @cached_property
    def calendar(self):  # 工作日历
        return self.time_policy.working_calendar()

    @cached_property
    def city(self) -> CityRegistry:
        return load_city(self.settings.city)

    @cached_property
    def categories(self) -> dict:
        """The city's reference-list items by code (分流转办事项清单), for 改分类 and its picker."""
        return {item.code: item for item in load_city_routing(self.settings.city).items}

    @cached_property
    def router(self) -> Router:
        if self.router_override is not None:
            return self.router_override
        # imported here, not at the top: the model stack (scikit-learn, jieba) costs a second or more to import,
        # which commands that never route (user, token, db, sla) should not pay
        from liandong.routing.router import load_router

        return load_router(self.settings.city)

    @cached_property
    def places(self) -> Gazetteer:  # 地名库
        path = CITIES_DIR / self.settings.city / "places.yaml"
        return load_gazetteer(path, self.city) if path.exists() else Gazetteer([])

    @cached_property
    def related(self) -> RelatedFinder:  # 重复来电 / 群诉 研判
        return RelatedFinder()

    @cached_property
    def share(self) -> Share:  # 数据共享
        return Share(self.city, ("feed-cursor:" + self.settings.audit_key).encode(), read=self.read, write=self.write,
                     clock=self.clock, orders=self.orders)

    @cached_property
    def token_cache(self) -> TokenCache:
        return TokenCache()

    # -- the capabilities, wired ---------------------------------------------------------------
    @cached_property
    def _core(self) -> "Core":
        orders = Orders(self.city, categories=self.categories)
        supervision = Supervision(self.time_policy, self.calendar, orders)
        rules = self.exchange.rules if self.exchange is not None \
            else load_linkage(CITIES_DIR / self.settings.city / "linkage.yaml")
        linkage = Linkage(orders, self.city, self.local_platforms, rules, self.exchange)
        quality = Quality(load_city_quality(self.settings.city), self.calendar, orders)
        orders.subscribe(supervision.on_order_event)
        orders.subscribe(linkage.on_order_event)
        orders.subscribe(self.knowledge.on_order_event)  # 回访 → the entry's satisfaction counts
        orders.subscribe(Share.on_order_event)  # the change feed (变更流), in the change's transaction
        orders.subscribe(self.push.on_order_event)
        orders.subscribe(quality.on_order_event)
        orders.subscribe(log_order_event)
        return Core(orders, supervision, linkage, quality)

    @property
    def orders(self) -> Orders:  # 工单/警单
        return self._core.orders

    @property
    def supervision(self) -> Supervision:  # 督办
        return self._core.supervision

    @property
    def linkage(self) -> Linkage:  # 联动
        return self._core.linkage

    @property
    def quality(self) -> Quality:  # 质检
        return self._core.quality

    @cached_property
    def intake(self) -> Intake:  # 受理
        return Intake(self.city, self.router, self.orders, self.linkage, self.related, self.settings.phone_salt,
                      self.places, self.knowledge, self.surge)

    @cached_property
    def knowledge(self) -> Knowledge:  # 知识库
        return Knowledge(self.city, self.read, self.clock)

    @cached_property
    def surge(self) -> Surge:  # 话务激增
        return Surge(self.calendar, self.knowledge.search)

    @cached_property
    def analytics(self) -> Analytics:  # 统计分析
        return Analytics(self.city, load_kpis(CITIES_DIR / self.settings.city / "kpis.yaml"))

    @cached_property
    def report_jobs(self) -> ReportJobs:  # 报告生成任务
        return ReportJobs(self.write, self.read, self.clock.now)

    @cached_property
    def warnings(self) -> Warnings:  # 趋势预警
        return Warnings(self.city, self.calendar.is_working_day)

    @cached_property
    def history_import(self) -> HistoryImport:  # 历史诉求导入
        return HistoryImport(self.router, self.places)

    @cached_property
    def intake_queue(self) -> IntakeQueue:
        """The intake queue (成批受理) the API submits appeals through: one writer thread, group commit."""
        return IntakeQueue(self.intake, self.write)

    @cached_property
    def push(self) -> Push:  # 事件推送（一网统管）
        return Push(self.settings.platform)

    def push_relay(self, settings: PushSettings | None = None, **kw) -> PushRelay:
        """A webhook relay over this database; its sessions wait in the writer queue on SQLite."""
        return PushRelay(self.queued_sessions(), clock=self.clock, settings=settings, **kw)

    @cached_property
    def open311(self) -> Open311:  # Open311 GeoReport v2
        return Open311(self.city, load_city_routing(self.settings.city).items)

    @cached_property
    def open311_keys(self) -> ClientKeys:  # Open311 接入方（数据共享的接入方登记）
        return SharedClients(self.share, self.read)

    @cached_property
    def portal(self) -> Portal:  # 市民端
        rules = load_portal_rules(CITIES_DIR / self.settings.city / "portal.yaml")
        secret = hmac.new(self.settings.audit_key.encode(), b"portal", hashlib.sha256).hexdigest()
        return Portal(rules, self.city, self.places, self.intake, self.intake_queue, self.time_policy, self.calendar,
                      FileSms(self.settings.portal_dir / "sms.log"), PhotoStore(self.settings.portal_dir / "photos"),
                      secret, self.settings.phone_salt, self.write, self.read, knowledge=self.knowledge)

    @cached_property
    def portal_cases(self) -> Cases:  # 市民查询、补充、撤诉、评价
        return Cases(self.portal.rules, self.city, self.orders, self.portal.phone_key, self.write, self.read)

    @cached_property
    def public_cases(self) -> PublicCases:  # 办理情况公开
        return PublicCases(self.city, self.places, self.portal.photos, self.write, self.read)

    @cached_property
    def exchange(self) -> DeskExchange | None:
        """This desk's exchange with its peers (平台互通), or None without a peers file."""
        if self.settings.peers_file is None:
            return None
        return DeskExchange.build(self.settings, clock=self.clock, write=self.write,
                                  queued_sessions=self.queued_sessions)

    def exchange_router(self):
        """POST /api/v1/exchange/messages for the peers (signed with HMAC; no bearer token)."""
        handlers = IncomingHandlers(self.linkage, router=self.router, clock=self.clock)
        return self.exchange.http_router(handlers)

    def start_exchange(self, *, watch: bool = True) -> None:
        """The relay, and unless the watch runs as a leased job (`jobs`), the watch loop in this process."""
        linkage = self.linkage
        self.exchange.start((lambda session, now: watch_once(session, linkage, now)) if watch else None)

    @cached_property
    def jobs(self) -> dict[str, Job]:
        """Every periodic background job by name (后台任务), run under a lease by `ops.jobs.JobRunner`;
        a later capability adds its `Job` here. The exchange relay is not one: it runs in every process
        that sends (rows are claimed one by one, SKIP LOCKED), so it is started with the exchange."""
        interval = float(os.environ.get("LIANDONG_SUPERVISION_INTERVAL", "60"))
        jobs = [Job("supervision", interval, lambda now: self.supervision.run_checks(self.write, now))]
        if self.exchange is not None:
            linkage = self.linkage
            jobs.append(Job("exchange-watch", WATCH_EVERY_S, lambda now: self.exchange.watch_step(
                lambda session, at: watch_once(session, linkage, at), now)))
        return {job.name: job for job in jobs}

    @cached_property
    def intake_limiter(self) -> IntakeLimiter:  # 受理限流
        return IntakeLimiter(Limits(per_token_per_min=self.settings.rate_token_per_min,
                                    per_caller_per_hour=self.settings.rate_caller_per_hour))

    @cached_property
    def local_platforms(self) -> frozenset[str]:
        """Platforms whose orders this process holds: its own, and 12345/110 unless a peer desk serves them."""
        peers = self.exchange.peers.peers if self.exchange is not None else {}
        return frozenset({self.settings.platform} | {p for p in (Platform.GOV, Platform.POLICE) if p not in peers})

    def warm_up(self) -> None:
        """Load what the first appeals would otherwise wait for: the city, the routing model with its
        word lists, the sample of recent appeals that weighs repeat/mass-complaint matches, and the knowledge index (built on
        the first search otherwise, which over a city's 20,000 entries holds that request tens of seconds)."""
        self.city  # noqa: B018
        self.router.route("小区门口路灯不亮了", "12345")
        self.knowledge.index()
        with self.read() as session:
            self.related.warm_up(session)

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
        if self.__dict__.get("intake_queue") is not None:
            self.intake_queue.stop()
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
