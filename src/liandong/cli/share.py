"""`liandong share …`: the intermediate database (sync), batch files (export / import), the access log."""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from liandong.app import Liandong
from liandong.cli.common import friendly_errors, settings
from liandong.config import Settings
from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.exchange.peers import load_peers
from liandong.exchange.signing import Key
from liandong.share import access, batch
from liandong.share import consumers as registry
from liandong.share.scopes import check_dataset

share_app = typer.Typer(help="数据共享：中间库同步、批量文件、访问留痕（open data）", no_args_is_help=True)
DbOpt = Annotated[Optional[str], typer.Option(help="数据库地址（缺省 LIANDONG_DATABASE_URL）")]
PeerOpt = Annotated[Optional[str], typer.Option(help="用与该对端平台的交换密钥签名/验签（peers.yaml）；缺省用 LIANDONG_SHARE_SECRET")]


@contextmanager
def _context(db: str | None) -> Iterator[Liandong]:
    ctx = Liandong(settings(db))
    try:
        yield ctx
    finally:
        ctx.close()


def _when(raw: str | None, what: str) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{what}应为日期或日期时间（ISO 8601，如 2026-11-01 或 2026-11-01T08:00:00+08:00）") from None
    return value if value.tzinfo else value.replace(tzinfo=CST)


def _env_key() -> Key | None:
    secret = os.environ.get("LIANDONG_SHARE_SECRET")
    if not secret:
        return None
    if len(secret) < 16:
        raise InvalidInput("LIANDONG_SHARE_SECRET 太短（至少 16 字节）")
    return Key(os.environ.get("LIANDONG_SHARE_KEY_ID", "share-1"), secret.encode())


def _signing_key(s: Settings, peer: str | None) -> Key:
    if peer:
        if s.peers_file is None:
            raise InvalidInput("指定了 --peer，但未配置 LIANDONG_PEERS_FILE（交换密钥）")
        config = load_peers(s.peers_file)
        if peer not in config.peers:
            raise InvalidInput(f"peers.yaml 中没有对端平台「{peer}」")
        return config.keyring().signing_key(peer)
    key = _env_key()
    if key is None:
        raise InvalidInput("需要签名密钥：用 --peer 指定交换对端，或设置 LIANDONG_SHARE_SECRET（及 LIANDONG_SHARE_KEY_ID）")
    return key


def _verifying_keys(s: Settings) -> dict[str, Key]:
    keys = {}
    if s.peers_file is not None:
        for p in load_peers(s.peers_file).peers.values():
            keys.update({k.key_id: k for k in p.keys})
    if (k := _env_key()) is not None:
        keys[k.key_id] = k
    return keys


@share_app.command("sync")
def sync(
    target: Annotated[str, typer.Option(help="中间库地址，如 postgresql+psycopg://user:pw@host/db 或 sqlite:///share.db")],
    consumer: Annotated[str, typer.Option(help="中间库所属的接入方（其授权范围与脱敏规则适用）")],
    full: Annotated[bool, typer.Option("--full", help="整体重建（缺省：按水位增量同步）")] = False,
    db: DbOpt = None,
) -> None:
    """Bring the consumer's intermediate database up to date and apply the handling results it wrote back."""
    from sqlalchemy import create_engine

    from liandong.share.sync import Sync, target_name

    with friendly_errors(), _context(db) as ctx:
        if not (target.startswith("postgresql") or target.startswith("sqlite")):
            raise InvalidInput("中间库地址应为 postgresql+psycopg://… 或 sqlite:///…")
        with ctx.read() as session:
            who = registry.by_name(session, consumer)
        engine = create_engine(target)
        try:
            job = Sync(read=ctx.read, write=ctx.write, orders=ctx.orders, city=ctx.city, clock=ctx.clock, consumer=who,
                       engine=engine, name=target_name(target))
            r = job.run(full=full)
        finally:
            engine.dispose()
        for name, read in (("orders", job.orders_read), ("events", job.events_read), ("stats", job.stats_read)):
            if read is not None:
                ctx.share.log(who, "sync", read, {"target": target_name(target), "full": r.full},
                              {"orders": r.orders, "events": r.events, "stats": r.stats}[name], None)
        typer.echo(f"{'整体' if r.full else '增量'}同步完成：工单 {r.orders} 行，办理过程 {r.events} 行，统计 {r.stats} 行；"
                   f"回写已办理 {len(r.applied)} 条，拒收 {len(r.refused)} 条")
        for o in r.refused:
            typer.echo(f"  第 {o.ref} 行 {o.message}")


