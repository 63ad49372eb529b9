"""Shared vocabulary: the platforms (平台), the channels an appeal arrives by (受理渠道) and event levels (事件等级).

Defined once here; every capability imports them. They are `StrEnum`s, so a stored or received string
compares equal to its member and JSON carries the plain value.
"""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):  # 平台
    GOV = "12345"  # 政务服务便民热线
    POLICE = "110"  # 报警服务台
    FIRE = "119"  # 消防救援
    MEDICAL = "120"  # 医疗急救
    TRAFFIC = "122"  # 交通事故报警
    UTILITY = "utility"  # 水电气热公共事业热线
    COMMAND = "command"  # 城运中心 / 指挥中心 (escalations only)


DESKS = (Platform.GOV, Platform.POLICE, Platform.FIRE, Platform.MEDICAL)  # desks this program can serve
EMERGENCY_DESKS = (Platform.FIRE, Platform.MEDICAL)  # told beside 110 when their services are needed
TRANSFER_TARGETS = frozenset({Platform.GOV, Platform.POLICE, Platform.FIRE, Platform.MEDICAL, Platform.TRAFFIC,
                              Platform.UTILITY})  # platforms an order may be transferred (转办) to


def other_hotline(platform: str) -> Platform:
    """The counterpart of a desk in the 12345 ⇄ 110 pairing: 110 for 12345, 12345 for every other desk."""
    return Platform.POLICE if platform == Platform.GOV else Platform.GOV


class Channel(StrEnum):  # 受理渠道
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


def desk_of(channel: Channel) -> Platform:
    """Which desk received it first: the 110 desk for its own and transferred-in calls, else 12345."""
    return Platform.POLICE if channel in (Channel.DESK_110, Channel.TRANSFER_FROM_12345) else Platform.GOV


def transfer_channel(sender: str) -> Channel | None:
    """The channel of an appeal that arrived as a transfer from `sender` (None for other desks)."""
    return {Platform.POLICE: Channel.TRANSFER_FROM_110, Platform.GOV: Channel.TRANSFER_FROM_12345}.get(sender)


class Level(StrEnum):  # 事件等级 (分级响应)
    GENERAL = "一般"
    MAJOR = "较大"
    SERIOUS = "重大"
    EXTRAORDINARY = "特别重大"

    @classmethod
    def of(cls, value: str | None) -> "Level":
        """The level named by `value`; anything unknown or missing is 一般."""
        try:
            return cls(value) if value else cls.GENERAL
        except ValueError:
            return cls.GENERAL
