"""Channels an appeal arrives by (受理渠道)."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    PHONE = "phone"  # 电话
    WEB = "web"  # 网站
    APP = "app"  # 移动端
    WECHAT = "wechat"  # 微信
    SMS = "sms"  # 短信
    EMAIL = "email"  # 邮件
    DESK_12345 = "12345"  # the 12345 desk itself (operator keyed it in)
    DESK_110 = "110"  # the 110 desk itself (接警员 keyed it in)
    TRANSFER_FROM_110 = "110-transfer"  # 110 转 12345
    TRANSFER_FROM_12345 = "12345-transfer"  # 12345 转 110


def desk_of(channel: Channel) -> str:
    """Which desk received it first: the 110 desk for its own and transferred-in calls, else 12345."""
    return "110" if channel in (Channel.DESK_110, Channel.TRANSFER_FROM_12345) else "12345"
