"""Retrieval quality of the demo knowledge base on tests/data/knowledge_queries.jsonl (no database).

    .venv/bin/python bench/knowledge_quality.py [--misses]
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from liandong.core.clock import CST
from liandong.demo.knowledge import demo_index
from liandong.knowledge.evaluate import evaluate, load_queries

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CST)

if __name__ == "__main__":
    index = demo_index()
    quality = evaluate(index.search, load_queries(ROOT / "tests/data/knowledge_queries.jsonl"), now=NOW)
    print(json.dumps(quality.to_dict(), ensure_ascii=False))
    if "--misses" in sys.argv:
        for miss in quality.misses:
            print(json.dumps(miss, ensure_ascii=False))
