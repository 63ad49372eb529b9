"""Retrieval quality over a labelled query set (检索效果评估): Recall@3, MRR and no-answer accuracy.

Each labelled query names the entry that answers it, or none ("no answer" is right). Recall@3 and MRR
count the answerable queries; no-answer accuracy counts the others (right when search returns nothing).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Quality:
    answerable: int = 0
    recall3: float = 0.0
    mrr: float = 0.0
    unanswerable: int = 0
    no_answer: float = 0.0
    misses: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"answerable": self.answerable, "recall@3": round(self.recall3, 4), "mrr": round(self.mrr, 4),
                "unanswerable": self.unanswerable, "no_answer_accuracy": round(self.no_answer, 4)}


def load_queries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(search, queries: list[dict], *, now) -> Quality:
    """`search(text, region=…, now=…)` → hits; the figures over `queries`."""
    q = Quality()
    hits3 = rr = silent = 0.0
    for item in queries:
        hits = [h.entry_id for h in search(item["query"], region=item.get("region"), limit=3, now=now)]
        if item["expect"] is None:
            q.unanswerable += 1
            silent += not hits
            if hits:
                q.misses.append({**item, "got": hits})
            continue
        q.answerable += 1
        if item["expect"] in hits:
            hits3 += 1
            rr += 1 / (hits.index(item["expect"]) + 1)
        else:
            q.misses.append({**item, "got": hits})
    q.recall3 = hits3 / q.answerable if q.answerable else 0.0
    q.mrr = rr / q.answerable if q.answerable else 0.0
    q.no_answer = silent / q.unanswerable if q.unanswerable else 0.0
    return q


def half(queries: list[dict], name: str) -> list[dict]:
    """A fixed half of a labelled set ("A" or "B", by a hash of the query text; anything else: all), so that
    one half can be studied and tuned on while the other stays held out."""
    if name not in ("A", "B"):
        return queries
    return [q for q in queries if "AB"[int(hashlib.sha256(q["query"].encode()).hexdigest(), 16) % 2] == name]
