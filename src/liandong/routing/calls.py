"""A city's labelled calls (已标注来电), `cities/<city>/calls/*.jsonl`: what the desks should have done.

One JSON object a line: `{"id", "channel": "12345" | "110", "text", "gold": [services that must act]}`, where
services are 110, 119, 120 and 12345 (`[]`: neither platform, explain and refer). They train the learned
danger detector (`danger_model.py`) and are the development and regression sets of the router's tests. A
city adds its own history here; the demo city ships the project's hand-written development cases. A bad
line is refused with file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from liandong.core.errors import ConfigError

SERVICES = frozenset({"110", "119", "120", "12345"})
CHANNELS = frozenset({"12345", "110"})


@dataclass(frozen=True)
class LabelledCall:  # 已标注来电
    id: str
    channel: str
    text: str
    gold: frozenset[str]
    weight: float = 1.0  # in training: a list item's own example counts more than one call (danger_model.training_calls)


def read_calls(path: Path) -> list[LabelledCall]:
    out: list[LabelledCall] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(str(path), f"不是合法的 JSON：{exc.msg}", line=n) from None
        text, gold, channel = row.get("text") if isinstance(row, dict) else None, row.get("gold"), row.get("channel", "12345")
        if not isinstance(text, str) or not text.strip():
            raise ConfigError(str(path), "缺少来电内容 text", line=n)
        if not isinstance(gold, list) or not set(gold) <= SERVICES:
            raise ConfigError(str(path), f"gold 须为 {sorted(SERVICES)} 中服务的列表", line=n)
        if channel not in CHANNELS:
            raise ConfigError(str(path), f"未知的受理渠道「{channel}」", line=n)
        out.append(LabelledCall(str(row.get("id", f"{path.stem}:{n}")), channel, text, frozenset(gold)))
    return out


def load_calls(directory: Path) -> tuple[LabelledCall, ...]:
    """Every labelled call of a city, files in name order; none when the city has no `calls/` folder."""
    if not directory.is_dir():
        return ()
    return tuple(call for path in sorted(directory.glob("*.jsonl")) for call in read_calls(path))
