"""Reference lists (分流转办事项参考清单) and a city's routing config, validated on load.

One YAML file per list source under `cities/lists/`; a city's `routing.yaml` names the files it uses.
Every error is a `ConfigError` naming the file and the line of the offending entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from liandong.core.errors import ConfigError
from liandong.core.yamlfile import LINE_KEY, load_yaml, strip_lines
from liandong.routing.lexicon import BY_ID as SIGNAL_IDS
from liandong.routing.calls import LabelledCall, load_calls
from liandong.routing.phrasings import load_phrasings

CITIES_DIR = Path(__file__).resolve().parent.parent / "cities"
LISTS_DIR = CITIES_DIR / "lists"
SERVICES = ("110", "119", "120", "12345")
_LINE = LINE_KEY


def load_marked_yaml(path: Path) -> dict:
    """A list file, parsed with each mapping's line under `__line__` (see `core/yamlfile`)."""
    if not path.exists():
        raise ConfigError(str(path), "文件不存在")
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(str(path), "顶层应为映射（mapping）", line=1)
    return data


def unit_function_keys() -> frozenset[str]:
    data = yaml.safe_load((CITIES_DIR / "functions.yaml").read_text(encoding="utf-8"))
    return frozenset(data["functions"])


class ItemSpec(BaseModel):  # 清单事项
    model_config = ConfigDict(extra="forbid")

    num: int = Field(ge=1)
    group: str = ""
    name: str = ""
    unit_function: str | None = None
    services: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    signals: list[str] = Field(default_factory=list)
    missing: bool = False
    note: str = ""

    @field_validator("services")
    @classmethod
    def _known_services(cls, v: list[str]) -> list[str]:
        bad = [s for s in v if s not in SERVICES]
        if bad:
            raise ValueError(f"未知的服务 {bad}，可选 {list(SERVICES)}")
        return sorted(set(v))

    @field_validator("signals")
    @classmethod
    def _known_signals(cls, v: list[str]) -> list[str]:
        bad = [s for s in v if s not in SIGNAL_IDS]
        if bad:
            raise ValueError(f"未知的紧急信号 {bad}，可选 {sorted(SIGNAL_IDS)}")
        return v


class ListSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    direction: str = Field(min_length=1)
    code_prefix: str = Field(min_length=1)
    items: list[dict]


class ListFileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    city: str
    source: str
    lists: list[dict]


class ListRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    only: list[str] | None = None  # directions to take from that file; all if absent


class RoutingConfigSpec(BaseModel):  # 城市分流配置
    model_config = ConfigDict(extra="forbid")

    city: str
    lists: list[dict] = Field(min_length=1)
    review_below: float = Field(default=0.55, ge=0, le=1)


@dataclass(frozen=True)
class Item:  # 清单事项（已校验）
    code: str
    num: int
    group: str
    name: str
    direction: str
    unit_function: str | None
    services: tuple[str, ...]
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    signals: tuple[str, ...]
    source_file: str
    line: int


