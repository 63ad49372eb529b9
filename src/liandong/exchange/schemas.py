"""JSON Schema per message kind, and the files under `docs/schemas/exchange/` generated from them.

Regenerate with `python -m liandong.exchange.schemas docs/schemas/exchange`; a unit test fails when
the committed files drift from the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from liandong.exchange.messages import MESSAGE_TYPES, PROTOCOL, Kind


def json_schema(kind: Kind | str) -> dict:
    """The JSON Schema (draft 2020-12) of one message kind."""
    kind = Kind(kind)
    schema = MESSAGE_TYPES[kind].model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://liandong.example/schemas/exchange/{kind.value}.json"
    schema["title"] = f"{PROTOCOL} {kind.value}"
    # On the wire every envelope field is present (nulls included), even those our models default.
    schema["required"] = list(schema["properties"])
    return schema


def render(kind: Kind | str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in Kind:
        path = directory / f"{kind.value}.json"
        path.write_text(render(kind), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas/exchange")):
        print(p)
