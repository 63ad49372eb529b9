"""`liandong`: the command line. Every command reads LIANDONG_DATABASE_URL unless --db is given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from liandong.cli.analytics import calls_app, history_app, hotspots_command, report_command, rollup_command
from liandong.cli.audit import app as audit_app
from liandong.cli.common import friendly_errors, settings
from liandong.cli.consumers import consumer_app
from liandong.cli.share import share_app
from liandong.cli.demo import demo
from liandong.cli.knowledge import app as knowledge_app
from liandong.cli.model import app as model_app
from liandong.cli.quality import app as quality_app
from liandong.cli.ops import backup_command, prepare_metrics_dir, restore_command, worker_command
from liandong.cli.route import route_command
from liandong.cli.sla import app as sla_app
from liandong.cli.subscriber import app as subscriber_app
from liandong.cli.users import token, user_app

app = typer.Typer(help="联动 Liandong：12345 与 110 对接联动平台", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="数据库（database）", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.command("token")(token)
app.command("demo")(demo)
app.add_typer(sla_app, name="sla")
app.command("route")(route_command)
app.add_typer(model_app, name="model")
app.add_typer(audit_app, name="audit")
app.add_typer(knowledge_app, name="knowledge")
app.add_typer(history_app, name="history")
app.add_typer(calls_app, name="calls")
app.command("hotspots")(hotspots_command)
app.command("report")(report_command)
app.add_typer(quality_app, name="quality")
app.add_typer(consumer_app, name="consumer")
app.add_typer(share_app, name="share")
app.add_typer(subscriber_app, name="subscriber")
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.command("worker")(worker_command)
app.command("rollup")(rollup_command)
supervise_app = typer.Typer(help="督办检查（supervision checks）", no_args_is_help=True)
app.add_typer(supervise_app, name="supervise")

DbOpt = Annotated[Optional[str], typer.Option(help="数据库地址，如 sqlite:///./var/liandong.db 或 postgresql+psycopg://…")]


@app.callback()
def _logging() -> None:
    """联动 Liandong：12345 与 110 对接联动平台"""
    from liandong.ops.logs import configure_from_env

    configure_from_env()  # JSON log lines when LIANDONG_LOG_FORMAT / LIANDONG_LOG_FILE is set


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = None) -> None:
    """Create or upgrade the schema to the newest migration."""
    from liandong.storage.migrate import upgrade

    with friendly_errors():
        s = settings(db)
        upgrade(s.database_url)
        typer.echo(f"数据库已升级到最新版本：{s.database_url.split('@')[-1]}")


@app.command()
def serve(
    db: DbOpt = None,
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    platform: Annotated[str, typer.Option(help="本平台：12345、110，或最简接收台 119 / 120")] = "12345",
    peers: Annotated[Optional[Path], typer.Option(help="对端平台配置 peers.yaml（平台互通；缺省 LIANDONG_PEERS_FILE）")] = None,
    workers: Annotated[int, typer.Option(help="工作进程数（PostgreSQL 时可大于1）")] = 1,
    migrate: Annotated[bool, typer.Option(help="启动前先升级数据库")] = True,
    jobs: Annotated[bool, typer.Option(help="本进程是否运行后台任务（--no-jobs：由 liandong worker 运行）")] = True,
) -> None:
    """Serve the HTTP API (its OpenAPI at /openapi.json)."""
    import os

    import uvicorn

    from liandong.storage.migrate import upgrade

    with friendly_errors():
        s = settings(db, platform=platform, peers_file=peers)
        os.environ["LIANDONG_PLATFORM"] = platform
        if not jobs:
            os.environ["LIANDONG_JOBS"] = "none"
        prepare_metrics_dir()  # before the workers start: each writes its metrics there (prometheus multiprocess)
        if peers:
            os.environ["LIANDONG_PEERS_FILE"] = str(peers.resolve())
        if migrate:
            upgrade(s.database_url)
        if s.peers_file:
            from liandong.app import Liandong

            Liandong(s).exchange  # noqa: B018 — check the peers file, keys and city data before serving
        uvicorn.run("liandong.api.asgi:app_factory", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", access_log=False, timeout_keep_alive=75,
                    timeout_worker_healthcheck=60)  # a worker loads the city's model before it is ready (>5 s on a busy machine)


@app.command()
def schemas(out: Annotated[Path, typer.Option(help="输出目录")] = Path("docs/schemas")) -> None:
    """Write the standard data format as JSON Schema files."""
    from liandong.standard import SCHEMAS, json_schema

    out.mkdir(parents=True, exist_ok=True)
    for name in sorted(SCHEMAS):
        (out / f"{name}.json").write_text(json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    typer.echo(f"已写出 {len(SCHEMAS)} 个数据格式到 {out}")


@supervise_app.command("run")
def supervise_run(db: DbOpt = None) -> None:
    """One supervision pass now: warning lights, 催办 and 督办 where due (for cron or by hand)."""
    from liandong.app import Liandong

    with friendly_errors():
        ctx = Liandong(settings(db))
        r = ctx.supervision.run_checks(ctx.write, ctx.clock.now())
        typer.echo(f"检查 {r.checked} 单：黄灯 {r.yellow}，红灯 {r.red}，催办 {r.chased}，督办 {r.supervised}")
