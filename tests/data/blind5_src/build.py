#!/usr/bin/env python3
"""Build tests/data/routing_blind5.jsonl from the hand-typed lines in blind5_src/routing_*.txt.

Each line is `channel|gold|text`: channel 12345 or 110 (the desk that received the call), gold the
comma-separated services that must act (110, 119, 120, 12345) or `-` for none. The script only
validates, shuffles in a fixed order, assigns ids and writes the JSONL; it generates no text.

    python tests/data/blind5_src/build.py
"""
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "routing_blind5.jsonl"
SERVICES = {"110", "119", "120", "12345"}
CHANNELS = {"12345", "110"}
SEED = 20261205


def read_lines():
    rows, errors, seen = [], [], {}
    for path in sorted(HERE.glob("routing_*.txt")):
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.name}:{n}"
            if not raw.strip():
                continue
            parts = raw.split("|", 2)
            if len(parts) != 3:
                errors.append(f"{where}: not channel|gold|text")
                continue
            channel, gold, text = (p.strip() for p in parts)
            if channel not in CHANNELS:
                errors.append(f"{where}: channel {channel!r}")
            if gold == "-":
                services = []
            else:
                services = [s.strip() for s in gold.split(",")]
                if not services or not set(services) <= SERVICES:
                    errors.append(f"{where}: gold {gold!r}")
                if len(set(services)) != len(services):
                    errors.append(f"{where}: repeated service in {gold!r}")
            if not text:
                errors.append(f"{where}: empty text")
            elif text in seen:
                errors.append(f"{where}: duplicate text (first at {seen[text]})")
            else:
                seen[text] = where
            rows.append({"channel": channel, "text": text, "gold": sorted(set(services))})
    if errors:
        sys.exit("\n".join(errors))
    return rows


def main():
    rows = read_lines()
    random.Random(SEED).shuffle(rows)
    with OUT.open("w", encoding="utf-8") as f:
        for i, r in enumerate(rows, 1):
            obj = {"id": f"f{i:03d}", "channel": r["channel"], "text": r["text"], "gold": r["gold"]}
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"{OUT.name}: {len(rows)} cases")


if __name__ == "__main__":
    main()
