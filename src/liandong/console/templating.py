"""Jinja2 for the console: templates from the package, autoescape always on, Beijing time, labels."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from liandong.core.actors import ROLE_LABELS, Role
from liandong.core.clock import CST
from liandong.orders.states import STATUS_LABELS, Status

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"

CHANNEL_LABELS = {
    "phone": "电话", "web": "网站", "app": "移动端", "wechat": "微信", "sms": "短信", "email": "邮件",
    "12345": "12345 热线", "110": "110 报警台", "110-transfer": "110 转来", "12345-transfer": "12345 转来",
}
WARNING_LABELS = {"yellow": "黄灯", "red": "红灯"}  # orders.warning as supervision stores it (LIGHT_FLAG)
PLATFORM_LABELS = {"12345": "12345 政务服务便民热线", "110": "110 报警服务台", "119": "119 消防", "120": "120 急救"}


def when(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return "—"
    return value.astimezone(CST).strftime(fmt)


def status_label(value: str | None) -> str:
    try:
        return STATUS_LABELS[Status(value)]
    except ValueError:
        return value or "—"


def role_label(value: str | None) -> str:
    try:
        return ROLE_LABELS[Role(value)]
    except ValueError:
        return value or "—"


@lru_cache(maxsize=None)
def _fingerprint(path: str) -> str:
    return hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:12]


def static_url(path: str) -> str:
    """A static file's URL with its content hash: served with a year-long cache, never stale."""
    try:
        return f"/console/static/{path}?v={_fingerprint(path)}"
    except FileNotFoundError:
        return f"/console/static/{path}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(when=when, status_label=status_label, role_label=role_label)
    env.globals.update(static_url=static_url, CHANNEL_LABELS=CHANNEL_LABELS, WARNING_LABELS=WARNING_LABELS,
                       PLATFORM_LABELS=PLATFORM_LABELS, STATUS_LABELS=STATUS_LABELS)
    return env


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)
