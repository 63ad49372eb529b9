"""Figures computed in the database at scrape time (SQL aggregates), cached briefly per process, so
every worker answers the same and none counts rows in Python.

    liandong_orders{platform,status,warning}            orders by status and warning light (黄灯/红灯)
    liandong_outbox_messages{peer,state}                 the exchange outbox per peer: pending / sending / rejected
    liandong_outbox_oldest_pending_age_seconds{peer}     age of the oldest message not yet delivered
    liandong_outbox_failed_attempts{peer}                failed attempts of the messages not yet delivered
    liandong_job_lag_seconds{job}                        how late the job's last start is beyond its interval
    liandong_job_runs_total{job} / liandong_job_failures_total{job}
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, select

from liandong.exchange.tables import OutboxMessage, OutboxState
from liandong.ops.tables import JobLease
from liandong.orders.tables import OrderRow

UNDELIVERED = (OutboxState.PENDING, OutboxState.SENDING)


class DatabaseCollector:
    def __init__(self, read, clock, *, cache_s: float = 10.0) -> None:
        self.read, self.clock, self.cache_s = read, clock, cache_s
        self._at = -1e9
        self._families: list = []
        self._lock = threading.Lock()

    def registry(self) -> CollectorRegistry:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(self)
        return registry

    def collect(self):
        with self._lock:
            if time.monotonic() - self._at >= self.cache_s:
                self._families = self._compute(self.clock.now())
                self._at = time.monotonic()
            return list(self._families)

    def _compute(self, now: datetime) -> list:
        orders = GaugeMetricFamily("liandong_orders", "工单/警单数（按状态与预警灯）", labels=["platform", "status", "warning"])
        outbox = GaugeMetricFamily("liandong_outbox_messages", "发件箱报文数（按对端与状态）", labels=["peer", "state"])
        age = GaugeMetricFamily("liandong_outbox_oldest_pending_age_seconds", "最早未送达报文的等待时长（秒）",
                                labels=["peer"])
        failures = GaugeMetricFamily("liandong_outbox_failed_attempts", "未送达报文的失败发送次数合计", labels=["peer"])
        lag = GaugeMetricFamily("liandong_job_lag_seconds", "后台任务超出周期未运行的时长（秒）", labels=["job"])
        runs = CounterMetricFamily("liandong_job_runs", "后台任务运行次数", labels=["job"])
        failed = CounterMetricFamily("liandong_job_failures", "后台任务失败次数", labels=["job"])
        with self.read() as session:
            for platform, status, warning, n in session.execute(
                    select(OrderRow.platform, OrderRow.status, OrderRow.warning, func.count())
                    .group_by(OrderRow.platform, OrderRow.status, OrderRow.warning)):
                orders.add_metric([platform, status, warning or "none"], n)
            for peer, state, n in session.execute(
                    select(OutboxMessage.peer, OutboxMessage.state, func.count())
                    .where(OutboxMessage.state != OutboxState.SENT)
                    .group_by(OutboxMessage.peer, OutboxMessage.state)):
                outbox.add_metric([peer, state], n)
            for peer, oldest, attempts in session.execute(
                    select(OutboxMessage.peer, func.min(OutboxMessage.created_at), func.sum(OutboxMessage.failed_attempts))
                    .where(OutboxMessage.state.in_(UNDELIVERED)).group_by(OutboxMessage.peer)):
                age.add_metric([peer], max(0.0, (now - _aware(oldest, now)).total_seconds()))
                failures.add_metric([peer], int(attempts or 0))
            for lease in session.scalars(select(JobLease)):
                started = _aware(lease.last_started_at, now) if lease.last_started_at else None
                late = 0.0 if started is None else (now - started).total_seconds() - lease.interval_s
                lag.add_metric([lease.name], max(0.0, late))
                runs.add_metric([lease.name], lease.runs)
                failed.add_metric([lease.name], lease.failures)
        return [orders, outbox, age, failures, lag, runs, failed]


def _aware(at: datetime, now: datetime) -> datetime:
    return at if at.tzinfo is not None or now.tzinfo is None else at.replace(tzinfo=now.tzinfo)
