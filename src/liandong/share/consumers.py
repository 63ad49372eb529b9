"""Registering consumers (接入方登记), their API keys, rotation and revocation, and authentication.

Keys are random (256 bits), shown once, and stored only as SHA-256 digests. Authentication reads the
database on every request — no cache — so a rotated or revoked key is refused by every worker as soon
as the change is committed (well inside the 1 s bound); one indexed look-up per request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandong.core.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from liandong.regions.registry import CityRegistry
from liandong.share.scopes import ALL_FIELDS, DATASETS, PERSONAL, Consumer, Kind, parse_list
from liandong.share.tables import ConsumerRow

KEY_PREFIX = "ldc_"
_NAME = re.compile(r"^[\w\-.\u4e00-\u9fff]{1,64}$")


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def to_consumer(row: ConsumerRow) -> Consumer:
    return Consumer(id=row.id, name=row.name, kind=Kind(row.kind), datasets=frozenset(row.datasets), region=row.region,
                    fields=frozenset(row.fields) if row.fields is not None else None,
                    unmasked=frozenset(row.unmasked or ()), unit=row.unit, rate_per_minute=row.rate_per_minute)


def add_consumer(session: Session, city: CityRegistry, *, name: str, kind: str, datasets: str, region: str | None,
                 fields: str | None, unmasked: str | None, purpose: str | None, unit: str | None,
                 rate_per_minute: int, now: datetime) -> tuple[ConsumerRow, str]:
    """Register a consumer; returns its row and its API key (shown once, never stored)."""
    if not name or not _NAME.match(name):
        raise InvalidInput("接入方名称须为 1–64 个字母、数字、汉字、下划线、点或连字符")
    try:
        kind_ = Kind(kind)
    except ValueError:
        raise InvalidInput(f"接入方类型「{kind}」无效，可选：{'、'.join(k.value for k in Kind)}") from None
    sets = parse_list(datasets, allowed=DATASETS, what="数据集")
    if not sets:
        raise InvalidInput(f"至少授权一个数据集（--datasets），可选：{'、'.join(DATASETS)}")
    chosen = parse_list(fields, allowed=ALL_FIELDS, what="字段") if fields and fields.strip() != "*" else None
    open_ = parse_list(unmasked, allowed=PERSONAL, what="不脱敏字段")
    if open_ and not (purpose or "").strip():
        raise InvalidInput("授权不脱敏的个人信息须写明用途（--purpose）")
    if purpose and len(purpose) > 200:
        raise InvalidInput("用途最多 200 个字符")
    if unit:
        region = region or city.unit(unit).region
    region = region or city.city.code
    city.region(region)
    if not 1 <= rate_per_minute <= 100_000:
        raise InvalidInput("限流应为每分钟 1 到 100000 次")
    if session.scalar(select(ConsumerRow.id).where(ConsumerRow.name == name)) is not None:
        raise Conflict(f"接入方「{name}」已存在")
    key = new_key()
    row = ConsumerRow(name=name, kind=kind_.value, datasets=sets, region=region, fields=chosen, unmasked=open_,
                      grant_purpose=(purpose or "").strip() or None, unit=unit, rate_per_minute=rate_per_minute,
                      key_digest=digest(key), key_hint=key[:10], created_at=now)
    session.add(row)
    session.flush()
    return row, key


def list_consumers(session: Session) -> list[ConsumerRow]:
    return list(session.scalars(select(ConsumerRow).order_by(ConsumerRow.id)))


def _get(session: Session, name: str) -> ConsumerRow:
    row = session.scalar(select(ConsumerRow).where(ConsumerRow.name == name))
    if row is None:
        raise NotFound(f"接入方「{name}」不存在")
    return row


def rotate_key(session: Session, name: str, now: datetime) -> str:
    """A new key for the consumer; the old one stops working when this transaction commits."""
    row = _get(session, name)
    if row.revoked_at is not None:
        raise Conflict(f"接入方「{name}」已注销，不能更换密钥")
    key = new_key()
    row.key_digest, row.key_hint, row.rotated_at = digest(key), key[:10], now
    return key


def revoke(session: Session, name: str, now: datetime) -> ConsumerRow:
    row = _get(session, name)
    if row.revoked_at is None:
        row.revoked_at = now
    return row


def authenticate(session: Session, key: str | None) -> Consumer:
    """The consumer behind an API key, or Unauthenticated."""
    if not key:
        raise Unauthenticated("缺少接入密钥：请在请求头 X-Api-Key 或参数 api_key 中提供")
    if len(key) > 128 or not key.startswith(KEY_PREFIX):
        raise Unauthenticated("接入密钥无效")
    row = session.scalar(select(ConsumerRow).where(ConsumerRow.key_digest == digest(key)))
    if row is None:
        raise Unauthenticated("接入密钥无效")
    if row.revoked_at is not None:
        raise Unauthenticated("接入密钥已注销")
    return to_consumer(row)


def by_name(session: Session, name: str) -> Consumer:
    """A registered, not revoked consumer by name (for the CLI's exports, imports and syncs)."""
    row = _get(session, name)
    if row.revoked_at is not None:
        raise Unauthenticated(f"接入方「{name}」已注销")
    return to_consumer(row)
