"""Retrieval quality of the demo knowledge base on a labelled query set (no database).

    PYTHONPATH=src .venv/bin/python bench/knowledge_quality.py [--set old|callers] [--half A|B] [--misses]

`--set old` (default) is tests/data/knowledge_queries.jsonl (templates, tuned on), `--set callers` the
hand-written tests/data/knowledge_callers.jsonl. Its half A (`evaluate.half`) is the tuning half: its misses
may be printed, grouped by why (`--misses`); half B and the whole set are held out, only their totals are
printed.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from liandong.core.clock import CST
from liandong.demo.knowledge import demo_index
from liandong.knowledge.evaluate import evaluate, half, load_queries

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CST)
SETS = {"old": "tests/data/knowledge_queries.jsonl", "callers": "tests/data/knowledge_callers.jsonl",
        "no_answer": "tests/data/knowledge_no_answer.jsonl", "no_answer2": "tests/data/knowledge_no_answer2.jsonl"}


def why(index, item: dict) -> str:
    """Why a query missed: a false answer, a wrong "no answer", the answer ranked 4–10 or absent from the
    top 10 — and whether the top hit is a sibling (same matter, other question) or another matter."""
    if item["expect"] is None:
        return "false answer"
    hits = [h.entry_id for h in index.search(item["query"], region=item.get("region"), limit=10, now=NOW)]
    if not hits:
        return "wrong no-answer"
    sibling = hits[0].rsplit("-", 1)[0] == item["expect"].rsplit("-", 1)[0]
    return ("ranked 4-10" if item["expect"] in hits else "absent from top 10") + (", top is a sibling" if sibling else "")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default="old", choices=sorted(SETS))
    ap.add_argument("--half", default="all", choices=["A", "B", "all"])
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args()
    if args.misses and args.set == "callers" and args.half != "A":
        raise SystemExit("the callers' set's half B is held out: print misses of --half A only")
    index = demo_index()
    queries = half(load_queries(ROOT / SETS[args.set]), args.half)
    quality = evaluate(index.search, queries, now=NOW)
    print(json.dumps({"set": args.set, "half": args.half, **quality.to_dict()}, ensure_ascii=False))
    if args.misses:
        groups: dict[str, list[dict]] = defaultdict(list)
        for miss in quality.misses:
            groups[why(index, miss)].append(miss)
        for reason, misses in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            print(f"== {reason}: {len(misses)}")
            for miss in misses:
                print(json.dumps(miss, ensure_ascii=False))


if __name__ == "__main__":
    main()
