"""The inspector (质检器): one call record or one reply → findings, a score and an outcome.

    score = 100 × (1 − Σ weight of the rules with a finding / Σ weight of the rules that applied)
    outcome = 不合格 if a fatal rule has a finding, else 合格 (≥ pass) / 待复核 (≥ review) / 不合格

Built once per city with its rules and working calendar; pure, no database.
"""

from __future__ import annotations

from liandong.quality.calls import check_call
from liandong.quality.model import CallRecord, Finding, Inspection, OrderFacts, Outcome
from liandong.quality.replies import CopyHit, check_reply
from liandong.quality.rules import QualityRules
from liandong.quality.text import WordMatcher
from liandong.supervision.calendar import WorkingCalendar


class Inspector:  # 质检器
    def __init__(self, rules: QualityRules, calendar: WorkingCalendar) -> None:
        self.rules = rules
        self.calendar = calendar
        self.matcher = WordMatcher(rules.forbidden_words)

    def reply(self, reply: str, facts: OrderFacts, *, copy: CopyHit | None = None) -> Inspection:
        template = self.rules.template_for("reply", facts.kind)
        findings, applied = check_reply(reply, facts, self.rules, template.weights, calendar=self.calendar,
                                        matcher=self.matcher, copy=copy)
        return self._score("reply", template, findings, applied)

    def call(self, record: CallRecord, facts: OrderFacts) -> Inspection:
        template = self.rules.template_for("call", facts.kind)
        findings, applied = check_call(record, facts, self.rules, template.weights, matcher=self.matcher)
        return self._score("call", template, findings, applied)

    def _score(self, record: str, template, findings: list[Finding], applied: list[str]) -> Inspection:
        weights = template.weights
        weighted = tuple(Finding(f.rule, f.message, f.spans, weights[f.rule]) for f in findings)
        total = sum(weights[r] for r in applied)
        lost = sum(f.weight for f in weighted)
        score = round(100.0 * (1 - lost / total), 1) if total else 100.0
        if any(f.rule in template.fatal for f in weighted) or score < self.rules.review_score:
            outcome = Outcome.FAIL
        elif score < self.rules.pass_score:
            outcome = Outcome.REVIEW
        else:
            outcome = Outcome.PASS
        return Inspection(record, template.name, score, outcome, weighted, tuple(applied))
