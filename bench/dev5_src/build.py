"""Number the hand-typed `channel|gold|text` lines in bench/dev5_src/*.txt and
write them as JSONL. No text is generated here: each line is used as typed.

gold is a comma-separated list of services, or "-" for an empty list.
Lines that are blank or start with '#' are skipped.
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "src/liandong/cities/demo/calls/routing_dev5.jsonl"
SERVICES = {"110", "119", "120", "12345"}


def main() -> int:
    rows = []
    for src in sorted(HERE.glob("*.txt")):
        for n, line in enumerate(src.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            channel, gold, text = line.split("|", 2)
            gold_list = [] if gold.strip() == "-" else sorted(g.strip() for g in gold.split(","))
            if channel not in ("12345", "110") or not set(gold_list) <= SERVICES or not text.strip():
                raise SystemExit(f"{src.name}:{n}: bad line: {line}")
            if len(set(gold_list)) != len(gold_list):
                raise SystemExit(f"{src.name}:{n}: duplicate gold: {line}")
            rows.append({"channel": channel, "text": text.strip(), "gold": gold_list})
    texts = [r["text"] for r in rows]
    if len(set(texts)) != len(texts):
        raise SystemExit("duplicate texts")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for i, r in enumerate(rows, 1):
            fh.write(json.dumps({"id": f"v{i:03d}", **r}, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} calls to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
