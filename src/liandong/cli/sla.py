"""`liandong sla …`: working-time deadlines from the command line (办理时限计算).

    liandong sla due --start "2026-09-30 16:00" --working-days 3 [--city demo]
    2026-10-10 17:30

The only line on stdout is the deadline; a note about a provisional calendar goes to stderr.
Bad input prints a Chinese message to stderr and exits with code 2.
"""

from __future__ import annotations

from datetime import datetime

import typer

from liandong.core.errors import LiandongError
from liandong.supervision.deadlines import due_at
from liandong.supervision.limits import load_city_time_limits

app = typer.Typer(help="办理时限：按工作日历计算截止时间", no_args_is_help=True, add_completion=False)

USAGE_EXIT = 2


@app.callback()
def _group() -> None:
    """办理时限（SLA）工具。"""


def _fail(message: str) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(USAGE_EXIT)


def _parse_start(text: str) -> datetime:
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    _fail(f"开始时间格式应为 YYYY-MM-DD HH:MM（北京时间），收到：{text!r}")
    raise AssertionError  # unreachable


def _parse_number(text: str, *, integer: bool, what: str) -> float:
    try:
        return int(text) if integer else float(text)
    except ValueError:
        _fail(f"{what}必须是{'整数' if integer else '数字'}，收到：{text!r}")
        raise AssertionError from None  # unreachable


@app.command()
def due(
    start: str = typer.Option("", "--start", help="开始时间 YYYY-MM-DD HH:MM（北京时间）"),
    working_days: str = typer.Option("", "--working-days", help="工作日数（办结于第 N 个工作日下班时）"),
    working_hours: str = typer.Option("", "--working-hours", help="工作小时数（可带小数）"),
    city: str = typer.Option("demo", "--city", help="城市配置名，决定工作时间和节假日调整"),
) -> None:
    """打印截止时间（YYYY-MM-DD HH:MM）。"""
    if not start:
        _fail("请用 --start 指定开始时间，格式 YYYY-MM-DD HH:MM")
    if bool(working_days) == bool(working_hours):
        _fail("请指定 --working-days 或 --working-hours 之一（二选一）")
    moment = _parse_start(start)
    try:
        cal = load_city_time_limits(city).working_calendar()
        if working_days:
            result = due_at(moment, cal, working_days=int(_parse_number(working_days, integer=True, what="工作日数")))
        else:
            result = due_at(moment, cal, working_hours=_parse_number(working_hours, integer=False, what="工作小时数"))
    except LiandongError as exc:
        _fail(exc.message)
        return
    typer.echo(result.strftime("%Y-%m-%d %H:%M"))
    if cal.provisional_between(moment.date(), result.date()):
        typer.echo("注意：所跨日期超出已发布的节假日安排，按周末规则和城市配置推算，安排公布后可能变动", err=True)