@share_app.command("export")
def export(
    dataset: Annotated[str, typer.Option(help="数据集：orders、appeals、events、stats")],
    consumer: Annotated[str, typer.Option(help="接收方（其授权范围与脱敏规则适用，导出记入访问留痕）")],
    out: Annotated[Path, typer.Option(help="输出目录")] = Path("."),
    since: Annotated[Optional[str], typer.Option(help="起始（含），如 2026-11-01")] = None,
    until: Annotated[Optional[str], typer.Option(help="截止（不含）")] = None,
    format: Annotated[str, typer.Option("--format", help="csv 或 jsonl")] = "csv",
    peer: PeerOpt = None,
    db: DbOpt = None,
) -> None:
    """Write a dataset as a batch file with its signed manifest (row count, SHA-256, schema version, period)."""
    with friendly_errors(), _context(db) as ctx:
        check_dataset(dataset)
        lo, hi = _when(since, "起始时间"), _when(until, "截止时间")
        key = _signing_key(ctx.settings, peer)
        with ctx.read() as session:
            who = registry.by_name(session, consumer)
        body, manifest = ctx.share.export(who, dataset, since=lo, until=hi, fmt=format, key=key,
                                          who=os.environ.get("USER"))
        stem = f"{dataset}-{(lo or datetime(2000, 1, 1, tzinfo=CST)):%Y%m%d}-{(hi or ctx.clock.now()):%Y%m%d}"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{stem}.{format}").write_bytes(body)
        (out / f"{stem}.manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        typer.echo(f"已导出 {manifest['rows']} 行到 {out / (stem + '.' + format)}（清单 {stem}.manifest.json，"
                   f"SHA-256 {manifest['sha256'][:16]}…，密钥 {key.key_id}）")


@share_app.command("import")
def import_(
    manifest: Annotated[Path, typer.Argument(help="清单文件 *.manifest.json（数据文件与之同名同目录）")],
    consumer: Annotated[str, typer.Option(help="发送方接入方（职能部门）")],
    verify_only: Annotated[bool, typer.Option("--verify-only", help="只校验清单与文件，不导入")] = False,
    db: DbOpt = None,
) -> None:
    """Verify a batch file's manifest (signature, schema, SHA-256, rows) before reading a row, then apply its
    handling results (dataset `results`) as audited actions or refuse each with a reason."""
    with friendly_errors(), _context(db) as ctx:
        verified = batch.verify_manifest(manifest, _verifying_keys(ctx.settings))
        if verify_only:
            batch.rows_of(verified)
            typer.echo(f"校验通过：{verified.manifest['dataset']}，{verified.manifest['rows']} 行")
            return
        with ctx.read() as session:
            who = registry.by_name(session, consumer)
        outcomes = ctx.share.import_results(who, verified)
        applied = [o for o in outcomes if o.applied]
        typer.echo(f"校验通过，已办理 {len(applied)} 条，拒收 {len(outcomes) - len(applied)} 条")
        for o in outcomes:
            if not o.applied:
                typer.echo(f"  第 {o.ref} 行 {o.message}")


@share_app.command("log")
def log(
    consumer: Annotated[Optional[str], typer.Option(help="接入方名称")] = None,
    dataset: Annotated[Optional[str], typer.Option(help="数据集")] = None,
    since: Annotated[Optional[str], typer.Option(help="起始时间")] = None,
    until: Annotated[Optional[str], typer.Option(help="截止时间")] = None,
    unmasked_only: Annotated[bool, typer.Option("--unmasked-only", help="只看不脱敏的读取")] = False,
    limit: Annotated[int, typer.Option(help="条数")] = 100,
    export: Annotated[Optional[str], typer.Option("--export", help="以 csv 或 jsonl 输出全部匹配的记录")] = None,
    db: DbOpt = None,
) -> None:
    """The access log (数据访问留痕), newest first."""
    with friendly_errors(), _context(db) as ctx:
        if dataset:
            check_dataset(dataset)
        with ctx.read() as session:
            rows = access.search(session, consumer=consumer, dataset=dataset, since=_when(since, "起始时间"),
                                 until=_when(until, "截止时间"), unmasked_only=unmasked_only,
                                 limit=access.MAX_PAGE if export else limit)
        if export:
            typer.echo(access.export(rows, export), nl=False)
            return
        for r in rows:
            typer.echo(f"{r.at:%Y-%m-%d %H:%M:%S}\t{r.consumer}\t{r.interface}\t{r.dataset}\t{r.rows} 行\t"
                       f"{'脱敏' if r.masked else '未脱敏:' + ','.join(r.unmasked) + ' 用途:' + (r.purpose or '')}\t"
                       f"{r.remote or ''}\t{json.dumps(r.filters, ensure_ascii=False)}")
