"""Number the hand-typed dev9 routing calls and write them as JSONL.

Each line of bench/dev9_src/*.txt is ``channel|gold|text`` where gold is a
comma-separated list of services or ``-`` for none.  This script only
validates, numbers (z001...) and writes; it generates no text.
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "src/liandong/cities/demo/calls/routing_dev9.jsonl"
CHANNELS = {"12345", "110"}
SERVICES = {"110", "119", "120", "12345"}


def main() -> int:
    rows, seen, errors = [], set(), []
    for src in sorted(HERE.glob("*.txt")):
        for n, raw in enumerate(src.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line:
                continue
            parts = line.split("|", 2)
            if len(parts) != 3:
                errors.append(f"{src.name}:{n}: expected channel|gold|text")
                continue
            channel, gold_s, text = (p.strip() for p in parts)
            if channel not in CHANNELS:
                errors.append(f"{src.name}:{n}: bad channel {channel!r}")
            gold = [] if gold_s == "-" else [g.strip() for g in gold_s.split(",")]
            bad = [g for g in gold if g not in SERVICES]
            if bad or len(set(gold)) != len(gold):
                errors.append(f"{src.name}:{n}: bad gold {gold_s!r}")
            if not text:
                errors.append(f"{src.name}:{n}: empty text")
            if text in seen:
                errors.append(f"{src.name}:{n}: duplicate text {text!r}")
            seen.add(text)
            rows.append((channel, sorted(gold), text))
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for i, (channel, gold, text) in enumerate(rows, 1):
            obj = {"id": f"z{i:03d}", "channel": channel, "text": text, "gold": gold}
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} calls to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
