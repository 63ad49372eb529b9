#!/usr/bin/env python3
"""Turn hand-typed labelled calls into a city's calls file (已标注来电), numbering them; it writes no text.

    python bench/build_calls.py bench/dev7_src src/liandong/cities/demo/calls/routing_dev7.jsonl x

Each non-comment line of SRC/*.txt (files in name order) is ``channel|gold|text``: channel 12345 or 110, gold a
comma-separated list of the services that must act or ``-`` for none (refer). Refused, with file and line: a bad
channel or service, a repeated service, an empty or a repeated text. Ids are PREFIX + the line's number (001…).
"""
import json
import sys
from pathlib import Path

CHANNELS = {"12345", "110"}
SERVICES = {"110", "119", "120", "12345"}


def build(src: Path, prefix: str) -> tuple[list[dict], list[str]]:
    rows, seen, errors = [], {}, []
    for path in sorted(src.glob("*.txt")):
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            where = f"{path.name}:{n}"
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3:
                errors.append(f"{where}: expected channel|gold|text")
                continue
            channel, gold_s, text = parts
            gold = [] if gold_s == "-" else [g.strip() for g in gold_s.split(",")]
            if channel not in CHANNELS:
                errors.append(f"{where}: bad channel {channel!r}")
            if bad := [g for g in gold if g not in SERVICES]:
                errors.append(f"{where}: bad services {bad}")
            if len(set(gold)) != len(gold):
                errors.append(f"{where}: repeated service")
            if not text:
                errors.append(f"{where}: empty text")
            if text in seen:
                errors.append(f"{where}: duplicate text (first at {seen[text]})")
            seen[text] = where
            rows.append({"id": f"{prefix}{len(rows) + 1:03d}", "channel": channel, "text": text, "gold": sorted(gold)})
    return rows, errors


def main() -> int:
    src, out, prefix = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    rows, errors = build(src, prefix)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} calls to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
