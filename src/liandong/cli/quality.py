"""`liandong quality check`: score an export of past replies before going live (历史答复质检).

    liandong quality check --csv replies.csv --text-col text --reply-col reply \
        [--subject-col subject] [--received-col received_at] [--replied-col replied_at] [--id-col id] [--json]
        [--city demo | --rules my-quality.yaml]

--rules tries a city's own rules file (the format of cities/<city>/quality.yaml) before it is installed; it is
validated exactly as on load, so an unknown rule or a bad parameter is named with the file and the line.

Without --json: a summary in Chinese (outcomes, the most frequent findings). With --json: one JSON object
per row on stdout (id, score, outcome, findings with their spans). Bad input: a Chinese message, exit 2.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from liandong.core.errors import LiandongError
from liandong.quality.batch import Columns, check_rows, inspection_json, summary
from liandong.quality.inspector import Inspector
from liandong.quality.model import OUTCOME_LABELS, Outcome
from liandong.quality.rules import load_city_quality, load_quality_rules
from liandong.supervision.limits import load_city_time_limits

app = typer.Typer(help="质检：来电记录与答复的质量检查", no_args_is_help=True, add_completion=False)
USAGE_EXIT = 2
Col = Annotated[Optional[str], typer.Option()]


@app.callback()
def _group() -> None:
    """质检（quality inspection）工具。"""


def _fail(message: str) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(USAGE_EXIT)


@app.command("check")
def check(
    csv_path: Annotated[Path, typer.Option("--csv", help="CSV 文件（UTF-8，首行为列名）")],
    text_col: Annotated[str, typer.Option(help="诉求内容所在列")],
    reply_col: Annotated[str, typer.Option(help="答复内容所在列")],
    subject_col: Annotated[Optional[str], typer.Option(help="诉求标题所在列")] = None,
    id_col: Annotated[Optional[str], typer.Option(help="编号所在列")] = None,
    kind_col: Annotated[Optional[str], typer.Option(help="诉求类型（投诉/咨询…）所在列")] = None,
    received_col: Annotated[Optional[str], typer.Option(help="受理时间所在列")] = None,
    replied_col: Annotated[Optional[str], typer.Option(help="答复时间所在列")] = None,
    city: Annotated[str, typer.Option(help="城市规则目录")] = "demo",
    rules_path: Annotated[Optional[Path], typer.Option("--rules", help="改用此质检规则文件（格式同 quality.yaml）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="逐条输出 JSON")] = False,
) -> None:
    """Score every reply of a CSV export against the city's rules."""
    try:
        handle = csv_path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        _fail(f"无法读取文件 {csv_path}：{exc.strerror}")
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        wanted = {"--text-col": text_col, "--reply-col": reply_col, "--subject-col": subject_col, "--id-col": id_col,
                  "--kind-col": kind_col, "--received-col": received_col, "--replied-col": replied_col}
        missing = [f"{opt} {name}" for opt, name in wanted.items() if name and name not in header]
        if missing:
            _fail(f"CSV 中没有这些列：{'、'.join(missing)}；文件的列为：{'、'.join(header) or '（空）'}")
        try:
            rows = list(reader)
        except (csv.Error, UnicodeDecodeError) as exc:
            _fail(f"CSV 无法解析：{exc}")
    try:
        if rules_path is not None and not rules_path.is_file():
            _fail(f"找不到质检规则文件 {rules_path}")
        rules = load_city_quality(city) if rules_path is None else load_quality_rules(rules_path)
        inspector = Inspector(rules, load_city_time_limits(city).working_calendar())
    except LiandongError as exc:
        _fail(exc.message)
    columns = Columns(text=text_col, reply=reply_col, subject=subject_col, id=id_col, kind=kind_col,
                      received=received_col, replied=replied_col)
    results = check_rows(rows, columns, inspector)
    if as_json:
        for key, inspection in results:
            sys.stdout.write(json.dumps(inspection_json(key, inspection), ensure_ascii=False) + "\n")
        return
    s = summary(results)
    typer.echo(f"共 {s['rows']} 条答复，平均 {s['mean_score']} 分")
    for outcome in Outcome:
        typer.echo(f"  {OUTCOME_LABELS[outcome]}：{s['outcomes'].get(outcome.value, 0)}")
    typer.echo("质检发现（按条数）：")
    for rule, row in s["rules"].items():
        typer.echo(f"  {row['label']}（{rule}）：{row['count']} 条，占 {row['share']:.1%}")
