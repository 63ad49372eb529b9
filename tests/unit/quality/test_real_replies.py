"""The reply rules against 320 real replies labelled by hand (tests/data/quality_labels.jsonl; how they were made
is in docs/quality.md). Skipped, saying why, where ../shared is absent (CI's clone)."""

import pytest

from liandong.quality.inspector import Inspector
from liandong.quality.model import OrderFacts
from liandong.quality.rules import load_city_quality
from liandong.supervision.calendar import WorkingCalendar
from tests.unit.quality.measure import (
    REPLIES,
    confusion,
    late_by_hand,
    parse_time,
    read_labels,
    read_replies,
)

pytestmark = pytest.mark.skipif(not REPLIES.exists(), reason=f"real replies not present at {REPLIES}")


@pytest.fixture(scope="module")
def judged():
    rows = read_replies()
    inspector = Inspector(load_city_quality("demo"), WorkingCalendar())
    out = []
    for label in read_labels():
        row = rows[str(label["id"])]
        facts = OrderFacts(subject=row["subject"], text=row["text"], received_at=parse_time(row["received_at"]),
                           replied_at=parse_time(row["replied_at"]))
        out.append((label, row, {f.rule for f in inspector.reply(row["reply"], facts).findings}))
    return out


def test_at_least_300_labels_with_a_second_pass_on_a_subset():
    labels = read_labels()
    assert len(labels) >= 300 and sum("pass2" in label for label in labels) >= 100


def test_non_answers_are_found_with_precision_and_recall(judged):
    m = confusion([bool(label["non_answer"]) for label, _, _ in judged], ["reply.non_answer" in f for _, _, f in judged])
    assert m["precision"] >= 0.90 and m["recall"] >= 0.85, m


@pytest.mark.parametrize("rule, key, floor", [("reply.relevance", "relevant", 0.6),
                                               ("reply.completeness", "complete", 0.6)])
def test_judgement_rules_agree_with_the_labels(judged, rule, key, floor):
    m = confusion([not label[key] for label, _, _ in judged], [rule in f for _, _, f in judged])
    assert m["kappa"] >= floor, m


def test_late_replies_match_an_independent_count_of_working_days(judged):
    truth, found = [], []
    for _, row, findings in judged:
        received, replied = parse_time(row["received_at"]), parse_time(row["replied_at"])
        if received and replied:
            truth.append(late_by_hand(received, replied, 15))
            found.append("reply.timeliness" in findings)
    m = confusion(truth, found)
    assert len(truth) >= 300 and m["precision"] >= 0.90 and m["recall"] >= 0.85, m
