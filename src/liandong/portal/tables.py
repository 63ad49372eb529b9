"""The portal's tables: one-time codes, rate-limit counters, photos by hash, and public case snapshots."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from liandong.storage.base import Base, Moment


class OtpRow(Base):  # 短信验证码 (only its HMAC)
    __tablename__ = "portal_codes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    phone_key: Mapped[str] = mapped_column(String(64))  # keyed hash of the phone (core.masking.caller_key)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Moment())
    expires_at: Mapped[datetime] = mapped_column(Moment())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_portal_codes_phone_key_created_at", "phone_key", "created_at"),)


class CounterRow(Base):  # 频次计数: one row per kind, hashed value and window (portal.limits.counter_key)
    __tablename__ = "portal_counters"

    key: Mapped[str] = mapped_column(String(96), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(Moment())


class PhotoRow(Base):  # 现场照片 (the file is stored under its SHA-256; metadata-free JPEG)
    __tablename__ = "portal_photos"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(Moment())


class PublicCaseRow(Base):  # 办理情况公开: the redacted snapshot a unit approved
    __tablename__ = "portal_public_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_number: Mapped[str] = mapped_column(String(40), unique=True)
    category_name: Mapped[str | None] = mapped_column(String(128))
    street: Mapped[str | None] = mapped_column(String(12))  # 9-digit street code (never the exact address)
    street_name: Mapped[str | None] = mapped_column(String(64))
    unit_name: Mapped[str | None] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text)
    photos: Mapped[list] = mapped_column(JSON, default=list)  # hashes approved for the public
    received_at: Mapped[datetime] = mapped_column(Moment())
    replied_at: Mapped[datetime | None] = mapped_column(Moment())
    approved_by: Mapped[str] = mapped_column(String(64))
    approved_at: Mapped[datetime] = mapped_column(Moment())

    __table_args__ = (Index("ix_portal_public_cases_street_category", "street", "category_name"),)
