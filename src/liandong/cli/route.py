"""`liandong route --jsonl FILE [--city NAME]` — route appeals, one JSON object a line in and out (分流)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from liandong.core.errors import LiandongError
from liandong.routing.router import load_router
from liandong.routing.text import validate

BATCH = 512


def _out(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def decision_line(case_id: object, d) -> dict:
    return {
        "id": case_id,
        "services": list(d.services),
        "category": {"code": d.category_code, "name": d.category_name, "group": d.category_group,
                     "list": d.category_list, "kind": d.kind},
        "unit": d.unit_function,
        "level": d.level,
        "level_reasons": d.level_reasons,
        "confidence": d.confidence,
        "review": d.review,
        "reasons": d.reasons,
    }


def route_command(
    jsonl: Annotated[Path, typer.Option("--jsonl", help="每行一个 JSON：id、text、channel")],
    city: Annotated[str, typer.Option("--city", help="城市配置名")] = "demo",
) -> None:
    """Route appeals from a JSONL file; print one JSON decision a line (a bad line gets an error object)."""
    try:
        router = load_router(city)
        lines = jsonl.read_text(encoding="utf-8").splitlines()
    except (LiandongError, OSError) as exc:
        typer.echo(f"错误：{getattr(exc, 'message', exc)}", err=True)
        raise typer.Exit(2) from None
    pending: list[tuple[object, dict | None, str | None]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError
        except ValueError:
            pending.append((None, None, f"第 {n} 行不是合法的 JSON 对象"))
            continue
        try:
            validate(obj.get("text"), obj.get("channel", "12345"))
            pending.append((obj.get("id"), obj, None))
        except LiandongError as exc:
            pending.append((obj.get("id"), None, exc.message))
    for start in range(0, len(pending), BATCH):
        chunk = pending[start : start + BATCH]
        good = [obj for _, obj, err in chunk if err is None]
        decisions = iter(router.route_many(good))
        for case_id, obj, err in chunk:
            _out({"id": case_id, "error": err} if err else decision_line(case_id, next(decisions)))
