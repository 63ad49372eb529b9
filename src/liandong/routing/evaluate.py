"""Scores of a router on labelled cases (分流评测): the three targets of the issue, and more.

- emergency hit rate: of the appeals needing 110/119/120, the share not routed to 12345 alone (or referred)
- exact service set: the share whose services equal the gold set
- off-110: of the appeals that do not need 110, the share kept off 110
"""

from __future__ import annotations

import json
from pathlib import Path

EMERGENCY = {"110", "119", "120"}


def read_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(router, cases: list[dict]) -> dict:
    """Route every case; return the scores and the misses (for a person to read)."""
    decisions = router.route_many([{"text": c["text"], "channel": c.get("channel", "12345")} for c in cases])
    needs, hit, non_police, kept_off, exact, cat_total, cat_ok = 0, 0, 0, 0, 0, 0, 0
    misses = []
    for case, d in zip(cases, decisions):
        gold = set(case["gold"])
        got = set(d.services)
        exact += gold == got
        if gold & EMERGENCY:
            needs += 1
            hit += bool(got & EMERGENCY)
        if "110" not in gold:
            non_police += 1
            kept_off += "110" not in got
        if case.get("category"):
            cat_total += 1
            cat_ok += d.category_code == case["category"]
        if gold != got or (case.get("category") and d.category_code != case["category"]):
            misses.append({"id": case["id"], "text": case["text"], "gold": sorted(gold), "got": sorted(got),
                           "category": case.get("category"), "got_category": d.category_code})
    n = len(cases)
    return {
        "cases": n,
        "emergency_hit_rate": hit / needs if needs else 1.0,
        "exact_set": exact / n if n else 0.0,
        "off_110": kept_off / non_police if non_police else 1.0,
        "category_accuracy": cat_ok / cat_total if cat_total else None,
        "emergency_cases": needs,
        "misses": misses,
    }
