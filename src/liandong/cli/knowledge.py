"""`liandong knowledge …`: the knowledge base (知识库) from the command line.

    liandong knowledge import FILE.xlsx|FILE.yaml [--publish] [--db URL]
    liandong knowledge export FILE.xlsx [--db URL]
    liandong knowledge search TEXT [--region CODE] [--limit 3] --json

`search --json` prints `[{entry_id, version, question, answer, score}]`, `[]` for no answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from liandong.app import Liandong
from liandong.cli.common import friendly_errors, settings
from liandong.core.actors import Actor, Role
from liandong.demo.knowledge import yaml_rows
from liandong.knowledge.transfer import export_rows, import_rows
from liandong.knowledge.xlsx import read_xlsx, write_xlsx

app = typer.Typer(help="知识库：导入、导出、检索", no_args_is_help=True, add_completion=False)
DbOpt = Annotated[Optional[str], typer.Option(help="数据库地址（缺省 LIANDONG_DATABASE_URL）")]
CLI_ACTOR = Actor("cli", Role.KNOWLEDGE_ADMIN)


@app.command("import")
def import_(path: Path, publish: Annotated[bool, typer.Option(help="导入即发布（已审定的知识库）")] = False,
            db: DbOpt = None) -> None:
    """导入 XLSX 或 YAML；任一行有误则整批不导入。"""
    with friendly_errors():
        rows = yaml_rows(path) if path.suffix in (".yaml", ".yml") else read_xlsx(path.read_bytes())
        ctx = Liandong(settings(db))
        try:
            with ctx.write() as session:
                result = import_rows(ctx.knowledge, session, rows, actor=CLI_ACTOR, now=ctx.clock.now(), publish=publish)
        finally:
            ctx.close()
    typer.echo(f"已导入：新建 {result['created']} 条，更新 {result['updated']} 条")


@app.command("export")
def export(path: Path, db: DbOpt = None) -> None:
    """导出每个条目的最新版本为 XLSX。"""
    with friendly_errors():
        ctx = Liandong(settings(db))
        try:
            with ctx.read() as session:
                rows = export_rows(session)
        finally:
            ctx.close()
    path.write_bytes(write_xlsx(rows))
    typer.echo(f"已导出 {len(rows)} 条到 {path}")


@app.command("search")
def search(text: str, region: Annotated[Optional[str], typer.Option(help="来电所在区划代码")] = None,
           limit: int = 3, as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
           db: DbOpt = None) -> None:
    """检索知识库；没有合适口径时输出 []。"""
    with friendly_errors():
        ctx = Liandong(settings(db))
        try:
            if region:
                ctx.city.region(region)
            hits = [h.to_dict() for h in ctx.knowledge.search(text, region=region, limit=limit)]
        finally:
            ctx.close()
    if as_json:
        typer.echo(json.dumps(hits, ensure_ascii=False))
        return
    if not hits:
        typer.echo("暂无合适口径")
    for h in hits:
        typer.echo(f"[{h['score']:.2f}] {h['question']}（{h['entry_id']} 第{h['version']}版）\n    {h['answer']}")
