#!/usr/bin/env python3
"""Totals of the demo city's router on a labelled calls file (分流评测, totals only).

    .venv/bin/python bench/score_calls.py tests/data/routing_blind5.jsonl [more.jsonl …]

Prints emergency hit, exact set, off-110, the calls sent for review, per service recall (found/needed) and
false additions, and the referrals (gold ``-``) kept off both platforms. It never prints a case: blind sets are
read by their totals only, so that nothing is tuned on them.
"""
import sys
from pathlib import Path

from liandong.routing.evaluate import EMERGENCY, read_cases
from liandong.routing.router import load_router

SERVICES = ("110", "119", "120", "12345")


def totals(router, cases: list[dict]) -> dict:
    decisions = router.route_many([{"text": c["text"], "channel": c.get("channel", "12345")} for c in cases])
    needs = hit = non_police = kept_off = exact = review = refer = referred = 0
    found = dict.fromkeys(SERVICES, 0)
    needed = dict.fromkeys(SERVICES, 0)
    added = dict.fromkeys(SERVICES, 0)
    for case, d in zip(cases, decisions):
        gold, got = set(case["gold"]), set(d.services)
        exact += gold == got
        review += bool(d.review)
        if gold & EMERGENCY:
            needs += 1
            hit += bool(got & EMERGENCY)
        if "110" not in gold:
            non_police += 1
            kept_off += "110" not in got
        if not gold:
            refer += 1
            referred += not got
        for s in SERVICES:
            needed[s] += s in gold
            found[s] += s in gold and s in got
            added[s] += s in got and s not in gold
    return {"cases": len(cases), "emergency_hit": hit / needs if needs else 1.0, "emergency_cases": needs,
            "exact": exact / len(cases), "off_110": kept_off / non_police if non_police else 1.0,
            "review": review, "found": found, "needed": needed, "added": added,
            "referred": referred, "referrals": refer}


def main(paths: list[str]) -> None:
    router = load_router("demo")
    for path in paths:
        t = totals(router, read_cases(Path(path)))
        print(f"{path}: {t['cases']} cases, {t['emergency_cases']} needing 110/119/120")
        print(f"  emergency hit {t['emergency_hit']:.3f}  exact {t['exact']:.3f}  off-110 {t['off_110']:.3f}"
              f"  in review {t['review']}  referrals kept off {t['referred']}/{t['referrals']}")
        print("  recall " + ", ".join(f"{s} {t['found'][s]}/{t['needed'][s]}" for s in SERVICES)
              + "; added where not needed " + ", ".join(f"{s} {t['added'][s]}" for s in SERVICES))


if __name__ == "__main__":
    main(sys.argv[1:])
