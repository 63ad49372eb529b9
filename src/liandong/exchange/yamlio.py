"""The exchange's city files (mapping, peers, linkage) read through the one line-numbered YAML loader."""

from __future__ import annotations

from pathlib import Path

from liandong.core.errors import ConfigError
from liandong.core.yamlfile import LINE_KEY as LINE
from liandong.core.yamlfile import load_yaml, strip_lines

__all__ = ["LINE", "line_of", "load", "strip"]


def load(path: str | Path) -> dict:
    data = load_yaml(Path(path))
    if not isinstance(data, dict):
        raise ConfigError(str(path), "顶层必须是映射（key: value）", line=1)
    return data


def line_of(node: object) -> int | None:
    return node.get(LINE) if isinstance(node, dict) else None


strip = strip_lines
