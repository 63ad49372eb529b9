#!/usr/bin/env python3
"""Turn the hand-typed lines of blind4_src/routing_*.txt (`channel|gold|text`, gold comma-separated or `-`)
into ../routing_blind4.jsonl: the lines are shuffled in a fixed order, given ids e001... and written out.
No text is generated here."""
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVICES = {"110", "119", "120", "12345"}

rows = []
for f in sorted(HERE.glob("routing_*.txt")):
    for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        channel, gold, text = line.split("|", 2)
        codes = [] if gold == "-" else sorted(gold.split(","))
        assert channel in ("12345", "110") and set(codes) <= SERVICES and text.strip(), f"{f.name}:{n}"
        rows.append((channel, codes, text.strip()))

random.Random(20261204).shuffle(rows)
out = HERE.parent / "routing_blind4.jsonl"
with out.open("w", encoding="utf-8") as fh:
    for i, (channel, codes, text) in enumerate(rows, 1):
        fh.write(json.dumps({"id": f"e{i:03d}", "channel": channel, "text": text, "gold": codes},
                            ensure_ascii=False) + "\n")
print(f"{out.name}: {len(rows)} cases")
