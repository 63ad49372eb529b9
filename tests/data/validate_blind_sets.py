#!/usr/bin/env python3
"""Check the form of the blind sets and of the danger development set (never their scores): well-formed JSON,
unique ids, gold values in the
allowed set, codes present in the demo city's regions (city.yaml) and consistent with the gazetteer.

    python tests/data/validate_blind_sets.py
"""
import json
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
CALLS = ROOT / "src" / "liandong" / "cities" / "demo" / "calls"  # sets 1, 2 and the danger set, used up: development data
CITY = ROOT / "src" / "liandong" / "cities" / "demo"
SERVICES = {"110", "119", "120", "12345"}


def load(path):
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            sys.exit(f"{path.name}:{n}: {e}")
    ids = Counter(r["id"] for r in rows)
    dup = [i for i, k in ids.items() if k > 1]
    if dup:
        sys.exit(f"{path.name}: duplicate ids {dup}")
    return rows


def main():
    errors = []
    in_data = ("routing_blind3.jsonl", "routing_blind4.jsonl", "routing_blind5.jsonl")  # the blind sets still in tests/data
    sets = {name: load((DATA if name in in_data else CALLS) / name)
            for name in ("routing_blind.jsonl", "routing_blind2.jsonl", "routing_blind3.jsonl", "routing_blind4.jsonl",
                         "routing_blind5.jsonl", "routing_dev_danger.jsonl")}
    for r in (r for rows in sets.values() for r in rows):
        if set(r) != {"id", "channel", "text", "gold"}:
            errors.append(f"{r['id']}: keys {sorted(r)}")
        if r["channel"] not in ("12345", "110"):
            errors.append(f"{r['id']}: channel {r['channel']}")
        if not isinstance(r["gold"], list) or not set(r["gold"]) <= SERVICES or len(set(r["gold"])) != len(r["gold"]):
            errors.append(f"{r['id']}: gold {r['gold']}")
        if not r["text"].strip():
            errors.append(f"{r['id']}: empty text")
    for n, r in enumerate(sets["routing_blind4.jsonl"], 1):  # set 4: ids e001... in order, gold sorted as strings
        if r["id"] != f"e{n:03d}":
            errors.append(f"routing_blind4.jsonl line {n}: id {r['id']}")
        if r["gold"] != sorted(r["gold"]):
            errors.append(f"{r['id']}: gold not sorted {r['gold']}")
    for n, r in enumerate(sets["routing_blind5.jsonl"], 1):  # set 5: ids f001... in order, gold sorted as strings
        if r["id"] != f"f{n:03d}":
            errors.append(f"routing_blind5.jsonl line {n}: id {r['id']}")
        if r["gold"] != sorted(r["gold"]):
            errors.append(f"{r['id']}: gold not sorted {r['gold']}")
    texts = Counter(r["text"] for r in sets["routing_blind5.jsonl"])
    errors += [f"routing_blind5.jsonl: duplicate text {t}" for t, k in texts.items() if k > 1]
    regions = {x["code"] for x in yaml.safe_load((CITY / "city.yaml").read_text(encoding="utf-8"))["regions"]}
    gaz = {x["region"] for x in yaml.safe_load((CITY / "places.yaml").read_text(encoding="utf-8"))["places"]}
    place_sets = {name: load(DATA / name) for name in ("places_labelled.jsonl", "places_labelled2.jsonl")}
    for p in (p for rows in place_sets.values() for p in rows):
        if set(p) != {"id", "text", "address", "gold_region", "gold_street", "single"}:
            errors.append(f"{p['id']}: keys {sorted(p)}")
        g, s = p["gold_region"], p["gold_street"]
        if g == "":
            if s != "":
                errors.append(f"{p['id']}: gold_street without gold_region")
            continue
        if len(g) not in (9, 12) or g not in regions:
            errors.append(f"{p['id']}: gold_region {g} not a street/community of the city")
        if len(s) != 9 or s not in regions or g[:9] != s:
            errors.append(f"{p['id']}: gold_street {s} does not contain {g}")
        if g not in gaz and g not in regions:
            errors.append(f"{p['id']}: {g} unknown")
        if not isinstance(p["single"], bool):
            errors.append(f"{p['id']}: single not a bool")
    if errors:
        sys.exit("\n".join(errors))
    for name, routing in sets.items():
        print(f"{name}: {len(routing)} cases, "
              + ", ".join(f"{k or '[]'}={v}" for k, v in Counter('+'.join(r['gold']) for r in routing).most_common()))
    for name, places in place_sets.items():
        print(f"{name}: {len(places)} appeals, single={sum(p['single'] for p in places)}, "
              f"no place={sum(not p['gold_region'] for p in places)}")


if __name__ == "__main__":
    main()
