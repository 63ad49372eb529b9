"""The plain data of quality inspection (质检): a call record, the order facts it is checked against, findings
with the span that triggered each, and the inspection's score and outcome.

A transcript is `[{speaker: operator|caller, start, end, text}]` in seconds from the start of the call.
`parse_transcript` refuses what a telephone system should never send — an unknown speaker, a negative
time, an end before its start, or a speaker whose turn begins before their previous turn ended — with a
message a supervisor can act on. Two *different* speakers may overlap: that is talking over each other
(抢话), a finding, not bad data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from liandong.core.errors import InvalidInput

MAX_TURNS = 2000
MAX_TURN_CHARS = 4000
MAX_CALL_SECONDS = 4 * 3600


class Speaker(StrEnum):
    OPERATOR = "operator"  # 话务员
    CALLER = "caller"  # 来电人


class Outcome(StrEnum):
    PASS = "pass"  # 合格
    REVIEW = "review"  # 待复核
    FAIL = "fail"  # 不合格


OUTCOME_LABELS = {Outcome.PASS: "合格", Outcome.REVIEW: "待复核", Outcome.FAIL: "不合格"}
SPEAKER_LABELS = {Speaker.OPERATOR: "话务员", Speaker.CALLER: "来电人"}


@dataclass(frozen=True)
class Turn:  # 一段话
    speaker: Speaker
    text: str
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class CallRecord:  # 来电记录
    turns: tuple[Turn, ...] = ()
    notes: str = ""  # the operator's notes when there is no transcript
    hangup_by: Speaker | None = None  # who hung up first, when the telephone system says
    operator: str | None = None  # 工号 / user name of the operator

    @property
    def timed(self) -> bool:
        return bool(self.turns) and all(t.start is not None and t.end is not None for t in self.turns)


@dataclass(frozen=True)
class OrderFacts:  # what the order records, to check the call and the reply against
    kind: str | None = None  # 投诉/举报/咨询/求助/建议
    subject: str = ""  # 标题
    text: str = ""  # 诉求内容
    address: str = ""
    category: str = ""
    received_at: datetime | None = None
    replied_at: datetime | None = None


@dataclass(frozen=True)
class Span:  # the evidence of a finding
    source: str  # "reply", "notes", "turn", "time", or "order.<field>"
    start: float = 0  # character offsets in the text (or seconds for "time")
    end: float = 0
    quote: str = ""
    turn: int | None = None  # index of the turn, for "turn"


@dataclass(frozen=True)
class Finding:  # 质检发现
    rule: str
    message: str
    spans: tuple[Span, ...]
    weight: float = 0.0


@dataclass(frozen=True)
class Inspection:  # 质检结果
    record: str  # "call" or "reply"
    template: str
    score: float
    outcome: Outcome
    findings: tuple[Finding, ...]
    applied: tuple[str, ...] = field(default=())  # the rules that could be checked on this record


def _seconds(value, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(f"{where}的时间必须是数字（秒）")
    if value < 0:
        raise InvalidInput(f"{where}的时间不能为负数：{value}")
    if value > MAX_CALL_SECONDS:
        raise InvalidInput(f"{where}的时间超过 4 小时：{value}")
    return float(value)


def parse_transcript(raw) -> tuple[Turn, ...]:
    """Turn the telephone system's list into turns, or refuse it with a Chinese message naming the turn."""
    if not isinstance(raw, (list, tuple)):
        raise InvalidInput("通话转写必须是列表：[{speaker, start, end, text}, …]")
    if len(raw) > MAX_TURNS:
        raise InvalidInput(f"通话转写最多 {MAX_TURNS} 段，收到 {len(raw)} 段")
    turns: list[Turn] = []
    last_end: dict[Speaker, float] = {}
    for i, item in enumerate(raw, start=1):
        where = f"第 {i} 段"
        if not isinstance(item, dict):
            raise InvalidInput(f"{where}必须是对象 {{speaker, start, end, text}}")
        unknown = set(item) - {"speaker", "start", "end", "text"}
        if unknown:
            raise InvalidInput(f"{where}有未知字段：{'、'.join(sorted(map(str, unknown)))}")
        try:
            speaker = Speaker(item.get("speaker"))
        except ValueError:
            raise InvalidInput(f"{where}的说话人「{item.get('speaker')}」未知，只能是 operator（话务员）或 caller（来电人）") from None
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput(f"{where}的文字不能为空")
        if len(text) > MAX_TURN_CHARS:
            raise InvalidInput(f"{where}的文字过长（最多 {MAX_TURN_CHARS} 字）")
        start, end = _seconds(item.get("start"), where), _seconds(item.get("end"), where)
        if (start is None) != (end is None):
            raise InvalidInput(f"{where}的开始和结束时间要么都有，要么都没有")
        if start is not None:
            if end < start:
                raise InvalidInput(f"{where}的结束时间 {end:g} 秒早于开始时间 {start:g} 秒")
            if speaker in last_end and start < last_end[speaker]:
                raise InvalidInput(f"{where}与同一说话人（{SPEAKER_LABELS[speaker]}）的上一段时间重叠："
                                   f"开始 {start:g} 秒早于上一段结束 {last_end[speaker]:g} 秒")
            last_end[speaker] = end
        turns.append(Turn(speaker, text.strip(), start, end))
    timed = {t.start is not None for t in turns}
    if len(timed) > 1:
        raise InvalidInput("通话转写的各段要么都有时间，要么都没有")
    return tuple(turns)


def transcript_json(turns: tuple[Turn, ...]) -> list[dict]:
    return [{"speaker": t.speaker.value, "start": t.start, "end": t.end, "text": t.text} for t in turns]
