"""`liandong consumer …`: external systems that read and feed Liandong (接入方), their API keys and scopes."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Annotated, Iterator, Optional

import typer

from liandong.app import Liandong
from liandong.cli.common import friendly_errors, settings
from liandong.share import consumers as registry
from liandong.share.scopes import DATASETS, PERSONAL, Kind

consumer_app = typer.Typer(help="数据共享接入方（open-data consumers）", no_args_is_help=True)
DbOpt = Annotated[Optional[str], typer.Option(help="数据库地址（缺省 LIANDONG_DATABASE_URL）")]


@consumer_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="接入方名称")],
    kind: Annotated[str, typer.Option(help=f"类型：{'、'.join(k.value for k in Kind)}")],
    datasets: Annotated[str, typer.Option(help=f"授权数据集，逗号分隔：{','.join(DATASETS)}")],
    region: Annotated[Optional[str], typer.Option(help="辖区行政区划代码（缺省：单位所在地或全市）")] = None,
    fields: Annotated[Optional[str], typer.Option(help="授权字段，逗号分隔（缺省：数据集的全部字段，个人信息脱敏）")] = None,
    unmasked: Annotated[Optional[str], typer.Option(help=f"可申请不脱敏的个人信息字段：{','.join(PERSONAL)}")] = None,
    purpose: Annotated[Optional[str], typer.Option(help="授权不脱敏的用途（有 --unmasked 时必填）")] = None,
    unit: Annotated[Optional[str], typer.Option(help="职能部门的单位代码：只看本单位工单，回写办理结果")] = None,
    rate: Annotated[int, typer.Option(help="限流：每分钟请求数")] = 600,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出（含密钥）")] = False,
    db: DbOpt = None,
) -> None:
    """Register a consumer and print its API key (shown once)."""
    with friendly_errors():
        with _context(db) as ctx, ctx.write() as session:
            row, key = registry.add_consumer(session, ctx.city, name=name, kind=kind, datasets=datasets, region=region,
                                             fields=fields, unmasked=unmasked, purpose=purpose, unit=unit,
                                             rate_per_minute=rate, now=ctx.clock.now())
            summary = _summary(row)
        if as_json:
            typer.echo(json.dumps({**summary, "api_key": key}, ensure_ascii=False))
            return
        typer.echo(f"已登记接入方 {name}（{kind}，数据集 {','.join(summary['datasets'])}，辖区 {summary['region']}）")
        typer.echo(f"接入密钥（只显示这一次，请妥善保存）：{key}")


@consumer_app.command("list")
def list_(db: DbOpt = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every consumer with its scopes (never its key)."""
    with friendly_errors():
        with _context(db) as ctx, ctx.read() as session:
            rows = [_summary(r) for r in registry.list_consumers(session)]
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for r in rows:
            state = "已注销" if r["revoked_at"] else "有效"
            typer.echo(f"{r['name']}\t{r['kind']}\t{','.join(r['datasets'])}\t{r['region']}\t"
                       f"字段:{','.join(r['fields']) if r['fields'] else '全部'}\t"
                       f"不脱敏:{','.join(r['unmasked']) or '无'}\t{r['key_hint']}…\t{state}")


@consumer_app.command("rotate")
def rotate(name: str, db: DbOpt = None) -> None:
    """A new API key; the old one is refused on every worker as soon as this returns."""
    with friendly_errors():
        with _context(db) as ctx, ctx.write() as session:
            key = registry.rotate_key(session, name, ctx.clock.now())
        typer.echo(f"已更换 {name} 的接入密钥，旧密钥立即失效。新密钥（只显示这一次）：{key}")


@consumer_app.command("revoke")
def revoke(name: str, db: DbOpt = None) -> None:
    """Revoke a consumer: its key is refused on every worker as soon as this returns."""
    with friendly_errors():
        with _context(db) as ctx, ctx.write() as session:
            registry.revoke(session, name, ctx.clock.now())
        typer.echo(f"已注销接入方 {name}，其密钥立即在所有工作进程失效")


@contextmanager
def _context(db: str | None) -> Iterator[Liandong]:
    ctx = Liandong(settings(db))
    try:
        yield ctx
    finally:
        ctx.close()


def _summary(row) -> dict:
    return {"name": row.name, "kind": row.kind, "datasets": list(row.datasets), "region": row.region,
            "fields": row.fields, "unmasked": list(row.unmasked or ()), "purpose": row.grant_purpose,
            "unit": row.unit, "rate_per_minute": row.rate_per_minute, "key_hint": row.key_hint,
            "created_at": row.created_at.isoformat(), "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None}
