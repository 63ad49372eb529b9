"""Regression on the project's own cases, and the shared dev cases when present."""

import pytest

from liandong.routing.evaluate import read_cases, score

from .conftest import CASES, SHARED


def test_own_cases_meet_targets(router):
    s = score(router, read_cases(CASES))
    assert s["cases"] >= 250
    assert s["emergency_hit_rate"] == 1.0, s["misses"]
    assert s["exact_set"] >= 0.90, s["misses"]
    assert s["off_110"] >= 0.95, s["misses"]
    assert s["category_accuracy"] >= 0.8


def test_own_cases_cover_every_list_item():
    from liandong.routing.lists import load_city_routing

    covered = {c["category"] for c in read_cases(CASES)}
    items = [it.code for it in load_city_routing("demo").items if it.code.startswith("JC-")]
    assert [c for c in items if c not in covered] == []


def test_both_desks_appear_as_channel():
    assert {c["channel"] for c in read_cases(CASES)} == {"12345", "110"}


def test_shared_dev_cases(router):
    path = SHARED / "eval" / "routing_dev.jsonl"
    if not path.exists():
        pytest.skip(f"shared dev cases not found at {path} (the ../shared checkout is absent)")
    s = score(router, read_cases(path))
    assert s["emergency_hit_rate"] == 1.0, s["misses"]


@pytest.mark.parametrize("name", ["routing_holdout.jsonl", "routing_holdout2.jsonl", "routing_holdout3.jsonl", "routing_holdout4.jsonl", "routing_holdout5.jsonl", "routing_holdout6.jsonl", "routing_holdout7.jsonl", "routing_holdout8.jsonl", "routing_holdout9.jsonl", "routing_holdout10.jsonl", "routing_holdout11.jsonl", "routing_holdout12.jsonl", "routing_holdout13.jsonl", "routing_holdout14.jsonl"])
def test_holdout_cases_meet_targets(router, name):
    """Cases written after the router, to check it on phrasings it was not developed on."""
    s = score(router, read_cases(CASES.with_name(name)))
    assert s["emergency_hit_rate"] == 1.0, s["misses"]
    assert s["exact_set"] >= 0.90, s["misses"]
    assert s["off_110"] >= 0.95, s["misses"]
