"""Related appeals (关联诉求): repeat calls (重复来电), mass complaints (群诉/群发), harassing callers.

`relate` asks the similarity index about one incoming appeal and returns plain relations:
    repeat   an earlier appeal by the same caller about the same matter within the repeat window
    mass     appeals by other callers about the same matter in the same region and time window,
             returned only when at least `mass_min_callers` distinct callers (the asking one
             included) raised it
It also raises a *flag* on the caller (恶意骚扰 suspicion: very frequent calls in a window, abusive
words, threats). A flag is for a supervisor to look at; it never blocks or drops an appeal — a
frequent caller may have a real, unsolved problem, and a threat may need 110.

Call `relate` before adding the appeal to the index, or pass its id so it is not matched with itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from liandong.core.errors import InvalidInput
from liandong.supervision.similarity import MASS_THRESHOLD, REPEAT_THRESHOLD, Match, SimilarityIndex


class RelationKind(StrEnum):
    REPEAT = "repeat"  # 重复来电
    MASS = "mass"  # 群诉


@dataclass(frozen=True)
class Relation:  # 关联关系
    kind: RelationKind
    appeal_id: str
    score: float
    at: datetime
    caller_key: str


@dataclass(frozen=True)
class RelatedPolicy:  # 关联研判参数
    repeat_window_days: float = 30
    repeat_threshold: float = REPEAT_THRESHOLD
    mass_window_hours: float = 72
    mass_threshold: float = MASS_THRESHOLD
    mass_min_callers: int = 3
    harass_window_hours: float = 24
    harass_max_calls: int = 10  # this many calls or more in the window raise the flag

    def __post_init__(self) -> None:
        if self.mass_min_callers < 2:
            raise InvalidInput("群诉最少来电人数必须不小于 2")
        if self.harass_max_calls < 2:
            raise InvalidInput("骚扰来电次数阈值必须不小于 2")


ABUSIVE_WORDS = ("傻逼", "傻b", "他妈的", "操你", "草你妈", "去死", "滚蛋", "狗官", "王八蛋", "混蛋", "畜生", "贱人", "废物东西")
THREAT_WORDS = ("炸了你们", "炸掉", "炸药", "杀了你", "弄死", "砍死", "同归于尽", "放火烧", "报复社会", "要你们的命", "血洗")
_SQUEEZE = re.compile(r"[\s\W_]+")


@dataclass(frozen=True)
class CallerFlag:  # 恶意骚扰研判（仅提示，不拦截）
    flagged: bool
    calls_in_window: int  # including this one
    abusive_words: tuple[str, ...]
    threat_words: tuple[str, ...]
    reasons: tuple[str, ...]  # Chinese, for the supervisor


@dataclass(frozen=True)
class RelatedReport:  # 关联研判结果
    relations: tuple[Relation, ...]
    mass_callers: int  # distinct callers of the matter in the region window, the asking one included
    caller_flag: CallerFlag

    @property
    def repeats(self) -> tuple[Relation, ...]:
        return tuple(r for r in self.relations if r.kind is RelationKind.REPEAT)

    @property
    def mass(self) -> tuple[Relation, ...]:
        return tuple(r for r in self.relations if r.kind is RelationKind.MASS)


def _words(squeezed: str, lexicon: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in lexicon if w in squeezed)


def flag_caller(index: SimilarityIndex, caller_key: str, text: str, at: datetime, *, policy: RelatedPolicy = RelatedPolicy()) -> CallerFlag:
    """Suspicion of harassment for a supervisor: frequency in the window, abusive words, threats."""
    earlier = index.calls_by(caller_key, at - timedelta(hours=policy.harass_window_hours), at) if caller_key else 0
    calls = earlier + 1
    squeezed = _SQUEEZE.sub("", unicodedata.normalize("NFKC", text).lower())  # "狗 官" is still 狗官
    abusive, threats = _words(squeezed, ABUSIVE_WORDS), _words(squeezed, THREAT_WORDS)
    reasons = []
    if calls >= policy.harass_max_calls:
        reasons.append(f"{policy.harass_window_hours:g} 小时内来电 {calls} 次")
    if abusive:
        reasons.append("含辱骂用语：" + "、".join(abusive))
    if threats:
        reasons.append("含威胁用语：" + "、".join(threats) + "（如有现实危险请联动 110）")
    return CallerFlag(bool(reasons), calls, abusive, threats, tuple(reasons))


def _relations(kind: RelationKind, matches: list[Match]) -> list[Relation]:
    return [Relation(kind, m.appeal_id, m.score, m.at, m.caller_key) for m in matches]


def relate(
    index: SimilarityIndex,
    *,
    appeal_id: str,
    text: str,
    caller_key: str,
    region: str,
    at: datetime,
    policy: RelatedPolicy = RelatedPolicy(),
) -> RelatedReport:
    """Repeats, mass-complaint members and the caller flag of one incoming appeal (pure over the index)."""
    repeats, similar = index.check(
        text,
        caller_key,
        region,
        at,
        window_days=policy.repeat_window_days,
        window_hours=policy.mass_window_hours,
        repeat_threshold=policy.repeat_threshold,
        mass_threshold=policy.mass_threshold,
        exclude_id=appeal_id,
    )
    others = [m for m in similar if m.caller_key != caller_key or not caller_key]
    callers = {m.caller_key for m in others if m.caller_key} | ({caller_key} if caller_key else set())
    relations = _relations(RelationKind.REPEAT, repeats)
    if len(callers) >= policy.mass_min_callers:
        relations += _relations(RelationKind.MASS, others)
    return RelatedReport(tuple(relations), len(callers), flag_caller(index, caller_key, text, at, policy=policy))
