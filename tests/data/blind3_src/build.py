#!/usr/bin/env python3
"""Turn the hand-written lines of this folder into routing_blind3.jsonl and places_labelled2.jsonl.

routing_*.txt: `channel|gold|text`, gold `110+120` or `-` for none. places_*.txt: `text|address|place|single`,
place a gazetteer name or a region name (or `-` for no place of the city); its code is looked up here.
No text is generated: every line was typed by hand. Ids are assigned in a fixed shuffled order.
"""
import json
import random
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
CITY = HERE.parents[2] / "src" / "liandong" / "cities" / "demo"


def routing():
    rows = []
    for f in sorted(HERE.glob("routing_*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            channel, gold, text = line.split("|", 2)
            rows.append({"channel": channel, "text": text.strip(), "gold": [] if gold == "-" else gold.split("+")})
    random.Random(3).shuffle(rows)
    with open(DATA / "routing_blind3.jsonl", "w", encoding="utf-8") as out:
        for i, r in enumerate(rows, 1):
            out.write(json.dumps({"id": f"d{i:03d}", **r}, ensure_ascii=False) + "\n")
    return len(rows)


def places():
    regions = {x["name"]: x["code"] for x in yaml.safe_load((CITY / "city.yaml").read_text(encoding="utf-8"))["regions"]}
    gaz = {x["name"]: x["region"] for x in yaml.safe_load((CITY / "places.yaml").read_text(encoding="utf-8"))["places"]}
    rows = []
    for f in sorted(HERE.glob("places_*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            text, address, place, single = line.split("|")
            code = "" if place == "-" else (gaz.get(place) or regions[place])
            rows.append({"text": text.strip(), "address": address.strip(), "gold_region": code,
                         "gold_street": code[:9], "single": single == "1"})
    random.Random(3).shuffle(rows)
    with open(DATA / "places_labelled2.jsonl", "w", encoding="utf-8") as out:
        for i, r in enumerate(rows, 1):
            out.write(json.dumps({"id": f"q{i:03d}", **r}, ensure_ascii=False) + "\n")
    return len(rows)


if __name__ == "__main__":
    print(routing(), places())
