"""Loading city YAML with line numbers, so that a validation error names the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from liandong.core.errors import ConfigError

LINE_KEY = "__line__"


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; every mapping carries its line under `__line__`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), f"无法读取文件：{exc.strerror}") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(str(path), f"YAML 语法错误：{getattr(exc, 'problem', exc)}", line=mark.line + 1 if mark else None) from exc


def strip_lines(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: strip_lines(v) for k, v in data.items() if k != LINE_KEY}
    if isinstance(data, list):
        return [strip_lines(v) for v in data]
    return data


def validate(model: type[BaseModel], data: Any, path: Path) -> BaseModel:
    """Validate parsed YAML against a pydantic model; the first error names its file and line."""
    try:
        return model.model_validate(strip_lines(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        where = ".".join(map(str, loc))
        message = err["msg"].removeprefix("Value error, ")
        raise ConfigError(str(path), f"{where}: {message}" if where else message, line=line_of(data, loc)) from exc


def line_of(data: Any, loc: tuple) -> int | None:
    """The line of the deepest mapping along `loc` (a pydantic error location) in parsed YAML."""
    line = data.get(LINE_KEY) if isinstance(data, dict) else None
    node = data
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and LINE_KEY in node:
            line = node[LINE_KEY]
    return line