def _error_text(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        parts.append(f"{where}: {err['msg']}" if where else err["msg"])
    return "；".join(parts)


def load_list_file(path: Path, *, only: list[str] | None = None, functions: frozenset[str] | None = None) -> list[Item]:
    """Load and validate one list file; return its routable items (missing ones are skipped)."""
    functions = functions if functions is not None else unit_function_keys()
    data = load_marked_yaml(path)
    try:
        spec = ListFileSpec.model_validate(strip_lines(data) | {"lists": data.get("lists", [])})
    except ValidationError as exc:
        raise ConfigError(str(path), _error_text(exc), line=data.get(_LINE)) from None
    items: list[Item] = []
    seen: dict[str, int] = {}
    for raw_list in spec.lists:
        line = raw_list.get(_LINE) if isinstance(raw_list, dict) else None
        try:
            lst = ListSpec.model_validate({k: v for k, v in raw_list.items() if k != _LINE})
        except (ValidationError, AttributeError) as exc:
            msg = _error_text(exc) if isinstance(exc, ValidationError) else "清单应为映射"
            raise ConfigError(str(path), f"清单定义有误：{msg}", line=line) from None
        if only is not None and lst.direction not in only:
            continue
        for raw in lst.items:
            iline = raw.get(_LINE) if isinstance(raw, dict) else line
            if not isinstance(raw, dict):
                raise ConfigError(str(path), f"清单「{lst.direction}」的事项应为映射", line=iline)
            try:
                it = ItemSpec.model_validate(strip_lines(raw))
            except ValidationError as exc:
                label = raw.get("num", "?")
                raise ConfigError(str(path), f"清单「{lst.direction}」第 {label} 项：{_error_text(exc)}", line=iline) from None
            code = f"{lst.code_prefix}{it.num:02d}" if it.num < 100 else f"{lst.code_prefix}{it.num}"
            if code in seen:
                raise ConfigError(str(path), f"事项编号重复：{code}（第 {seen[code]} 行已有）", line=iline)
            seen[code] = iline
            if it.missing:
                continue
            if not it.name or not it.group:
                raise ConfigError(str(path), f"清单「{lst.direction}」第 {it.num} 项缺少 name 或 group", line=iline)
            if it.unit_function is not None and it.unit_function not in functions:
                raise ConfigError(
                    str(path), f"第 {it.num} 项「{it.name}」的 unit_function「{it.unit_function}」不在 functions.yaml 中", line=iline
                )
            items.append(
                Item(code, it.num, it.group, it.name, lst.direction, it.unit_function, tuple(it.services),
                     tuple(it.keywords), tuple(it.examples), tuple(it.signals), path.name, iline)
            )
    return items


@dataclass(frozen=True)
class CityRouting:  # 城市分流配置（已校验）
    city: str
    items: tuple[Item, ...]
    review_below: float
    phrasings: dict[str, tuple[str, ...]] = None  # item code → hand-written phrasings (corpus.yaml), for training
    calls: tuple[LabelledCall, ...] = ()  # labelled calls (calls/*.jsonl), for the learned danger detector


def load_city_routing(city: str, *, cities_dir: Path = CITIES_DIR) -> CityRouting:
    """Read `cities/<city>/routing.yaml` and the list files it names."""
    path = cities_dir / city / "routing.yaml"
    if not path.exists():
        raise ConfigError(str(path), f"城市「{city}」没有分流配置 routing.yaml")
    data = load_marked_yaml(path)
    try:
        spec = RoutingConfigSpec.model_validate(strip_lines(data) | {"lists": data.get("lists", [])})
    except ValidationError as exc:
        raise ConfigError(str(path), _error_text(exc), line=data.get(_LINE)) from None
    functions = unit_function_keys()
    items: list[Item] = []
    codes: set[str] = set()
    for raw in spec.lists:
        line = raw.get(_LINE) if isinstance(raw, dict) else None
        try:
            ref = ListRef.model_validate(strip_lines(raw) if isinstance(raw, dict) else {"file": raw})
        except ValidationError as exc:
            raise ConfigError(str(path), _error_text(exc), line=line) from None
        list_path = (cities_dir / "lists" / ref.file) if not Path(ref.file).is_absolute() else Path(ref.file)
        if not list_path.exists():
            raise ConfigError(str(path), f"清单文件不存在：{ref.file}", line=line)
        for it in load_list_file(list_path, only=ref.only, functions=functions):
            if it.code in codes:
                raise ConfigError(str(list_path), f"事项编号 {it.code} 与其他清单重复", line=it.line)
            codes.add(it.code)
            items.append(it)
    phrasings = load_phrasings(cities_dir / city / "corpus.yaml", codes)
    return CityRouting(spec.city, tuple(items), spec.review_below, phrasings, load_calls(cities_dir / city / "calls"))
