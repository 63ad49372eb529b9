"""Regression on the project's own cases, and the shared dev cases when present."""

import json

import pytest

from liandong.regions.places import load_gazetteer
from liandong.regions.registry import CITIES_DIR, load_city
from liandong.routing.evaluate import read_cases, score

from .conftest import BLIND, CASES, SHARED


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


@pytest.mark.parametrize("name, emergency, exact, off_110", [
    ("routing_blind.jsonl", 0.99, 0.87, 0.955), ("routing_blind2.jsonl", 0.99, 0.83, 0.96), ("routing_dev_danger.jsonl", 0.99, 0.84, 0.92),
    ("routing_dev5.jsonl", 0.99, 0.81, 0.95),  # the fifth author's set (docs/routing.md): first run 0.904 / 0.653 / 0.953
])
def test_the_development_sets_keep_what_was_fixed(router, name, emergency, exact, off_110):
    """Blind sets 1 and 2 were used up on 2026-12-03 and became development sets (BLIND_SETS.md): their gaps were
    read and filled generically; this keeps them filled."""
    s = score(router, read_cases(CASES.with_name(name)))
    assert s["emergency_hit_rate"] >= emergency, [m for m in s["misses"] if set(m["gold"]) & {"110", "119", "120"}]
    assert s["exact_set"] >= exact
    assert s["off_110"] >= off_110


def test_the_third_blind_set_does_not_regress(router):
    """Blind set 3 (BLIND_SETS.md section 6) is never tuned on: only its totals are read. This guards the figures
    measured on it (docs/routing.md) against a change that makes unseen calls go worse."""
    s = score(router, read_cases(BLIND / "routing_blind3.jsonl"))
    assert s["cases"] >= 300
    assert s["emergency_hit_rate"] >= 0.965
    assert s["exact_set"] >= 0.76
    assert s["off_110"] >= 0.93


def test_the_fourth_blind_set_does_not_regress(router):
    """Blind set 4 (BLIND_SETS.md section 8, 541 calls by a fourth author): only its totals are read. Its first
    run and each version's are in docs/routing.md; this keeps the last of them from going back."""
    s = score(router, read_cases(BLIND / "routing_blind4.jsonl"))
    assert s["cases"] >= 500
    assert s["emergency_hit_rate"] >= 0.92
    assert s["exact_set"] >= 0.785
    assert s["off_110"] >= 0.915


def test_the_blind_place_set_does_not_regress():
    gazetteer = load_gazetteer(CITIES_DIR / "demo" / "places.yaml", load_city("demo"))
    rows = [json.loads(line) for line in (BLIND / "places_labelled.jsonl").read_text(encoding="utf-8").splitlines()]
    single = [r for r in rows if r["single"] and r["gold_street"]]
    resolved = [(gazetteer.resolve(r["text"], r["address"]), r["gold_street"]) for r in single]
    right = sum((res.region or "")[:9] == gold for res, gold in resolved)
    top3 = sum(any(m.place.street == gold for m in res.candidates[:3]) for res, gold in resolved)
    assert len(rows) >= 300 and right / len(single) >= 0.95
    assert top3 / len(single) >= 0.985  # 0.986 (349 of 354) with near-misses, derived forms and qualifiers
