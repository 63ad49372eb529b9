"""Typed settings, read from the environment in one place (never at import time).

    LIANDONG_DATABASE_URL   default sqlite:///./var/liandong.db (embedded); postgresql+psycopg://… in production
    LIANDONG_CITY           city data folder under liandong/cities (default: demo)
    LIANDONG_PLATFORM       which desk this process is: 12345, 110, or a minimal 119 / 120 desk (default 12345)
    LIANDONG_PEERS_FILE     peers.yaml of the exchange (平台互通); unset: one process hosts both 12345 and 110
    LIANDONG_RELAY_BASE_DELAY_S  first retry delay of the exchange relay (default 1 s; tests use less)
    LIANDONG_PHONE_SALT     secret for the keyed hash of callers' phone numbers (repeat-call lookups)
    LIANDONG_AUDIT_KEY      secret for the HMAC signing the daily audit roots (`liandong audit seal/verify`)
    LIANDONG_CONSOLE_IDLE_MINUTES  a console (web) session ends after this many idle minutes (default 30)
    LIANDONG_METRICS_TOKEN  bearer token the monitoring system scrapes /metrics with (unset: /metrics refuses)
    LIANDONG_RATE_TOKEN_PER_MIN    intake appeals per API token per minute, per process (default 600; burst 120)
    LIANDONG_RATE_CALLER_PER_HOUR  intake appeals per caller's number per hour, per process (default 20; burst 10)
    LIANDONG_JOBS           background jobs a serving process runs: all (default), none, or a list (ops/jobs.py)
    LIANDONG_PORTAL_DIR     the citizen portal's files: photos by hash, the demo SMS log (default ./var/portal)
    LIANDONG_APP_ROLE       PostgreSQL role the desks connect as; migrations (run as the owner role) grant it
                            only what the code needs, and no UPDATE/DELETE on the audit trail (docs/security.md)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from liandong.core.errors import ConfigError
from liandong.core.types import DESKS, Platform

DEFAULT_DB = "sqlite:///./var/liandong.db"
PLATFORMS = tuple(p.value for p in DESKS)  # 12345, 110, and minimal 119/120 receiving desks of the same program


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DB
    city: str = "demo"
    platform: str = Platform.GOV.value
    phone_salt: str = "liandong-demo-salt"
    peers_file: Path | None = None
    console_idle_minutes: int = 30
    audit_key: str = "liandong-demo-audit-key"
    metrics_token: str | None = None
    rate_token_per_min: float = 600.0
    rate_caller_per_hour: float = 20.0
    jobs: str = "all"
    portal_dir: Path = Path("var/portal")
    app_role: str | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.platform not in PLATFORMS:
            raise ConfigError("LIANDONG_PLATFORM", f"平台应为 {'、'.join(PLATFORMS)} 之一，实际为「{self.platform}」")
        if not (self.database_url.startswith("sqlite") or self.database_url.startswith("postgresql")):
            raise ConfigError("LIANDONG_DATABASE_URL", "只支持 sqlite:/// 或 postgresql+psycopg:// 数据库地址")
        if self.app_role is not None and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", self.app_role):
            raise ConfigError("LIANDONG_APP_ROLE", f"数据库角色名只能由小写字母、数字和下划线组成，实际为「{self.app_role}」")
        if not 1 <= self.console_idle_minutes <= 24 * 60:
            raise ConfigError("LIANDONG_CONSOLE_IDLE_MINUTES", "控制台空闲超时应为 1 到 1440 分钟")
        if self.rate_token_per_min <= 0 or self.rate_caller_per_hour <= 0:
            raise ConfigError("LIANDONG_RATE_TOKEN_PER_MIN", "限流速率应为正数")
        if self.metrics_token is not None and len(self.metrics_token) < 16:
            raise ConfigError("LIANDONG_METRICS_TOKEN", "指标抓取令牌至少 16 个字符")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def with_(self, **changes) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def settings_from_env(env: dict[str, str] | None = None, **overrides) -> Settings:
    env = dict(os.environ if env is None else env)
    peers = env.get("LIANDONG_PEERS_FILE")
    base = Settings(
        database_url=env.get("LIANDONG_DATABASE_URL", DEFAULT_DB),
        city=env.get("LIANDONG_CITY", "demo"),
        platform=env.get("LIANDONG_PLATFORM", Platform.GOV.value),
        phone_salt=env.get("LIANDONG_PHONE_SALT", "liandong-demo-salt"),
        peers_file=Path(peers) if peers else None,
        console_idle_minutes=_minutes(env.get("LIANDONG_CONSOLE_IDLE_MINUTES", "30")),
        audit_key=env.get("LIANDONG_AUDIT_KEY", "liandong-demo-audit-key"),
        metrics_token=env.get("LIANDONG_METRICS_TOKEN") or None,
        rate_token_per_min=_number("LIANDONG_RATE_TOKEN_PER_MIN", env.get("LIANDONG_RATE_TOKEN_PER_MIN", "600")),
        rate_caller_per_hour=_number("LIANDONG_RATE_CALLER_PER_HOUR", env.get("LIANDONG_RATE_CALLER_PER_HOUR", "20")),
        jobs=env.get("LIANDONG_JOBS", "all"),
        portal_dir=Path(env.get("LIANDONG_PORTAL_DIR", "var/portal")),
        app_role=env.get("LIANDONG_APP_ROLE") or None,
        extra={"relay": {"base_delay_s": float(env["LIANDONG_RELAY_BASE_DELAY_S"])}}
        if env.get("LIANDONG_RELAY_BASE_DELAY_S") else {},
    )
    return base.with_(**overrides)


def _minutes(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ConfigError("LIANDONG_CONSOLE_IDLE_MINUTES", f"应为整数分钟，实际为「{raw}」") from None


def _number(name: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(name, f"应为数字，实际为「{raw}」") from None
