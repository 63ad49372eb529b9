"""`liandong audit …`: the evidence that the audit trail (审计记录) is what was written.

    liandong audit verify [--db URL] [--since 2026-11-01] [--roots var/audit-roots.jsonl]
    liandong audit seal   [--db URL] [--through 2026-11-30] [--roots …]

`verify` recomputes each order's hash chain and each day's root, compares them with the signed roots
file when there is one, prints the first broken link (order number and event seq) and exits 1 when
anything is broken, 0 when the trail verifies. `seal` appends finished days' roots to the roots file,
signed with HMAC under LIANDONG_AUDIT_KEY (run it daily, e.g. from cron, after midnight).
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Optional

import typer

from liandong.app import Liandong
from liandong.cli.common import friendly_errors, settings
from liandong.core.clock import CST
from liandong.orders import audit

app = typer.Typer(help="审计记录防篡改核验（audit trail）", no_args_is_help=True, add_completion=False)
DbOpt = Annotated[Optional[str], typer.Option(help="数据库地址（缺省 LIANDONG_DATABASE_URL）")]
RootsOpt = Annotated[Optional[Path], typer.Option(help="签名的日根存证文件（缺省 数据目录/audit-roots.jsonl）")]
BROKEN_EXIT = 1


def _default_roots() -> Path:
    return Path(os.environ.get("LIANDONG_VAR_DIR") or Path.cwd() / "var") / audit.ROOTS_FILE


def _day(raw: str | None, option: str) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        typer.echo(f"错误：{option} 应为日期，如 2026-11-01，实际为「{raw}」", err=True)
        sys.exit(2)


@app.command("verify")
def verify_command(
    db: DbOpt = None,
    since: Annotated[Optional[str], typer.Option(help="只核验该日（含）以后有记录的工单，如 2026-11-01")] = None,
    roots: RootsOpt = None,
) -> None:
    """Recompute the hash chains and daily roots; name the first broken link; exit 1 if any."""
    start = _day(since, "--since")
    with friendly_errors():
        s = settings(db)
        ctx = Liandong(s)
        try:
            with ctx.read() as session:
                report = audit.verify(session, since=start)
        finally:
            ctx.close()
        path = roots or _default_roots()
        entries = audit.read_roots(path)
        broken = report.broken + audit.check_roots(report, entries, s.audit_key, since=start)
        sealed = f"，对照存证文件 {path} 的 {len(entries)} 天" if entries else "（无签名存证文件）"
        typer.echo(f"核验 {report.orders} 张工单、{report.events} 条审计记录、{len(report.days)} 天的日根{sealed}")
        if broken:
            typer.echo(f"审计记录被改动：{broken[0]}（共 {len(broken)} 处）", err=True)
            for b in broken[1:10]:
                typer.echo(f"  另：{b}", err=True)
            sys.exit(BROKEN_EXIT)
        typer.echo("审计记录完整：全部哈希链与日根一致")


@app.command("seal")
def seal_command(
    db: DbOpt = None,
    through: Annotated[Optional[str], typer.Option(help="存证到该日（含），缺省昨天")] = None,
    roots: RootsOpt = None,
) -> None:
    """Append each finished day's root (HMAC-signed) to the append-only roots file."""
    last = _day(through, "--through") or (datetime.now(CST).date() - timedelta(days=1))
    with friendly_errors():
        s = settings(db)
        ctx = Liandong(s)
        try:
            with ctx.read() as session:
                report = audit.verify(session)
        finally:
            ctx.close()
        if report.broken:
            typer.echo(f"审计记录已被改动，不予存证：{report.broken[0]}", err=True)
            sys.exit(BROKEN_EXIT)
        path = roots or _default_roots()
        days = audit.seal(report, path, s.audit_key, through=last)
        typer.echo(f"已存证 {len(days)} 天的日根到 {path}" + (f"：{'、'.join(d.isoformat() for d in days)}" if days else ""))
