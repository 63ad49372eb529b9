"""A city's hand-written phrasings per list item (分流训练语料), `cities/<city>/corpus.yaml`.

The templated corpus (`corpus.py`) varies openers and places around an item's keywords; callers rarely say
the keywords. Hand-written phrasings — paraphrase, colloquial and transcribed speech, danger without alarm
words, police-sounding words in department matters — are what lets the model hold on calls it has not seen.
Optional: a city without the file trains on the templated corpus alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from liandong.core.errors import ConfigError
from liandong.core.yamlfile import LINE_KEY, load_yaml

MAX_LEN = 500


def _key_lines(path: Path) -> dict[str, int]:
    lines = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if m := re.match(r"\s+([A-Za-z][\w-]*)\s*:", line):
            lines.setdefault(m.group(1), n)
    return lines


def load_phrasings(path: Path, codes: set[str]) -> dict[str, tuple[str, ...]]:
    """item code → phrasings; an unknown code, an empty or overlong phrasing is refused with file and line."""
    if not path.exists():
        return {}
    data = load_yaml(path)
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, dict):
        raise ConfigError(str(path), "语料文件须有 items：事项编号 → 说法列表", line=1)
    lines = _key_lines(path)
    out: dict[str, tuple[str, ...]] = {}
    for code, texts in items.items():
        if code == LINE_KEY:
            continue
        line = lines.get(code)
        if code not in codes:
            raise ConfigError(str(path), f"语料中的事项编号 {code} 不在本市分流清单中", line=line)
        if not isinstance(texts, list) or not texts:
            raise ConfigError(str(path), f"事项 {code} 的说法须为非空列表", line=line)
        clean = []
        for t in texts:
            if not isinstance(t, str) or not t.strip() or len(t) > MAX_LEN:
                raise ConfigError(str(path), f"事项 {code} 有空的或超过 {MAX_LEN} 字的说法", line=line)
            clean.append(t.strip())
        out[code] = tuple(dict.fromkeys(clean))
    return out
