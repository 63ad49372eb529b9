"""`liandong backup | restore | worker`: operations commands (运维).

    liandong backup --out /srv/backup/2026-12-02           # pg_dump / SQLite online backup + manifest
    liandong restore /srv/backup/2026-12-02 [--db URL]     # restore, compare row counts, verify the audit chain
    liandong worker --jobs supervision,exchange            # the background jobs in a process of their own
"""

from __future__ import annotations

import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Annotated, Optional

import typer

from liandong.cli.common import friendly_errors, settings
from liandong.core.errors import ConfigError

DbOpt = Annotated[Optional[str], typer.Option(help="数据库地址（缺省 LIANDONG_DATABASE_URL）")]
ROOTS = "audit-roots.jsonl"


def backup_command(
    out: Annotated[Path, typer.Option(help="备份目录（新建或空目录）")],
    db: DbOpt = None,
    roots: Annotated[Optional[Path], typer.Option(help="同时备份的审计日根存证文件（缺省 var/audit-roots.jsonl，存在时）")] = None,
) -> None:
    """Back up the database (PostgreSQL: pg_dump; SQLite: online backup) with a manifest of row counts."""
    from liandong.ops.backup import backup

    with friendly_errors():
        s = settings(db)
        manifest = backup(s.database_url, out)
        source = roots or Path("var") / ROOTS
        if source.exists():
            shutil.copy2(source, out / ROOTS)
        total = sum(manifest.counts.values())
        typer.echo(f"已备份到 {out}：{len(manifest.counts)} 张表 {total} 行，数据库版本 {'、'.join(manifest.schema_version)}")


def restore_command(
    directory: Annotated[Path, typer.Argument(help="备份目录（liandong backup --out 的目录）")],
    db: DbOpt = None,
) -> None:
    """Restore a backup into the database, check every table's rows are back, and verify the audit chain."""
    from liandong.app import Liandong
    from liandong.ops.backup import check, restore
    from liandong.orders import audit

    with friendly_errors():
        s = settings(db)
        manifest = restore(directory, s.database_url)
        missing = check(manifest, s.database_url)
        if missing:
            for name, (was, now) in sorted(missing.items()):
                typer.echo(f"表 {name}：备份中 {was} 行，恢复后 {now} 行", err=True)
            sys.exit(1)
        ctx = Liandong(s)
        try:
            with ctx.read() as session:
                report = audit.verify(session)
        finally:
            ctx.close()
        entries = audit.read_roots(directory / ROOTS) if (directory / ROOTS).exists() else []
        broken = report.broken + audit.check_roots(report, entries, s.audit_key)
        if broken:
            typer.echo(f"恢复后审计记录核验失败：{broken[0]}（共 {len(broken)} 处）", err=True)
            sys.exit(1)
        typer.echo(f"已恢复 {len(manifest.counts)} 张表 {sum(manifest.counts.values())} 行；"
                   f"审计记录完整：{report.orders} 张工单、{report.events} 条记录")


def worker_command(
    jobs: Annotated[str, typer.Option(help="运行的后台任务：all，或逗号分隔，如 supervision,exchange")] = "all",
    db: DbOpt = None,
    tick: Annotated[float, typer.Option(help="检查到期任务的间隔（秒）")] = 1.0,
) -> None:
    """Run background jobs in a process of their own (with `liandong serve --no-jobs` for the serving ones)."""
    from liandong.app import Liandong
    from liandong.ops.jobs import JobRunner, select_jobs
    from liandong.ops.logs import configure_from_env

    configure_from_env(default_format="json")
    with friendly_errors():
        ctx = Liandong(settings(db))
        try:
            leased, relay = select_jobs(jobs, ctx.jobs)
        except ValueError as exc:
            raise ConfigError("--jobs", str(exc)) from None
        if relay and ctx.exchange is None:
            relay = False
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        runner = JobRunner(leased, ctx.write, ctx.clock, tick=tick).start()
        if relay:
            ctx.start_exchange(watch=False)
        typer.echo(f"后台任务进程已启动：{'、'.join(j.name for j in leased) or '无'}{'，互通转发' if relay else ''}", err=True)
        try:
            stop.wait()
        finally:
            runner.stop()
            ctx.close()


MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"  # not imported from ops.metrics: prometheus_client must not load before it is set


def prepare_metrics_dir() -> None:
    """A fresh PROMETHEUS_MULTIPROC_DIR for this `serve` (unless the operator set one): the worker processes
    write their samples there and any of them answers a scrape for all."""
    import os
    import tempfile

    path = os.environ.get(MULTIPROC_ENV)
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
        for stale in Path(path).glob("*.db"):
            stale.unlink()
        return
    os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="liandong-metrics-")
