"""Rules on a call record (来电质检): each returns a finding with the turn or the seconds behind it, or None.

With a transcript every rule can be checked; timing rules (静默, 抢话) need its timestamps; with the
operator's notes alone only the consistency between the notes and the order is checked. `check_call`
says which rules applied, so a call is never marked down for what its record could not show.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from liandong.quality.model import CallRecord, Finding, OrderFacts, Span, Speaker, Turn
from liandong.quality.replies import _compiled
from liandong.quality.rules import RULES, QualityRules, Readback
from liandong.quality.text import WordMatcher, bigrams, find_pattern, find_phrase, share

_QUOTE = 60
TRANSCRIPT_RULES = ("call.opening", "call.readback_address", "call.readback_phone", "call.soothing",
                    "call.forbidden", "call.further_help", "call.closing")
TIMED_RULES = ("call.silence", "call.overlap")
CONSISTENCY_RULES = ("call.consistency_place", "call.consistency_request", "call.consistency_category")


def _turn_span(turns: tuple[Turn, ...], i: int, start: int = 0, end: int | None = None) -> Span:
    text = turns[i].text
    end = len(text) if end is None else end
    return Span("turn", start, end, text[start:end][:_QUOTE], turn=i)


def _operator(turns: tuple[Turn, ...]) -> list[int]:
    return [i for i, t in enumerate(turns) if t.speaker is Speaker.OPERATOR]


def _whole_call(record: CallRecord) -> Span:
    if record.timed:
        return Span("time", 0, max(t.end for t in record.turns), "整通电话")
    return Span("turn", 0, 0, "整通电话")


def _first_in_operator(record: CallRecord, found: Callable[[str], tuple[int, int] | None],
                       only: list[int] | None = None) -> Span | None:
    for i in only if only is not None else _operator(record.turns):
        hit = found(record.turns[i].text)
        if hit:
            return _turn_span(record.turns, i, *hit)
    return None


def opening(record: CallRecord, rules: QualityRules) -> Finding | None:
    params = rules.params["call.opening"]
    ops = _operator(record.turns)
    if not ops:
        return Finding("call.opening", "话务员没有说话", (_whole_call(record),))
    first = ops[:2]
    if record.timed and params.within_seconds:
        first = [i for i in ops if record.turns[i].start <= params.within_seconds][:2] or ops[:1]
    if _first_in_operator(record, lambda t: find_pattern(t, _compiled(tuple(params.patterns))), first):
        return None
    return Finding("call.opening", "开头语没有报工号（应为「您好，××号话务员为您服务」之类）",
                   (_turn_span(record.turns, ops[0]),))


def _phrase_rule(rule: str, message: str) -> Callable[[CallRecord, QualityRules], Finding | None]:
    def check(record: CallRecord, rules: QualityRules) -> Finding | None:
        params = rules.params[rule]
        ops = _operator(record.turns)
        only = ops[-params.last_turns:] if params.last_turns else ops
        if _first_in_operator(record, lambda t: find_phrase(t, params.phrases), only):
            return None
        where = _turn_span(record.turns, only[-1]) if only else _whole_call(record)
        return Finding(rule, message, (where,))
    return check


def _asks_to_confirm(text: str, confirm: tuple[re.Pattern, ...]) -> bool:
    return text.rstrip().endswith(("？", "?")) or find_pattern(text, confirm) is not None


def _readback(rule: str, message: str, echoed: Callable[[str, OrderFacts, Readback], bool]
              ) -> Callable[[CallRecord, QualityRules, OrderFacts], Finding | None]:
    def check(record: CallRecord, rules: QualityRules, facts: OrderFacts) -> Finding | None:
        params = rules.params[rule]
        patterns, confirm = _compiled(tuple(params.patterns)), _compiled(tuple(params.confirm))
        if _first_in_operator(record, lambda t: find_pattern(t, patterns)):
            return None
        for i in _operator(record.turns):
            text = record.turns[i].text
            if _asks_to_confirm(text, confirm) and echoed(text, facts, params):
                return None
        return Finding(rule, message, (_whole_call(record),))
    return check


def _echoes_address(text: str, facts: OrderFacts, params: Readback) -> bool:
    wanted = bigrams(facts.address)
    return bool(params.echo_share and wanted) and share(wanted, bigrams(text)) >= params.echo_share


def _echoes_number(text: str, facts: OrderFacts, params: Readback) -> bool:
    return params.number is not None and _compiled((params.number,))[0].search(text) is not None


readback_address = _readback("call.readback_address", "没有向来电人复述确认地址", _echoes_address)
readback_phone = _readback("call.readback_phone", "没有复述确认回电号码", _echoes_number)
soothing = _phrase_rule("call.soothing", "投诉来电没有安抚用语")
further_help = _phrase_rule("call.further_help", "结束前没有询问是否还有其他需要")
closing = _phrase_rule("call.closing", "没有结束语（如「感谢您的来电，再见」）")


def forbidden(record: CallRecord, matcher: WordMatcher) -> Finding | None:
    spans = [Span("turn", s, e, record.turns[i].text[s:e], turn=i) for i in _operator(record.turns)
             for s, e, _ in matcher.find(record.turns[i].text)]
    if not spans:
        return None
    words = "、".join(dict.fromkeys(s.quote for s in spans))
    return Finding("call.forbidden", f"话务员使用服务禁语：{words}", tuple(spans))


def hangup_first(record: CallRecord) -> Finding | None:
    if record.hangup_by is not Speaker.OPERATOR:
        return None
    end = max((t.end for t in record.turns if t.end is not None), default=0)
    return Finding("call.hangup_first", "话务员先于来电人挂机", (Span("time", end, end, "挂机"),))


def silence(record: CallRecord, rules: QualityRules) -> Finding | None:
    limit = rules.params["call.silence"].max_seconds
    spans, reached = [], None
    for turn in sorted(record.turns, key=lambda t: t.start):
        if reached is not None and turn.start - reached > limit:
            spans.append(Span("time", reached, turn.start, f"静默 {turn.start - reached:.0f} 秒"))
        reached = turn.end if reached is None else max(reached, turn.end)
    if not spans:
        return None
    return Finding("call.silence", f"通话中有 {len(spans)} 处静默超过 {limit:g} 秒", tuple(spans))


def overlap(record: CallRecord, rules: QualityRules) -> Finding | None:
    limit = rules.params["call.overlap"].min_seconds
    ordered = sorted(record.turns, key=lambda t: t.start)
    spans = []
    for a, b in zip(ordered, ordered[1:]):
        both = min(a.end, b.end) - b.start
        if a.speaker is not b.speaker and both >= limit:
            who = "话务员" if b.speaker is Speaker.OPERATOR else "来电人"
            spans.append(Span("time", b.start, b.start + both, f"{who}抢话 {both:.1f} 秒"))
    if not spans:
        return None
    return Finding("call.overlap", f"通话中有 {len(spans)} 处双方同时说话超过 {limit:g} 秒", tuple(spans))


def _consistency(rule: str, label: str, field: str, value: str, said: set[str], rules: QualityRules
                 ) -> Finding | None:
    wanted = bigrams(value)
    if not wanted:
        return None
    found = share(wanted, said)
    if found >= rules.params[rule].min_share:
        return None
    return Finding(rule, f"工单{label}与通话内容不一致：只有 {found:.0%} 在通话中出现",
                   (Span(f"order.{field}", 0, len(value), value[:_QUOTE]),))


def check_call(record: CallRecord, facts: OrderFacts, rules: QualityRules, weights: dict[str, float], *,
               matcher: WordMatcher) -> tuple[list[Finding], list[str]]:
    """The findings on one call under a template's `weights`, and the rules its record allowed checking."""
    said = bigrams(" ".join(t.text for t in record.turns) + " " + record.notes)
    checks: dict[str, Callable[[], Finding | None]] = {
        "call.opening": lambda: opening(record, rules),
        "call.readback_address": lambda: readback_address(record, rules, facts),
        "call.readback_phone": lambda: readback_phone(record, rules, facts),
        "call.soothing": lambda: soothing(record, rules),
        "call.forbidden": lambda: forbidden(record, matcher),
        "call.further_help": lambda: further_help(record, rules),
        "call.closing": lambda: closing(record, rules),
        "call.hangup_first": lambda: hangup_first(record),
        "call.silence": lambda: silence(record, rules),
        "call.overlap": lambda: overlap(record, rules),
        "call.consistency_place": lambda: _consistency(
            "call.consistency_place", "地址", "address", facts.address, said, rules),
        "call.consistency_request": lambda: _consistency(
            "call.consistency_request", "诉求", "text", facts.text, said, rules),
        "call.consistency_category": lambda: _consistency(
            "call.consistency_category", "分类", "category", facts.category, said, rules),
    }
    possible = set(CONSISTENCY_RULES)
    if record.turns:
        possible |= set(TRANSCRIPT_RULES)
    if record.timed:
        possible |= set(TIMED_RULES)
    if record.hangup_by is not None:
        possible.add("call.hangup_first")
    if not facts.address:
        possible.discard("call.consistency_place")
    if not facts.category:
        possible.discard("call.consistency_category")
    if not facts.text:
        possible.discard("call.consistency_request")
    applied = [r for r in weights if r in possible and RULES[r].record == "call"]
    findings = [f for r in applied if (f := checks[r]()) is not None]
    return findings, applied
