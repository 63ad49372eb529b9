"""Scoring an export of past replies (历史答复质检): rows of a CSV → one inspection per row, plus a summary.

Used by `liandong quality check` and `bench/quality.py`. Copy-paste is found across the whole batch first
(`copies.CopyIndex`), then each row is inspected on its own; nothing touches a database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from liandong.quality.copies import CopyIndex
from liandong.quality.inspector import Inspector
from liandong.quality.model import Inspection, OrderFacts
from liandong.quality.rules import RULES

_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


@dataclass(frozen=True)
class Columns:  # which CSV column holds what
    text: str
    reply: str
    subject: str | None = None
    id: str | None = None
    kind: str | None = None
    received: str | None = None
    replied: str | None = None


def parse_time(value: str | None) -> datetime | None:
    if not value or not value.strip():
        return None
    for fmt in _FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    return None


def check_rows(rows: Iterable[dict], columns: Columns, inspector: Inspector) -> list[tuple[str, Inspection]]:
    rows = list(rows)
    keys = [row.get(columns.id) or str(n) if columns.id else str(n) for n, row in enumerate(rows, start=1)]
    index = CopyIndex()
    for key, row in zip(keys, rows):
        index.add(key, (row.get(columns.subject) or "") if columns.subject else "", row.get(columns.reply) or "",
                  row.get(columns.text) or "")
    copies = index.nearest_all()
    out = []
    for key, row in zip(keys, rows):
        facts = OrderFacts(kind=row.get(columns.kind) if columns.kind else None,
                           subject=(row.get(columns.subject) or "") if columns.subject else "",
                           text=row.get(columns.text) or "",
                           received_at=parse_time(row.get(columns.received)) if columns.received else None,
                           replied_at=parse_time(row.get(columns.replied)) if columns.replied else None)
        out.append((key, inspector.reply(row.get(columns.reply) or "", facts, copy=copies.get(key))))
    return out


def summary(results: list[tuple[str, Inspection]]) -> dict:
    outcomes = Counter(i.outcome.value for _, i in results)
    rules = Counter(f.rule for _, i in results for f in i.findings)
    n = len(results)
    return {"rows": n, "outcomes": dict(outcomes),
            "mean_score": round(sum(i.score for _, i in results) / n, 1) if n else None,
            "rules": {rule: {"label": RULES[rule].label, "count": c, "share": round(c / n, 3)}
                      for rule, c in rules.most_common()}}


def inspection_json(key: str, inspection: Inspection) -> dict:
    return {"id": key, "template": inspection.template, "score": inspection.score, "outcome": inspection.outcome.value,
            "findings": [{"rule": f.rule, "message": f.message, "weight": f.weight,
                          "spans": [{"source": s.source, "start": s.start, "end": s.end, "quote": s.quote}
                                    for s in f.spans]} for f in inspection.findings]}
