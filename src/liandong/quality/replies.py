"""Rules on a unit's reply to a citizen (答复质检): each returns a finding with its evidence, or None.

A reply is checked against the appeal it answers (`OrderFacts`): its subject and text for relevance,
its received time for timeliness. Copy-paste needs the other replies of the batch, so the caller passes
the closest other reply found by `copies.CopyIndex`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from liandong.core.clock import as_cst
from liandong.quality.model import Finding, OrderFacts, Span
from liandong.quality.rules import RULES, QualityRules
from liandong.quality.text import WordMatcher, bigrams, clauses, find_phrase, share
from liandong.supervision.calendar import WorkingCalendar, add_working_days

_HAN = re.compile(r"[\u4e00-\u9fff]")
_QUOTE = 60


@dataclass(frozen=True)
class CopyHit:  # the closest reply to a different appeal
    other: str  # its id (order number or row id)
    similarity: float
    appeal_similarity: float  # of the two appeals: a repeat of the same matter may share its reply


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns)


@lru_cache(maxsize=64)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern:
    """One regex for "any of these" — a clause is searched once, not once per pattern."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _quote(text: str, start: int, end: int) -> str:
    body = text[start:end]
    return body if len(body) <= _QUOTE else body[:_QUOTE] + "…"


def _whole(text: str) -> Span:
    return Span("reply", 0, len(text), _quote(text, 0, len(text)))


@lru_cache(maxsize=4)
def _substance(reply: str, boilerplate: tuple[str, ...]) -> tuple[int, tuple[Span, ...]]:
    boiler = _any_of(boilerplate)
    count, said = 0, []
    for start, end, clause in clauses(reply):
        if boiler.search(clause):
            said.append(Span("reply", start, end, _quote(reply, start, end)))
        else:
            count += len(_HAN.findall(clause))
    return count, tuple(said)


def substance(reply: str, rules: QualityRules) -> tuple[int, tuple[Span, ...]]:
    """The Chinese characters left once the clauses that say nothing are removed, and those clauses (the
    three rules that ask for the same reply share one computation)."""
    return _substance(reply, tuple(rules.params["reply.non_answer"].boilerplate))


def non_answer(reply: str, rules: QualityRules) -> Finding | None:
    """以转代答: once greetings, 收悉, 已转…处理, thanks and dates are removed, too little is left."""
    limit = rules.params["reply.non_answer"].min_substance_chars
    count, said = substance(reply, rules)
    if count >= limit:
        return None
    return Finding("reply.non_answer", f"答复只有套话或「已转办」，没有实质内容（实质内容 {count} 字，"
                   f"少于 {limit} 字）", tuple(said) or (_whole(reply),))


def relevance(reply: str, facts: OrderFacts, rules: QualityRules) -> Finding | None:
    """切题: the reply says something of substance and names the matter the appeal is about (a share of the
    subject's bigrams, or of the appeal text's when the subject is not echoed)."""
    params = rules.params["reply.relevance"]
    count, _ = substance(reply, rules)
    if count < rules.params["reply.non_answer"].min_substance_chars:
        return Finding("reply.relevance", "答复没有回应诉求的具体内容", (_whole(reply),))
    said = bigrams(reply)
    by_subject = share(bigrams(facts.subject), said) if bigrams(facts.subject) else 0.0
    by_text = share(bigrams(facts.text[:300]), said) if bigrams(facts.text[:300]) else 0.0
    if by_subject >= params.min_share or by_text >= params.min_text_share or not (facts.subject or facts.text):
        return None
    return Finding("reply.relevance", f"答复与诉求关联度低：诉求标题的关键字只有 {by_subject:.0%} 出现在答复中",
                   (Span("order.subject", 0, len(facts.subject), facts.subject[:_QUOTE]), _whole(reply)))


def completeness(reply: str, rules: QualityRules) -> Finding | None:
    """要素: found / done, the result, the basis (law, policy, document) and who to contact."""
    params = rules.params["reply.completeness"]
    count, _ = substance(reply, rules)
    if count < params.min_substance_chars:
        return Finding("reply.completeness", f"答复实质内容过少（{count} 字），没有说明查明的情况、处理措施和结果",
                       (_whole(reply),))
    present = {name: _any_of(tuple(pats)).search(reply) is not None for name, pats in params.elements.items()}
    missing_groups = [group for group in params.required if not any(present[e] for e in group)]
    if not missing_groups:
        return None
    missing = [name for name, ok in present.items() if not ok]
    return Finding("reply.completeness", f"答复缺少要素：{'、'.join(ELEMENT_LABELS.get(m, m) for m in missing)}",
                   (_whole(reply),))


