"""Number the hand-typed dev8 lines and write routing_dev8.jsonl.

Each source line is `channel|gold|text` (gold comma-separated, `-` for []).
No text is generated here: this only validates, numbers and serialises.
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "src" / "liandong" / "cities" / "demo" / "calls" / "routing_dev8.jsonl"
SOURCES = ["a_referral.txt", "b_police.txt", "c_rescue.txt", "d_ordinary.txt", "e_desk110.txt"]
CHANNELS = {"12345", "110"}
SERVICES = {"110", "119", "120", "12345"}


def main() -> int:
    rows, seen, errors = [], set(), []
    for name in SOURCES:
        for n, raw in enumerate((HERE / name).read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip():
                continue
            parts = raw.split("|", 2)
            if len(parts) != 3:
                errors.append(f"{name}:{n}: expected channel|gold|text")
                continue
            channel, gold_s, text = (p.strip() for p in parts)
            if channel not in CHANNELS:
                errors.append(f"{name}:{n}: bad channel {channel!r}")
            gold = [] if gold_s == "-" else gold_s.split(",")
            bad = [g for g in gold if g not in SERVICES]
            if bad or len(set(gold)) != len(gold):
                errors.append(f"{name}:{n}: bad gold {gold_s!r}")
            if not text:
                errors.append(f"{name}:{n}: empty text")
            if text in seen:
                errors.append(f"{name}:{n}: duplicate text")
            seen.add(text)
            rows.append({"channel": channel, "text": text, "gold": sorted(set(gold))})
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows, 1):
            rec = {"id": f"y{i:03d}", **row}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} calls to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
