"""YAML loading that remembers line numbers, so a ConfigError can name file and line."""

from __future__ import annotations

from pathlib import Path

import yaml

from liandong.core.errors import ConfigError

LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = loader.construct_mapping(node, deep=deep)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(path: str | Path) -> dict:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), f"无法读取文件：{exc.strerror}") from exc
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ConfigError(str(path), f"YAML 语法错误：{exc.problem}", line=line) from exc
    if not isinstance(data, dict):
        raise ConfigError(str(path), "顶层必须是映射（key: value）", line=1)
    return data


def line_of(node: object) -> int | None:
    return node.get(LINE) if isinstance(node, dict) else None


def strip(node: object) -> object:
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k != LINE}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node
