"""Metrics (监控指标) in the Prometheus exposition format, with the maintained `prometheus_client`.

Counters, histograms and per-process gauges live here. With several worker processes on a host
(`liandong serve --workers N`), `PROMETHEUS_MULTIPROC_DIR` is set before the workers start and every
process writes its samples to files there; a scrape of any worker sums them all (`render`). Figures
that are facts of the database (orders by status and warning light, the outbox, job lag) are not
counted in processes at all: they are computed in SQL at scrape time by a collector the API adds
(`api/metrics_sql.py`), cached briefly, and are the same whichever worker answers.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

APPEALS = Counter("liandong_appeals_received_total", "诉求受理数（按渠道与分流服务）",
                  ["platform", "channel", "service"])
REFUSED = Counter("liandong_appeals_refused_total", "诉求被拒收数（按渠道与原因）", ["platform", "channel", "reason"])
ROUTING = Counter("liandong_routing_decisions_total", "分流结论数（按服务；review=true 为需人工复核）",
                  ["platform", "service", "review"])
INTAKE_SECONDS = Histogram("liandong_intake_seconds", "受理请求耗时（秒）：从收到请求到入库应答", ["platform"],
                           buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
QUEUE_DEPTH = Gauge("liandong_intake_queue_depth", "受理队列中待入库的诉求数", ["platform"],
                    multiprocess_mode="livesum")
RATE_LIMITED = Counter("liandong_rate_limited_total", "被限流的受理请求（limit=token|caller）",
                       ["platform", "limit", "channel"])
CALLER_FLAGGED = Counter("liandong_caller_flood_flagged_total", "超过来电频率限制但已受理并标记的诉求",
                         ["platform", "channel"])
OVERLOADED = Counter("liandong_overload_refusals_total", "过载拒绝（503 + Retry-After）", ["platform"])
HTTP = Counter("liandong_http_requests_total", "HTTP 请求数", ["platform", "method", "route", "status"])
POOL_CHECKED_OUT = Gauge("liandong_db_pool_checked_out", "数据库连接池中正在使用的连接", ["platform"],
                         multiprocess_mode="livesum")
POOL_SIZE = Gauge("liandong_db_pool_size", "数据库连接池容量（含溢出上限）", ["platform"], multiprocess_mode="livesum")


def service_label(services) -> str:
    return "+".join(sorted(str(s) for s in services or [])) or "none"


def render(*extra: CollectorRegistry) -> tuple[bytes, str]:
    """The exposition text of this host's processes (or this process), then of `extra` registries."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    return body + b"".join(generate_latest(r) for r in extra), CONTENT_TYPE_LATEST


def mark_process_dead(pid: int) -> None:
    """Drop a stopped worker's live gauges (gunicorn/uvicorn child exit)."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)
