"""A city's registry: its regions (行政区划) and handling units (承办单位), loaded from YAML.

`cities/<name>/city.yaml` is the city's own data; this module validates it on load (every
region code well-formed and under the city, every unit's 统一社会信用代码 checked, parents
existing) and answers the questions the order core asks: is this region ours, and which
unit does this kind of work here.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, field_validator, model_validator

from liandong.core.errors import ConfigError, InvalidInput, NotFound
from liandong.core.yamlfile import load_yaml, validate
from liandong.regions.codes import ancestors, check_region_code
from liandong.regions.credit_code import validate_credit_code

CITIES_DIR = Path(__file__).resolve().parent.parent / "cities"


class UnitKind(StrEnum):
    DEPARTMENT = "department"  # 职能部门
    STREET_OFFICE = "street_office"  # 街道办事处/乡镇政府
    UTILITY = "utility"  # 公用事业单位（水电气热、通信）
    POLICE_STATION = "police_station"  # 派出所/公安分局
    FIRE_STATION = "fire_station"  # 消防救援站
    AMBULANCE = "ambulance"  # 急救中心
    HOTLINE_CENTRE = "hotline_centre"  # 12345 热线中心
    POLICE_COMMAND = "police_command"  # 110 指挥中心
    COMMAND_CENTRE = "command_centre"  # 城运中心/指挥中心


class Region(BaseModel):  # 行政区划
    code: str
    name: str

    @field_validator("code")
    @classmethod
    def _shape(cls, v: str) -> str:
        try:
            check_region_code(v)
        except InvalidInput as exc:
            raise ValueError(exc.message) from exc
        return v


class Unit(BaseModel):  # 承办单位
    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,31}$")
    name: str
    credit_code: str
    kind: UnitKind
    region: str
    platform: str = Field(pattern=r"^(12345|110|119|120|122|utility)$")
    parent: str | None = None
    functions: list[str] = []

    @field_validator("credit_code")
    @classmethod
    def _credit(cls, v: str) -> str:
        try:
            return validate_credit_code(v)
        except InvalidInput as exc:
            raise ValueError(exc.message) from exc


class City(BaseModel):  # 城市
    name: str
    code: str
    regions: list[Region]
    units: list[Unit]

    @model_validator(mode="after")
    def _consistent(self) -> "City":
        region_codes = {r.code for r in self.regions}
        if self.code not in region_codes:
            raise ValueError(f"城市代码 {self.code} 不在 regions 中")
        for r in self.regions:
            if self.code not in ancestors(r.code):
                raise ValueError(f"区划 {r.code} {r.name} 不属于本市 {self.code}")
        unit_codes = set()
        for u in self.units:
            if u.code in unit_codes:
                raise ValueError(f"单位代码重复：{u.code}")
            unit_codes.add(u.code)
            if u.region not in region_codes:
                raise ValueError(f"单位 {u.code} 的区划 {u.region} 未登记")
        for u in self.units:
            if u.parent and u.parent not in unit_codes:
                raise ValueError(f"单位 {u.code} 的上级单位 {u.parent} 不存在")
        return self


class CityRegistry:
    """Read-only lookups over a validated city."""

    def __init__(self, city: City) -> None:
        self.city = city
        self.regions = {r.code: r for r in city.regions}
        self.units = {u.code: u for u in city.units}
        self._by_function: dict[str, list[Unit]] = {}
        for u in city.units:
            for f in u.functions:
                self._by_function.setdefault(f, []).append(u)

    @property
    def name(self) -> str:
        return self.city.name

    def region(self, code: str) -> Region:
        """The region, or a clear error for a malformed or unregistered code."""
        check_region_code(code)
        try:
            return self.regions[code]
        except KeyError:
            raise InvalidInput(f"行政区划代码「{code}」不在{self.city.name}的区划目录中") from None

    def region_path(self, code: str) -> str:
        """Human-readable place name, e.g. 明川市东城区东门街道."""
        names = [self.regions[c].name for c in reversed(ancestors(code)) if c in self.regions]
        return "".join(names)

    def unit(self, code: str) -> Unit:
        try:
            return self.units[code]
        except KeyError:
            raise NotFound(f"承办单位「{code}」不存在") from None

    def unit_for(self, function: str, region: str | None) -> Unit | None:
        """The unit doing `function` nearest to `region`: street office of the street, else district, else city."""
        candidates = self._by_function.get(function, [])
        if not candidates:
            return None
        if region:
            for code in ancestors(region):
                for u in candidates:
                    if u.region == code:
                        return u
        city_level = [u for u in candidates if u.region == self.city.code]
        return (city_level or candidates)[0]

    def units_of(self, platform: str) -> list[Unit]:
        return [u for u in self.city.units if u.platform == platform]


def load_city_file(path: Path) -> CityRegistry:
    city = validate(City, load_yaml(path), path)
    return CityRegistry(city)  # type: ignore[arg-type]


@lru_cache(maxsize=8)
def load_city(name: str = "demo") -> CityRegistry:
    path = CITIES_DIR / name / "city.yaml"
    if not path.exists():
        raise ConfigError(str(path), f"城市「{name}」没有 city.yaml")
    return load_city_file(path)
