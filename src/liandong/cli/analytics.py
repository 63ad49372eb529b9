"""`liandong history import` (历史诉求导入) and `liandong hotspots` (热点问题)."""

from __future__ import annotations

import csv
import json
import sys
from contextlib import closing
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Optional

import typer

from liandong.cli.common import friendly_errors, settings
from liandong.core.clock import CST
from liandong.core.errors import InvalidInput

history_app = typer.Typer(help="历史诉求（history）", no_args_is_help=True)
calls_app = typer.Typer(help="话务数据（calls）：人工接通率所需的来电记录", no_args_is_help=True)
DbOpt = Annotated[Optional[str], typer.Option(help="数据库地址")]


def _rows(path: Path):
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidInput(f"无法读取文件「{path}」：{exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            raise InvalidInput(f"文件「{path.name}」没有表头")
        yield reader.fieldnames
        start = reader.line_num + 1
        for row in reader:
            yield start, row  # the line the record starts on (a quoted field may span lines)
            start = reader.line_num + 1


@history_app.command("import")
def history_import(
    csv_file: Annotated[Path, typer.Option("--csv", help="城市导出的历史诉求 CSV（UTF-8）")],
    map_spec: Annotated[str, typer.Option("--map", help="列映射：id=列,text=列,received_at=列[,subject=列,region=列,address=列,category=列,likes=列]")],
    db: DbOpt = None,
    source: Annotated[Optional[str], typer.Option(help="来源名称（缺省为文件名）")] = None,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="跳过问题行，导入其余各行")] = False,
    gazetteer: Annotated[bool, typer.Option(help="用本市地名库定位（导入其他城市的数据时用 --no-gazetteer）")] = True,
) -> None:
    """Import a city's past appeals: routed and placed, kept with their own ids, no orders dispatched."""
    from liandong.analytics.history import parse_map
    from liandong.app import Liandong

    with friendly_errors():
        columns = parse_map(map_spec)
        rows = _rows(csv_file)
        header = next(rows)
        missing = [c for c in columns.values() if c not in header]
        if missing:
            raise InvalidInput(f"文件中没有列：{'、'.join(missing)}（表头为：{'、'.join(header)}）")
        data = list(rows)
        with closing(Liandong(settings(db))) as ctx:
            with typer.progressbar(length=len(data), label="检查、分类、定位", file=sys.stderr) as bar:
                ready, bad = ctx.history_import.prepare(data, columns, bar.update, use_gazetteer=gazetteer)
            for b in bad[:50]:
                typer.echo(f"第{b.line}行：{b.reason}", err=True)
            if len(bad) > 50:
                typer.echo(f"……另有 {len(bad) - 50} 个问题行", err=True)
            if bad and not skip_bad:
                raise InvalidInput(f"共 {len(bad)} 个问题行，未导入任何行（修正后重试，或加 --skip-bad 跳过问题行）")
            with ctx.write() as session:
                n = ctx.history_import.store(session, ready, source=source or csv_file.name, now=ctx.clock.now())
            placed = sum(1 for p in ready if p.region or p.place)
            typer.echo(f"已导入 {n} 行（{placed} 行定位到地点），跳过问题行 {len(bad)} 行；未派发任何工单")


@calls_app.command("import")
def calls_import(
    csv_file: Annotated[Path, typer.Option("--csv", help="话务系统导出的来电记录 CSV（UTF-8）：call_id,arrived_at,answered,wait_seconds,operator[,abandoned]")],
    db: DbOpt = None,
) -> None:
    """Import the call centre's calls (话务数据) for 人工接通率: all rows checked first, bad rows reported by
    line and reason, and then either every row written in one transaction or none."""
    from liandong.analytics.calls import check_calls, check_header
    from liandong.analytics.calls_service import store_calls
    from liandong.app import Liandong

    with friendly_errors():
        rows = _rows(csv_file)
        check_header(list(next(rows)))
        calls, bad = check_calls(rows)
        for line, reason in bad[:50]:
            typer.echo(f"第{line}行：{reason}", err=True)
        if len(bad) > 50:
            typer.echo(f"……另有 {len(bad) - 50} 个问题行", err=True)
        if bad:
            raise InvalidInput(f"共 {len(bad)} 个问题行，未导入任何行（修正后重试）")
        if not calls:
            raise InvalidInput(f"文件「{csv_file.name}」没有来电记录")
        with closing(Liandong(settings(db))) as ctx:
            with ctx.write() as session:
                n = store_calls(session, calls, source=csv_file.name, now=ctx.clock.now())
        answered = sum(c.answered for c in calls)
        typer.echo(f"已导入 {n} 通来电（人工接通 {answered} 通，{calls[0].arrived_at:%Y-%m-%d}～"
                   f"{max(c.arrived_at for c in calls):%Y-%m-%d}）")


