"""Readiness (就绪检查) for the load balancer: each check answers (ok, detail) and never raises.

`/healthz` says the process is alive; `/readyz` says it should be sent traffic: the database answers,
its schema is at this code's newest migration (a worker of a newer release waits until `db upgrade`
has run; an older one keeps serving additive changes), and the routing model is loaded. Peer desks are
reported but do not make a desk unready: the outbox holds messages until a peer is back.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import lru_cache

import httpx
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from liandong.storage.migrate import alembic_config


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


@lru_cache(maxsize=1)
def code_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def database(engine: Engine) -> tuple[Check, Check]:
    """(database reachable, migrations current)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            try:
                stored = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
            except Exception:  # noqa: BLE001 — no alembic_version: never migrated
                stored = set()
    except Exception as exc:  # noqa: BLE001
        return Check(False, f"数据库不可达：{type(exc).__name__}"), Check(False, "未知")
    heads = code_heads()
    if stored == set(heads):
        return Check(True, "可达"), Check(True, "、".join(sorted(stored)))
    return Check(True, "可达"), Check(False, f"数据库版本 {'、'.join(sorted(stored)) or '无'}，程序需要 {'、'.join(sorted(heads))}")


class PeerProbe:
    """Each peer's /healthz, asked at most every `every` seconds (a scrape of /readyz never waits long)."""

    def __init__(self, urls: dict[str, str], *, every: float = 10.0, timeout: float = 1.0) -> None:
        self.urls, self.every, self.timeout = urls, every, timeout
        self._at = 0.0
        self._last: dict[str, Check] = {}
        self._lock = threading.Lock()

    def check(self) -> dict[str, Check]:
        with self._lock:
            if self._last and time.monotonic() - self._at < self.every:
                return dict(self._last)
            result = {}
            for platform, url in self.urls.items():
                try:
                    resp = httpx.get(url.rstrip("/") + "/healthz", timeout=self.timeout)
                    result[platform] = Check(resp.status_code == 200, f"HTTP {resp.status_code}")
                except httpx.HTTPError as exc:
                    result[platform] = Check(False, f"不可达：{type(exc).__name__}")
            self._last, self._at = result, time.monotonic()
            return dict(result)