ELEMENT_LABELS = {"found": "调查核实情况", "done": "处理措施", "result": "处理结果", "basis": "政策法规依据",
                  "contact": "联系方式"}


def clarity(reply: str, rules: QualityRules) -> Finding | None:
    params = rules.params["reply.clarity"]
    if len(_HAN.findall(reply)) < params.min_chars:
        return Finding("reply.clarity", f"答复过短（少于 {params.min_chars} 个汉字），难以说明情况", (_whole(reply),))
    start = 0
    for m in re.finditer(r"[。！？!?\n]", reply + "。"):
        if m.start() - start > params.max_sentence_chars:
            return Finding("reply.clarity", f"句子过长（{m.start() - start} 字无句号），不易读懂",
                           (Span("reply", start, m.start(), _quote(reply, start, m.start())),))
        start = m.end()
    return None


def politeness(reply: str, rules: QualityRules, matcher: WordMatcher) -> Finding | None:
    hits = matcher.find(reply)
    if hits:
        return Finding("reply.politeness", f"答复含服务禁语：{'、'.join(w for _, _, w in hits)}",
                       tuple(Span("reply", s, e, reply[s:e]) for s, e, _ in hits))
    if find_phrase(reply, rules.params["reply.politeness"].phrases) is None:
        return Finding("reply.politeness", "答复没有问候或致谢用语", (Span("reply", 0, min(len(reply), 20),
                                                                  reply[:20]),))
    return None


def timeliness(facts: OrderFacts, rules: QualityRules, calendar: WorkingCalendar) -> Finding | None:
    """按时: replied by close of business of the n-th working day after the appeal was received."""
    if facts.received_at is None or facts.replied_at is None:
        return None
    days = rules.params["reply.timeliness"].within_working_days
    received, replied = as_cst(facts.received_at), as_cst(facts.replied_at)
    due = add_working_days(received, days, calendar)
    if replied <= due:
        return None
    quote = (f"受理 {received:%Y-%m-%d %H:%M}，答复 {replied:%Y-%m-%d %H:%M}，"
             f"时限 {days} 个工作日（截止 {due:%Y-%m-%d %H:%M}）")
    return Finding("reply.timeliness", f"答复超过 {days} 个工作日时限",
                   (Span("time", received.timestamp(), replied.timestamp(), quote),))


def copy_paste(reply: str, hit: CopyHit | None, rules: QualityRules) -> Finding | None:
    params = rules.params["reply.copy_paste"]
    if hit is None or len(reply) < params.min_chars or hit.similarity < params.min_similarity \
            or hit.appeal_similarity > params.max_appeal_similarity:
        return None
    return Finding("reply.copy_paste", f"答复与另一件不同诉求（{hit.other}）的答复雷同（相似度 {hit.similarity:.0%}）",
                   (_whole(reply),))


def check_reply(reply: str, facts: OrderFacts, rules: QualityRules, weights: dict[str, float], *,
                calendar: WorkingCalendar, matcher: WordMatcher, copy: CopyHit | None = None
                ) -> tuple[list[Finding], list[str]]:
    """The findings on one reply under a template's `weights`, and the rules that could be checked."""
    checks: dict[str, Callable[[], Finding | None]] = {
        "reply.non_answer": lambda: non_answer(reply, rules),
        "reply.relevance": lambda: relevance(reply, facts, rules),
        "reply.completeness": lambda: completeness(reply, rules),
        "reply.clarity": lambda: clarity(reply, rules),
        "reply.politeness": lambda: politeness(reply, rules, matcher),
        "reply.timeliness": lambda: timeliness(facts, rules, calendar),
        "reply.copy_paste": lambda: copy_paste(reply, copy, rules),
    }
    applied = [r for r in weights if r in checks and RULES[r].record == "reply"]
    if facts.received_at is None or facts.replied_at is None:
        applied = [r for r in applied if r != "reply.timeliness"]
    findings = [f for r in applied if (f := checks[r]()) is not None]
    return findings, applied