def _day(raw: str, what: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{what}「{raw}」应写作 2019-11-05") from None


def hotspots_command(
    date_from: Annotated[str, typer.Option("--from", help="起始日期（含），如 2019-01-01")],
    date_to: Annotated[str, typer.Option("--to", help="截止日期（含），如 2019-12-31")],
    top: Annotated[int, typer.Option(help="前 N 个热点")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    db: DbOpt = None,
) -> None:
    """The ranked hotspots of a period over imported history and live orders."""
    from liandong.analytics.hotspots import ranked_hotspots
    from liandong.app import Liandong

    with friendly_errors():
        start, end = _day(date_from, "起始日期"), _day(date_to, "截止日期")
        if end < start:
            raise InvalidInput("截止日期早于起始日期")
        if not 1 <= top <= 500:
            raise InvalidInput("--top 应在 1 到 500 之间")
        ctx = Liandong(settings(db))
        try:
            with ctx.read() as session:
                spots = ranked_hotspots(session, ctx.city, start=datetime.combine(start, time(0), CST),
                                        end=datetime.combine(end + timedelta(days=1), time(0), CST), top=top)
        finally:
            ctx.close()
        if as_json:
            typer.echo(json.dumps([s.to_dict() for s in spots], ensure_ascii=False, indent=1))
            return
        if not spots:
            typer.echo("该时段没有热点（同一地点同一类问题至少 2 条）")
        for s in spots:
            typer.echo(f"{s.rank:>3}  热度 {s.heat:>6}  {s.count:>4} 条  {s.first_at:%Y-%m-%d}～{s.last_at:%Y-%m-%d}  "
                       f"{s.description[:60]}")


def report_command(
    kind: Annotated[str, typer.Argument(help="weekly（周报）、monthly（月报）、quarterly（季报）、street（街镇画像）")],
    period: Annotated[str, typer.Option(help="统计周期：2019-W46、2019-11、2019-Q4")],
    out: Annotated[Path, typer.Option(help="输出文件")],
    fmt: Annotated[str, typer.Option("--format", help="xlsx 或 pdf")] = "pdf",
    street: Annotated[Optional[str], typer.Option(help="街镇画像的街镇代码（9位）")] = None,
    db: DbOpt = None,
) -> None:
    """Write a report (民情热点周报, 月报, 季报, 街镇画像) as XLSX or PDF, for the whole city."""
    from liandong.analytics.periods import parse_period
    from liandong.analytics.reports.data import build_report
    from liandong.analytics.reports.render import check_format, render_report
    from liandong.app import Liandong
    from liandong.core.actors import Actor, Role

    with friendly_errors():
        check_format(fmt)
        with closing(Liandong(settings(db))) as ctx:
            city_admin = Actor("report", Role.ADMIN)
            today = ctx.clock.now().date()
            days = [d for d in parse_period(period).days() if d <= today]
            with typer.progressbar(days, label="趋势研判（逐日）", file=sys.stderr) as bar, ctx.write() as session:
                for day in bar:
                    ctx.warnings.scan(session, day=day, now=ctx.clock.now())
            with ctx.read() as session:
                data = build_report(session, ctx.analytics, city_admin, kind=kind, period_text=period, street=street,
                                    now=ctx.clock.now(), progress=lambda s: typer.echo(f"… {s}", err=True))
            typer.echo("… 排版", err=True)
            content = render_report(data, fmt, ctx.analytics.kpis.composite.weights)
            out.write_bytes(content)
            typer.echo(f"已写出 {data.title}（{data.period.label}）：{out}（{len(content) // 1024} KB）")


def rollup_command(
    days: Annotated[int, typer.Option(help="重算最近多少天的日汇总（含今天之前的各天）")] = 90,
    db: DbOpt = None,
) -> None:
    """Recompute the daily roll-up of the measures (日汇总) for the last N days; run it nightly."""
    from liandong.analytics.rollup import refresh
    from liandong.app import Liandong

    with friendly_errors():
        if not 1 <= days <= 3660:
            raise InvalidInput("--days 应在 1 到 3660 之间")
        ctx = Liandong(settings(db))
        now = ctx.clock.now()
        try:
            with ctx.write() as session:
                n = refresh(session, ctx.analytics.kpis, start=now.date() - timedelta(days=days), end=now.date(),
                            as_of=now)
        finally:
            ctx.close()
        typer.echo(f"已重算最近 {days} 天的日汇总：{n} 行")
