"""Time limits as city data (办理时限): loading `cities/<city>/time_limits.yaml` and resolving limits.

A limit for an order is resolved field by field: defaults ← category group ← category item. Then the
order's level (urgent, important…) is applied as a *cap*: a level can tighten a limit, never loosen it
(an urgent water outage keeps its 1-hour sign limit even if "urgent" allows 0.5 hours more elsewhere).

Validation errors become `ConfigError` naming the file and the line of the offending mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from liandong.core.errors import ConfigError, InvalidInput
from liandong.core.yamlfile import line_of, load_yaml, validate
from liandong.supervision.calendar import MAX_WORKING_DAYS, MAX_WORKING_HOURS, WorkingCalendar

CITIES_DIR = Path(__file__).resolve().parent.parent / "cities"
_FIELDS = ("sign_within_hours", "reply_within_days", "close_within_days", "revisit_within_days")


@dataclass(frozen=True)
class TimeLimits:  # 办理时限
    sign_within_hours: float  # 签收, working hours after dispatch
    reply_within_days: int  # 答复, working days after acceptance
    close_within_days: int  # 办结, working days after acceptance (+ extensions)
    revisit_within_days: int  # 回访, working days after closing


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LimitOverrides(_Strict):
    sign_within_hours: float | None = Field(default=None, gt=0, le=MAX_WORKING_HOURS)
    reply_within_days: int | None = Field(default=None, gt=0, le=MAX_WORKING_DAYS)
    close_within_days: int | None = Field(default=None, gt=0, le=MAX_WORKING_DAYS)
    revisit_within_days: int | None = Field(default=None, gt=0, le=MAX_WORKING_DAYS)

    def given(self) -> dict[str, float]:
        return {k: v for k in _FIELDS if (v := getattr(self, k)) is not None}


class Defaults(_Strict):
    sign_within_hours: float = Field(gt=0, le=MAX_WORKING_HOURS)
    reply_within_days: int = Field(gt=0, le=MAX_WORKING_DAYS)
    close_within_days: int = Field(gt=0, le=MAX_WORKING_DAYS)
    revisit_within_days: int = Field(gt=0, le=MAX_WORKING_DAYS)

    @model_validator(mode="after")
    def _reply_before_close(self) -> Defaults:
        if self.reply_within_days > self.close_within_days:
            raise ValueError("答复时限不能长于办结时限")
        return self


class Group(LimitOverrides):
    items: dict[str, LimitOverrides] = {}


class CalendarConfig(_Strict):
    working_hours: list[tuple[str, str]] = [("09:00", "12:00"), ("13:30", "17:30")]
    holidays: list[date] = []
    working_days: list[date] = []

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: list[tuple[str, str]]) -> list[tuple[str, str]]:
        for pair in value:
            for text in pair:
                try:
                    time.fromisoformat(text)
                except ValueError:
                    raise ValueError(f"时间格式应为 HH:MM，收到：{text}") from None
        return value


class WarningConfig(_Strict):
    yellow_at: float = Field(default=0.8, gt=0, lt=1)


class Chase(_Strict):
    supervise_after_days: int = Field(default=2, gt=0, le=MAX_WORKING_DAYS)


class Bounce(_Strict):
    max_transfers: int = Field(default=3, ge=1)
    max_returns: int = Field(default=2, ge=1)


class TimeLimitPolicy(_Strict):  # 时限政策
    """One city's time-limit file, validated."""

    calendar: CalendarConfig = CalendarConfig()
    defaults: Defaults
    levels: dict[str, LimitOverrides] = {}
    groups: dict[str, Group] = {}
    warning: WarningConfig = WarningConfig()
    chase: Chase = Chase()
    bounce: Bounce = Bounce()

    def limits_for(self, category_code: str | None, category_group: str | None, level: str | None) -> TimeLimits:
        """Resolve the limits of one order; unknown group/item fall back to defaults, unknown level is an error."""
        values: dict[str, Any] = self.defaults.model_dump()
        group = self.groups.get(category_group or "")
        if group is not None:
            values.update(group.given())
            item = group.items.get(category_code or "")
            if item is not None:
                values.update(item.given())
        if level:
            if level not in self.levels:
                known = "、".join(self.levels) or "无"
                raise InvalidInput(f"未知的工单级别：{level}（已配置：{known}）")
            for key, cap in self.levels[level].given().items():
                values[key] = min(values[key], cap)
        return TimeLimits(**values)

    def working_calendar(self) -> WorkingCalendar:
        """The city's working calendar: its hours and its overrides on top of the official schedule."""
        periods = tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in self.calendar.working_hours)
        return WorkingCalendar(
            periods=periods,
            extra_holidays=frozenset(self.calendar.holidays),
            extra_working_days=frozenset(self.calendar.working_days),
        )


def limits_for(category_code: str | None, category_group: str | None, level: str | None, *, policy: TimeLimitPolicy) -> TimeLimits:
    """Module-level form of `TimeLimitPolicy.limits_for`."""
    return policy.limits_for(category_code, category_group, level)


# -- loading ----------------------------------------------------------------------------------------


def load_time_limits(path: Path | str) -> TimeLimitPolicy:
    """Read and validate a time-limit file; any problem is a ConfigError naming file and line."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(str(path), "顶层必须是映射（键: 值）", line=1)
    policy = validate(TimeLimitPolicy, data, path)
    try:
        policy.working_calendar()
    except InvalidInput as exc:
        raise ConfigError(str(path), exc.message, line=line_of(data, ("calendar",))) from exc
    return policy


def load_city_time_limits(city: str = "demo") -> TimeLimitPolicy:
    """The packaged file `cities/<city>/time_limits.yaml`."""
    if not city or "/" in city or "\\" in city or city.startswith("."):
        raise InvalidInput(f"城市名称无效：{city!r}")
    path = CITIES_DIR / city / "time_limits.yaml"
    if not path.is_file():
        raise InvalidInput(f"未找到城市「{city}」的时限配置")
    return load_time_limits(path)
