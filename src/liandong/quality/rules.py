"""The city's inspection rules as data (`cities/<city>/quality.yaml`), validated on load.

`RULES` is the engine's catalogue: a rule id in the file must be one of these, with exactly the
parameters its model declares, or loading stops with a `ConfigError` naming the file, the line and the
rules that do exist. `kind` says whether a rule states a fact (禁语, 开头语, 以转代办, 超期 — measured by
precision and recall) or a judgement (切题, 完整 — measured by agreement with people).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from liandong.core.errors import ConfigError
from liandong.core.yamlfile import line_of, load_yaml, validate

CITIES_DIR = Path(__file__).resolve().parent.parent / "cities"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _regexes(values: list[str]) -> list[str]:
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"正则表达式「{value}」无效：{exc}") from None
    return values


class Patterns(_Strict):
    patterns: list[str] = Field(min_length=1)
    within_seconds: float | None = Field(default=None, gt=0)

    _check = field_validator("patterns")(_regexes)


class Readback(_Strict):
    """复述确认: a pattern naming the thing read back (地址…对吗), or — what operators mostly do — an operator
    turn that asks for confirmation (`confirm`, or a question mark at its end) and repeats the thing itself:
    `echo_share` of the order's address bigrams, or a phone-like `number` (digits, spaced or dashed, or
    Chinese numerals as speech recognition writes them)."""

    patterns: list[str] = Field(min_length=1)
    confirm: list[str] = Field(default_factory=list)
    echo_share: float | None = Field(default=None, gt=0, le=1)
    number: str | None = None

    _check = field_validator("patterns", "confirm")(_regexes)

    @field_validator("number")
    @classmethod
    def _number(cls, value: str | None) -> str | None:
        return value if value is None else _regexes([value])[0]


class Phrases(_Strict):
    phrases: list[str] = Field(min_length=1)
    last_turns: int | None = Field(default=None, ge=1, le=10)


class NoParams(_Strict):
    pass


class MaxSeconds(_Strict):
    max_seconds: float = Field(gt=0, le=600)


class MinSeconds(_Strict):
    min_seconds: float = Field(gt=0, le=60)


class MinShare(_Strict):
    min_share: float = Field(gt=0, le=1)


class NonAnswer(_Strict):
    boilerplate: list[str] = Field(min_length=1)  # clauses that say nothing: greetings, 收悉, 已转, thanks, dates
    min_substance_chars: int = Field(ge=1, le=500)

    _check = field_validator("boilerplate")(_regexes)


class Completeness(_Strict):
    min_substance_chars: int = Field(ge=1, le=1000)
    elements: dict[str, list[str]]
    required: list[list[str]] = Field(min_length=1)  # each inner list: at least one of these elements

    @field_validator("elements")
    @classmethod
    def _elements(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for patterns in value.values():
            _regexes(patterns)
        return value

    @model_validator(mode="after")
    def _known(self) -> Completeness:
        unknown = {e for group in self.required for e in group} - set(self.elements)
        if unknown:
            raise ValueError(f"required 中的要素未定义：{'、'.join(sorted(unknown))}")
        return self


class Clarity(_Strict):
    max_sentence_chars: int = Field(ge=20, le=2000)
    min_chars: int = Field(ge=1, le=500)


class Relevance(_Strict):
    min_share: float = Field(gt=0, le=1)  # of the subject's bigrams found in the reply
    min_text_share: float = Field(gt=0, le=1)  # or of the appeal text's


class Timeliness(_Strict):
    within_working_days: int = Field(ge=1, le=366)


class CopyPaste(_Strict):
    min_similarity: float = Field(gt=0, le=1)
    max_appeal_similarity: float = Field(gt=0, le=1)  # of the two appeals (subject + opening of the text)
    min_chars: int = Field(ge=10, le=2000)


@dataclass(frozen=True)
class RuleSpec:
    label: str  # 中文名
    record: str  # call / reply
    kind: str  # fact / judgement
    params: type[BaseModel]


RULES: dict[str, RuleSpec] = {
    "call.opening": RuleSpec("开头语（报工号）", "call", "fact", Patterns),
    "call.readback_address": RuleSpec("地址确认", "call", "fact", Readback),
    "call.readback_phone": RuleSpec("回电号码复述", "call", "fact", Readback),
    "call.soothing": RuleSpec("投诉安抚用语", "call", "fact", Phrases),
    "call.forbidden": RuleSpec("服务禁语", "call", "fact", NoParams),
    "call.further_help": RuleSpec("询问其他需求", "call", "fact", Phrases),
    "call.closing": RuleSpec("结束语", "call", "fact", Phrases),
    "call.hangup_first": RuleSpec("坐席先挂机", "call", "fact", NoParams),
    "call.silence": RuleSpec("通话静默", "call", "fact", MaxSeconds),
    "call.overlap": RuleSpec("抢话", "call", "fact", MinSeconds),
    "call.consistency_place": RuleSpec("工单地址与通话一致", "call", "judgement", MinShare),
    "call.consistency_request": RuleSpec("工单诉求与通话一致", "call", "judgement", MinShare),
    "call.consistency_category": RuleSpec("工单分类与通话一致", "call", "judgement", MinShare),
    "reply.non_answer": RuleSpec("以转代答、只收不答", "reply", "fact", NonAnswer),
    "reply.relevance": RuleSpec("答复切题", "reply", "judgement", Relevance),
    "reply.completeness": RuleSpec("答复要素完整", "reply", "judgement", Completeness),
    "reply.clarity": RuleSpec("表述清楚", "reply", "judgement", Clarity),
    "reply.politeness": RuleSpec("文明礼貌", "reply", "judgement", Phrases),
    "reply.timeliness": RuleSpec("按时答复", "reply", "fact", Timeliness),
    "reply.copy_paste": RuleSpec("套用他件答复", "reply", "fact", CopyPaste),
}
FORBIDDEN_RULES = ("call.forbidden", "reply.politeness")  # rules that read the forbidden-word list


class Template(_Strict):  # 模板
    name: str = Field(min_length=1, max_length=40)
    record: str
    kinds: list[str] = Field(min_length=1)
    fatal: list[str] = []
    weights: dict[str, float]

    @model_validator(mode="after")
    def _rules(self) -> Template:
        if self.record not in ("call", "reply"):
            raise ValueError(f"record 只能是 call 或 reply，不是「{self.record}」")
        for rule, weight in self.weights.items():
            spec = RULES.get(rule)
            if spec is None:
                raise ValueError(f"未知的质检规则「{rule}」")
            if spec.record != self.record:
                raise ValueError(f"规则「{rule}」用于{'来电' if spec.record == 'call' else '答复'}，不能放进 {self.record} 模板")
            if weight <= 0 or weight > 100:
                raise ValueError(f"规则「{rule}」的权重必须在 0 到 100 之间")
        missing = set(self.fatal) - set(self.weights)
        if missing:
            raise ValueError(f"fatal 中的规则不在本模板的 weights 里：{'、'.join(sorted(missing))}")
        return self


class Outcomes(_Strict):
    pass_: float = Field(alias="pass", ge=0, le=100)
    review: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _order(self) -> Outcomes:
        if self.review > self.pass_:
            raise ValueError("review 分数线不能高于 pass 分数线")
        return self


class Sampling(_Strict):  # 抽查: every fail, and these shares of the others
    review_share: float = Field(ge=0, le=1)
    pass_share: float = Field(ge=0, le=1)


class QualityFile(_Strict):
    outcome: Outcomes
    sampling: Sampling
    forbidden_words: list[str] = Field(min_length=1)
    rules: dict[str, dict | None]
    templates: list[Template] = Field(min_length=1)


@dataclass(frozen=True)
class QualityRules:  # 质检规则
    pass_score: float
    review_score: float
    forbidden_words: tuple[str, ...]
    params: dict[str, BaseModel]
    templates: tuple[Template, ...]
    review_share: float = 0.5
    pass_share: float = 0.05

    def template_for(self, record: str, kind: str | None) -> Template:
        """The template for this kind of call or reply; the first of its record when the kind is unknown."""
        of_record = [t for t in self.templates if t.record == record]
        return next((t for t in of_record if kind in t.kinds), of_record[0])


def _key_line(lines: list[str], key: str) -> int | None:
    """The line of `key:` in the file (a key with no mapping under it has no line of its own in the parse)."""
    pattern = re.compile(rf"^\s+{re.escape(key)}\s*:")
    return next((n for n, text in enumerate(lines, start=1) if pattern.match(text)), None)


def load_quality_rules(path: Path) -> QualityRules:
    data = load_yaml(path)
    parsed = validate(QualityFile, data, path)
    params: dict[str, BaseModel] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for rule, values in parsed.rules.items():
        line = _key_line(lines, rule) or line_of(data, ("rules", rule))
        spec = RULES.get(rule)
        if spec is None:
            raise ConfigError(str(path), f"未知的质检规则「{rule}」；可用的规则：{'、'.join(RULES)}", line=line)
        try:
            params[rule] = spec.params.model_validate(values or {})
        except Exception as exc:  # pydantic's ValidationError; its first message, in the file's words
            message = exc.errors()[0]["msg"].removeprefix("Value error, ") if hasattr(exc, "errors") else str(exc)
            raise ConfigError(str(path), f"规则「{rule}」的参数有误：{message}", line=line) from None
    for i, template in enumerate(parsed.templates):
        absent = set(template.weights) - set(params)
        if absent:
            raise ConfigError(str(path), f"模板「{template.name}」用到的规则没有在 rules 中配置："
                              f"{'、'.join(sorted(absent))}", line=line_of(data, ("templates", i)))
    if not {t.record for t in parsed.templates} >= {"call", "reply"}:
        raise ConfigError(str(path), "来电（call）和答复（reply）至少各需要一个模板")
    return QualityRules(parsed.outcome.pass_, parsed.outcome.review, tuple(parsed.forbidden_words), params,
                        tuple(parsed.templates), parsed.sampling.review_share, parsed.sampling.pass_share)


def load_city_quality(city: str) -> QualityRules:
    return load_quality_rules(CITIES_DIR / city / "quality.yaml")
