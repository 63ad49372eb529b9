"""The call rules measured on 240 generated calls, good and bad, whose faults are known by construction.

The facts rules must reach precision ≥ 0.90 and recall ≥ 0.85 each (docs/quality.md gives the figures)."""

import random

import pytest

from liandong.demo.quality_calls import generate_call
from liandong.quality.inspector import Inspector
from liandong.quality.model import CallRecord, OrderFacts, Speaker, parse_transcript
from liandong.quality.rules import RULES, load_city_quality
from liandong.supervision.calendar import WorkingCalendar

N = 240


@pytest.fixture(scope="module")
def results():
    inspector = Inspector(load_city_quality("demo"), WorkingCalendar(source=None))
    rng = random.Random(16)
    out = []
    for _ in range(N):
        call = generate_call(rng)
        record = CallRecord(parse_transcript(call.transcript), hangup_by=Speaker(call.hangup_by))
        facts = OrderFacts(kind=call.kind, text=call.text, address=call.address, category=call.category)
        inspection = inspector.call(record, facts)
        out.append((call, {f.rule for f in inspection.findings}, set(inspection.applied)))
    return out


def measure(results, rule):
    tp = sum(rule in truth and rule in found for truth, found in ((c.truth, f) for c, f, _ in results))
    fp = sum(rule not in c.truth and rule in f for c, f, _ in results)
    fn = sum(rule in c.truth and rule not in f for c, f, _ in results)
    return tp, fp, fn


FACT_CALL_RULES = [r for r, spec in RULES.items() if spec.record == "call" and spec.kind == "fact"]


@pytest.mark.parametrize("rule", FACT_CALL_RULES)
def test_each_fact_rule_is_precise_and_finds_the_faults(results, rule):
    tp, fp, fn = measure(results, rule)
    assert tp >= 10, f"too few generated faults of {rule} to measure"
    assert tp / (tp + fp) >= 0.90 and tp / (tp + fn) >= 0.85, (rule, tp, fp, fn)


@pytest.mark.parametrize("rule", ["call.consistency_place", "call.consistency_request"])
def test_the_order_disagreeing_with_the_call_is_found(results, rule):
    tp, fp, fn = measure(results, rule)
    assert tp / (tp + fp) >= 0.90 and tp / (tp + fn) >= 0.85, (rule, tp, fp, fn)


def test_every_finding_cites_a_span(results):
    inspector = Inspector(load_city_quality("demo"), WorkingCalendar(source=None))
    call = generate_call(random.Random(3), bad_share=1.0)
    record = CallRecord(parse_transcript(call.transcript), hangup_by=Speaker(call.hangup_by))
    inspection = inspector.call(record, OrderFacts(kind=call.kind, text=call.text, address=call.address))
    assert inspection.findings and all(f.spans for f in inspection.findings)
    forbidden = next(f for f in inspection.findings if f.rule == "call.forbidden")
    span = forbidden.spans[0]
    assert record.turns[span.turn].text[int(span.start):int(span.end)] == span.quote
    assert inspection.outcome.value == "fail"
