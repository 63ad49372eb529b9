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
    """The hand-written callers' set (docs/knowledge.md): the targets met — Recall@3 ≥ 0.90, MRR ≥ 0.75,
    "no answer" ≥ 0.90 — asserted at the level reached (0.911 / 0.836 / 0.909)."""
    q = evaluate(index.search, load_queries(CALLERS), now=NOW)
    assert q.recall3 >= 0.91 and q.mrr >= 0.83, q.to_dict()
    assert q.no_answer >= 0.90, q.to_dict()


def test_each_half_of_the_callers_set_holds(index):
    """Half A was studied and tuned on, half B held out (evaluate.half): both at the level reached."""
    a = evaluate(index.search, half(load_queries(CALLERS), "A"), now=NOW)
    b = evaluate(index.search, half(load_queries(CALLERS), "B"), now=NOW)
    assert a.recall3 >= 0.92 and a.mrr >= 0.84 and a.no_answer >= 1.0, a.to_dict()
    assert b.recall3 >= 0.90 and b.mrr >= 0.82 and b.no_answer >= 0.83, b.to_dict()
    assert len(half(load_queries(CALLERS), "A")) + len(half(load_queries(CALLERS), "B")) == len(load_queries(CALLERS))


def test_questions_the_base_lacks_get_no_answer(index):
    """tests/data/knowledge_no_answer.jsonl: 57 hand-written questions nothing in the base answers."""
    q = evaluate(index.search, load_queries(Path(__file__).resolve().parents[2] / "data" / "knowledge_no_answer.jsonl"),
                 now=NOW)
    assert q.unanswerable == 57 and q.no_answer >= 0.92, q.to_dict()


def test_a_second_blind_set_of_questions_the_base_lacks_gets_no_answer_at_its_first_run_level(index):
    """tests/data/knowledge_no_answer2.jsonl: 34 more, written before any run; first run 0.882 (30 of 34)."""
    q = evaluate(index.search, load_queries(Path(__file__).resolve().parents[2] / "data" / "knowledge_no_answer2.jsonl"),
                 now=NOW)
    assert q.unanswerable == 34 and q.no_answer >= 0.88, q.to_dict()


def test_a_question_about_last_years_subsidy_is_not_answered_by_this_years_heating_entries(index):
    """去年/前年 read as the year they mean (2025, 2024 on 2026-11-23): not answered by 供暖缴费, which is in force."""
    for text in ("前年冬天的暖气补贴怎么领", "去年冬天那个暖气补贴现在还给发不"):
        assert index.search(text, now=NOW) == [], text
    assert index.search("今年冬天的暖气补贴怎么领", now=datetime(2025, 12, 1, tzinfo=CST))[0].entry_id == "KB-X01"
