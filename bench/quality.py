"""Benchmark and figures of 质检: all 2,816 real replies scored on one core, and the rules measured.

    .venv/bin/python bench/quality.py            # throughput + memory, then agreement with the labels

What it does
  1. Reads ../shared/data/tipdm2020c/replies.csv (never copied into the repository) and scores every
     reply exactly as `liandong quality check` does (`quality.batch.check_rows`: copy-paste across the
     batch, then each reply on its own), in this one process and thread. Reports CPU seconds
     (`time.process_time`, what "one core" means on a shared machine), wall seconds, replies per
     second, then memory in a second run under tracemalloc (the heap's peak) and the process's max RSS.
  2. Against the 320 hand labels: precision, recall and Cohen's κ per rule against the adjudicated consensus
     (tests/data/quality_labels_consensus.jsonl) — on the 160 the rules were tuned on, the other 160, all —
     and against each reader alone; the two readers' agreement (% and κ); late replies against an
     independent count of working days.
  3. Against 240 generated call records with known faults (demo/quality_calls.py): precision and recall
     per call rule; then the five scored call rules on 40 calls written by hand by a second person
     (tests/data/quality_calls_handwritten.jsonl).
"""

from __future__ import annotations

import json
import platform
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from liandong.demo.quality_calls import generate_call  # noqa: E402
from liandong.quality.batch import Columns, check_rows  # noqa: E402
from liandong.quality.inspector import Inspector  # noqa: E402
from liandong.quality.model import CallRecord, OrderFacts, Speaker, parse_transcript  # noqa: E402
from liandong.quality.rules import RULES, load_city_quality  # noqa: E402
from liandong.supervision.calendar import WorkingCalendar  # noqa: E402
from tests.unit.quality.measure import (  # noqa: E402
    CONSENSUS,
    LABEL_KEYS,
    LABELS,
    LABELS_READER2,
    REPLIES,
    confusion,
    late_by_hand,
    parse_time,
    read_labels,
    read_replies,
)

COLUMNS = Columns(text="text", reply="reply", subject="subject", id="id", received="received_at",
                  replied="replied_at")


def throughput(inspector: Inspector, rows: list[dict]) -> dict:
    """Timed once as it runs in production; then run again under tracemalloc (which slows Python several
    times over) only to read the heap's peak."""
    cpu, wall = time.process_time(), time.perf_counter()
    results = check_rows(rows, COLUMNS, inspector)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    tracemalloc.start()
    check_rows(rows, COLUMNS, inspector)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"rows": len(results), "cpu_s": cpu, "wall_s": wall, "per_s": len(results) / cpu,
            "heap_peak_mb": peak / 2**20, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "results": dict(results)}


def line(name: str, m: dict) -> str:
    return (f"| {name} | {m['tp']} | {m['fp']} | {m['fn']} | {m['precision']:.3f} | {m['recall']:.3f} | "
            f"{m['kappa']:.3f} |")


def labels_table(results: dict, rows: dict) -> list[str]:
    """The machine against the adjudicated consensus (split as the rules were tuned: on the first 160 of
    reader 1's labels, the other 160 held out), then against each reader alone; then the readers against
    each other."""
    first, second, consensus = read_labels(LABELS), read_labels(LABELS_READER2), read_labels(CONSENSUS)
    out = ["| rule (labels) | TP | FP | FN | precision | recall | κ |", "|---|---|---|---|---|---|---|"]
    parts = {"consensus, tuned on (160)": consensus[:160], "consensus, held out (160)": consensus[160:],
             "consensus, all (320)": consensus, "reader 1 (320)": first, "reader 2 (320)": second}
    for rule, key, flip in (("reply.non_answer", "non_answer", False), ("reply.relevance", "relevant", True),
                            ("reply.completeness", "complete", True)):
        for part, chosen in parts.items():
            truth = [(not lab[key]) if flip else bool(lab[key]) for lab in chosen]
            found = [any(f.rule == rule for f in results[str(lab["id"])].findings) for lab in chosen]
            out.append(line(f"{rule} — {part}", confusion(truth, found)))
    truth, found = [], []
    for lab in consensus:
        row = rows[str(lab["id"])]
        a, b = parse_time(row["received_at"]), parse_time(row["replied_at"])
        if a and b:
            truth.append(late_by_hand(a, b, 15))
            found.append(any(f.rule == "reply.timeliness" for f in results[str(lab["id"])].findings))
    out.append(line("reply.timeliness — all (320), vs an independent working-day count", confusion(truth, found)))
    out += ["", "| reader 1 vs reader 2 (320) | agree | % agreement | κ |", "|---|---|---|---|"]
    for key in LABEL_KEYS:
        a, b = [bool(lab[key]) for lab in first], [bool(lab[key]) for lab in second]
        same = sum(x == y for x, y in zip(a, b))
        out.append(f"| {key} | {same}/{len(a)} | {same / len(a):.1%} | {confusion(a, b)['kappa']:.3f} |")
    return out


def calls_table(inspector: Inspector, n: int = 240) -> list[str]:
    rng = random.Random(16)
    calls = []
    for _ in range(n):
        c = generate_call(rng)
        record = CallRecord(parse_transcript(c.transcript), hangup_by=Speaker(c.hangup_by))
        found = {f.rule for f in inspector.call(record, OrderFacts(kind=c.kind, text=c.text, address=c.address,
                                                                  category=c.category)).findings}
        calls.append((c.truth, found))
    out = ["| call rule (240 generated calls) | TP | FP | FN | precision | recall | κ |", "|---|---|---|---|---|---|---|"]
    for rule, spec in RULES.items():
        if spec.record == "call" and rule != "call.consistency_category":
            out.append(line(rule, confusion([rule in t for t, _ in calls], [rule in f for _, f in calls])))
    return out


def handwritten_table(inspector: Inspector) -> list[str]:
    """The five scored call rules on the 40 calls written by hand by a second person (faults known)."""
    path = REPO / "tests" / "data" / "quality_calls_handwritten.jsonl"
    judged = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        c = json.loads(raw)
        record = CallRecord(parse_transcript(c["transcript"]), hangup_by=Speaker(c["hangup_by"]))
        facts = OrderFacts(kind=c["kind"], text=c["text"], address=c["address"], category=c["category"])
        judged.append((set(c["faults"]), {f.rule for f in inspector.call(record, facts).findings}))
    out = ["| call rule (40 hand-written calls) | TP | FP | FN | precision | recall | κ |", "|---|---|---|---|---|---|---|"]
    for rule in ("call.opening", "call.readback_address", "call.readback_phone", "call.forbidden", "call.closing"):
        out.append(line(rule, confusion([rule in t for t, _ in judged], [rule in f for _, f in judged])))
    return out


def main() -> None:
    if not REPLIES.exists():
        sys.exit(f"real replies not found at {REPLIES}")
    inspector = Inspector(load_city_quality("demo"), WorkingCalendar())
    rows = read_replies()
    t = throughput(inspector, list(rows.values()))
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    print(f"{t['rows']} replies: {t['cpu_s']:.1f} s CPU ({t['wall_s']:.1f} s wall), {t['per_s']:.0f} replies/s on "
          f"one core; heap peak {t['heap_peak_mb']:.0f} MB, max RSS {t['max_rss_mb']:.0f} MB")
    print("\n".join(labels_table(t["results"], rows)))
    print("\n".join(calls_table(inspector)))
    print("\n".join(handwritten_table(inspector)))


if __name__ == "__main__":
    main()
