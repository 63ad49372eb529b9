"""KPI definitions as city data (考核指标, `cities/<city>/kpis.yaml`), validated on load with file and line.

A measure is a ratio over orders: the orders that meet every `denominator` condition, and of those the
ones that also meet every `numerator` condition. Conditions are named facts of an order or of its audit
trail (`CONDITIONS`, turned into SQL by `analytics.queries`); a city combines them, so another city
changes its measures without code. `period_by` says which moment puts an order in a period (受理、派单
or 办结时间). Facts missing on old orders are never guessed: a condition on a fact that is unknown is
false, and the measures that need it take only the orders where it is known as their denominator.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from liandong.core.errors import ConfigError, NotFound
from liandong.core.yamlfile import line_of, load_yaml, strip_lines

CONDITIONS = {  # name → what it means (shown in the docs and beside each measure)
    "valid": "有效工单（未撤销、未合并）",
    "dispatched": "已派单",
    "signed_on_time": "在签收时限内签收",
    "contacted": "已首次联系诉求人",
    "closed": "已办结",
    "close_due_known": "有办结时限",
    "closed_on_time": "在办结时限内办结",
    "visited": "已回访",
    "satisfied": "回访满意（含基本满意）",
    "solved_known": "回访已说明是否解决",
    "solved": "回访已解决",
    "repeat_call": "重复来电",
    "returned": "发生过退单",
    "overdue": "超过办结时限（未办结的按统计截止时刻计）",
    "transferred": "转办至对方平台",
    "transfer_timely": "对方在约定时限内签收转办（审计记录中有对方签收且未超时）",
    "bounced": "推诿标记",
    "calls_offered": "进入人工队列的来电（话务数据）",
    "calls_answered": "人工接通的来电（话务数据）",
}
CALL_CONDITIONS = frozenset({"calls_offered", "calls_answered"})  # need call data (话务数据), not orders
PERIOD_BY = {"received": "受理时间", "dispatched": "派单时间", "closed": "办结时间"}
DESKS = {"all": "两台合计", "12345": "12345", "110": "110"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KpiDef(_Strict):  # 考核指标
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    name: str = Field(min_length=1, max_length=20)
    description: str = ""
    desk: str = "all"
    period_by: str = "received"
    numerator: tuple[str, ...] = Field(min_length=1)
    denominator: tuple[str, ...] = Field(min_length=1)
    higher_is_better: bool = True

    @field_validator("numerator", "denominator")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [c for c in v if c not in CONDITIONS]
        if unknown:
            raise ValueError(f"未知条件「{'、'.join(unknown)}」，可用：{'、'.join(CONDITIONS)}")
        return v

    @field_validator("desk")
    @classmethod
    def _desk(cls, v: str) -> str:
        if v not in DESKS:
            raise ValueError(f"平台「{v}」无效，可选：{'、'.join(DESKS)}")
        return v

    @field_validator("period_by")
    @classmethod
    def _period_by(cls, v: str) -> str:
        if v not in PERIOD_BY:
            raise ValueError(f"统计口径「{v}」无效，可选：{'、'.join(f'{k}（{t}）' for k, t in PERIOD_BY.items())}")
        return v

    @model_validator(mode="after")
    def _one_source(self) -> "KpiDef":
        used = set(self.numerator + self.denominator)
        if used & CALL_CONDITIONS and used - CALL_CONDITIONS:
            raise ValueError("话务数据的条件（calls_offered、calls_answered）不能与工单条件混用")
        return self

    @property
    def needs_calls(self) -> bool:
        return bool(CALL_CONDITIONS & set(self.numerator + self.denominator))


class Composite(_Strict):  # 综合得分
    name: str = "综合得分"
    weights: dict[str, float]


class KpiFile(_Strict):
    kpis: tuple[KpiDef, ...] = Field(min_length=1)
    composite: Composite

    @model_validator(mode="after")
    def _consistent(self) -> "KpiFile":
        codes = [k.code for k in self.kpis]
        dup = {c for c in codes if codes.count(c) > 1}
        if dup:
            raise ValueError(f"指标编码重复：{'、'.join(sorted(dup))}")
        unknown = [c for c in self.composite.weights if c not in codes]
        if unknown:
            raise ValueError(f"综合得分的权重引用了未定义的指标「{'、'.join(unknown)}」")
        if any(w <= 0 for w in self.composite.weights.values()):
            raise ValueError("综合得分的权重必须为正数")
        return self


@dataclass(frozen=True)
class Kpis:  # a city's measures
    defs: tuple[KpiDef, ...]
    composite: Composite

    def get(self, code: str) -> KpiDef:
        for k in self.defs:
            if k.code == code:
                return k
        raise NotFound(f"指标「{code}」不存在，可选：{'、'.join(k.code for k in self.defs)}")


def _message(err: dict) -> str:
    if err["type"] == "extra_forbidden":
        return f"未知字段「{err['loc'][-1]}」"
    if err["type"] == "missing":
        return f"缺少字段「{err['loc'][-1]}」"
    return err["msg"].removeprefix("Value error, ")


def load_kpis(path: Path) -> Kpis:
    """Read and check a city's KPI file; the first problem raises ConfigError naming the file and line."""
    data = load_yaml(path)
    try:
        parsed = KpiFile.model_validate(strip_lines(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        where = ".".join(map(str, loc[:-1] if err["type"] == "extra_forbidden" else loc))
        msg = _message(err)
        raise ConfigError(str(path), f"{where}: {msg}" if where else msg, line=line_of(data, loc)) from exc
    return Kpis(parsed.kpis, parsed.composite)


def rate(numerator: int, denominator: int) -> float | None:
    """The ratio, or None when nothing is counted (a figure without data is shown as such, never 0 %)."""
    return numerator / denominator if denominator else None


def composite_score(rates: dict[str, float | None], composite: Composite) -> float | None:
    """Σ weight × rate over the weighted measures that have data, divided by the weights used, as 0–100."""
    used = {c: w for c, w in composite.weights.items() if rates.get(c) is not None}
    if not used:
        return None
    return 100 * sum(w * rates[c] for c, w in used.items()) / sum(used.values())
