#!/usr/bin/env python3
"""Number the hand-typed dev7 lines and write routing_dev7.jsonl.

Each non-comment line of bench/dev7_src/*.txt is ``channel|gold|text`` where gold is a
comma-separated list of services or ``-`` for none. This script only validates, numbers
and writes; it generates no text.
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent.parent / "src/liandong/cities/demo/calls/routing_dev7.jsonl"
CHANNELS = {"12345", "110"}
SERVICES = {"110", "119", "120", "12345"}


def main() -> int:
    rows, seen, errors = [], {}, []
    for src in sorted(HERE.glob("*.txt")):
        for n, raw in enumerate(src.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            where = f"{src.name}:{n}"
            parts = line.split("|")
            if len(parts) != 3:
                errors.append(f"{where}: expected channel|gold|text")
                continue
            channel, gold_s, text = (p.strip() for p in parts)
            if channel not in CHANNELS:
                errors.append(f"{where}: bad channel {channel!r}")
            gold = [] if gold_s == "-" else [g.strip() for g in gold_s.split(",")]
            bad = [g for g in gold if g not in SERVICES]
            if bad:
                errors.append(f"{where}: bad services {bad}")
            if len(set(gold)) != len(gold):
                errors.append(f"{where}: repeated service")
            if not text:
                errors.append(f"{where}: empty text")
            if text in seen:
                errors.append(f"{where}: duplicate text (first at {seen[text]})")
            seen[text] = where
            rows.append((channel, sorted(set(gold)), text))
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for i, (channel, gold, text) in enumerate(rows, 1):
            obj = {"id": f"x{i:03d}", "channel": channel, "text": text, "gold": gold}
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} calls to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
