"""Reading the real replies (../shared/data/tipdm2020c/replies.csv) and measuring the rules against our labels."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

import chinese_calendar

REPO = Path(__file__).resolve().parents[3]
_SHARED = [REPO.parent / "shared", REPO.parent.parent / "shared"]  # beside the checkout, or beside a worktree's parent
REPLIES = next((s for s in _SHARED if s.exists()), _SHARED[0]) / "data" / "tipdm2020c" / "replies.csv"
LABELS = REPO / "tests" / "data" / "quality_labels.jsonl"  # reader 1
LABELS_READER2 = REPO / "tests" / "data" / "quality_labels_reader2.jsonl"  # reader 2, independent
CONSENSUS = REPO / "tests" / "data" / "quality_labels_consensus.jsonl"  # adjudicated (docs/quality.md)
LABEL_KEYS = ("relevant", "complete", "non_answer")


def parse_time(value: str) -> datetime | None:
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            return datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    return None


def read_replies() -> dict[str, dict]:
    with REPLIES.open(encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def read_labels(path: Path = LABELS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def confusion(truth: list[bool], predicted: list[bool]) -> dict:
    tp = sum(t and p for t, p in zip(truth, predicted))
    fp = sum(p and not t for t, p in zip(truth, predicted))
    fn = sum(t and not p for t, p in zip(truth, predicted))
    tn = len(truth) - tp - fp - fn
    n = len(truth)
    po = (tp + tn) / n
    pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan"),
            "kappa": (po - pe) / (1 - pe) if pe < 1 else float("nan")}


def late_by_hand(received: datetime, replied: datetime, days: int) -> bool:
    """An independent reading of "replied within n working days" (民法典 第二百零一条: the day of receipt is not
    counted; a receipt after 17:30 or on a day off starts the next working day), straight from chinese_calendar."""
    day = received.date()
    if not chinese_calendar.is_workday(day) or received.time() >= datetime.strptime("17:30", "%H:%M").time():
        day += timedelta(days=1)
        while not chinese_calendar.is_workday(day):
            day += timedelta(days=1)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            counted += 1
    return replied > datetime.combine(day, datetime.strptime("17:30", "%H:%M").time())
