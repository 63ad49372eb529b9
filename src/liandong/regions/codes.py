"""Administrative division codes (行政区划代码), GB/T 2260 with the street/community extensions.

    6 digits   province (2) + city (2) + county (2)        e.g. 148802   province/city/county
    9 digits   + street / town (3)                           e.g. 148802001  街道/乡镇
    12 digits  + community / village (3)                     e.g. 148802001002  社区/村

A code is checked for its shape here; whether it exists is the city's registry's business
(`liandong.regions.registry`).
"""

from __future__ import annotations

import re
from enum import StrEnum

from liandong.core.errors import InvalidInput

PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
_SHAPE = re.compile(r"^\d{6}(\d{3}){0,2}$")


class RegionLevel(StrEnum):
    PROVINCE = "province"  # 省级
    CITY = "city"  # 地级
    COUNTY = "county"  # 县级（区、县、县级市）
    STREET = "street"  # 乡级（街道、镇、乡）
    COMMUNITY = "community"  # 村级（社区、村）


def check_region_code(code: str) -> RegionLevel:
    """Return the level of a well-formed code, or raise InvalidInput saying what is wrong."""
    if not isinstance(code, str) or not _SHAPE.match(code):
        raise InvalidInput(f"行政区划代码「{code}」格式错误：应为6位（省市县）、9位（街道乡镇）或12位（社区村）数字")
    if code[:2] not in PROVINCE_PREFIXES:
        raise InvalidInput(f"行政区划代码「{code}」的省级代码「{code[:2]}」不存在")
    if len(code) == 12:
        if code[9:] == "000":
            raise InvalidInput(f"行政区划代码「{code}」的社区段不能为000")
        return RegionLevel.COMMUNITY
    if len(code) == 9:
        if code[6:] == "000":
            raise InvalidInput(f"行政区划代码「{code}」的街道段不能为000")
        return RegionLevel.STREET
    if code[2:] == "0000":
        return RegionLevel.PROVINCE
    if code[4:] == "00":
        return RegionLevel.CITY
    return RegionLevel.COUNTY


def parent_code(code: str) -> str | None:
    """The code one level up: community → street → county → city → province → None."""
    level = check_region_code(code)
    if level is RegionLevel.COMMUNITY:
        return code[:9]
    if level is RegionLevel.STREET:
        return code[:6]
    if level is RegionLevel.COUNTY:
        return code[:4] + "00"
    if level is RegionLevel.CITY:
        return code[:2] + "0000"
    return None


def ancestors(code: str) -> list[str]:
    """The code itself and every code above it, nearest first."""
    chain = [code]
    while (up := parent_code(chain[-1])) is not None:
        chain.append(up)
    return chain


def within(code: str, scope: str) -> bool:
    """Whether `code` lies inside region `scope` (a region is within itself)."""
    return scope in ancestors(code)


def region_prefix(code: str) -> str:
    """The digits every code inside `code` starts with: 148800 (a city) → 1488, 140000 → 14."""
    level = check_region_code(code)
    if level is RegionLevel.PROVINCE:
        return code[:2]
    if level is RegionLevel.CITY:
        return code[:4]
    return code
