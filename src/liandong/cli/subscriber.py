"""`liandong subscriber …`: webhook subscribers (事件推送订阅方), their deliveries and failures, the relay."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Annotated, Iterator, Optional

import typer

from liandong.app import Liandong
from liandong.cli.common import friendly_errors, settings
from liandong.push.events import EVENT_LABELS, EventKind

app = typer.Typer(help="事件推送订阅方（webhook subscribers, 一网统管）", no_args_is_help=True)
DbOpt = Annotated[Optional[str], typer.Option(help="数据库地址")]
EVENTS_HELP = "，".join(f"{k.value}={EVENT_LABELS[k]}" for k in EventKind)


@contextmanager
def _context(db: str | None) -> Iterator[Liandong]:
    with friendly_errors():
        ctx = Liandong(settings(db))
        try:
            yield ctx
        finally:
            ctx.close()


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="订阅方名称，如 城运中心")],
    url: Annotated[str, typer.Option(help="接收推送的网址")],
    events: Annotated[str, typer.Option(help=f"逗号分隔：{EVENTS_HELP}")],
    key: Annotated[Optional[str], typer.Option(help="HMAC 密钥（缺省自动生成并显示一次）")] = None,
    db: DbOpt = None,
) -> None:
    """Register a subscriber; prints its HMAC key once."""
    with _context(db) as ctx:
        with ctx.write() as session:
            row, secret = ctx.push.add(session, name=name, url=url, events=events.split(","), key=key,
                                       now=ctx.clock.now())
        typer.echo(f"已添加订阅方 {row.name}：{row.url}，事件 {', '.join(row.events)}")
        typer.echo(f"HMAC 密钥（只显示这一次）：{secret}")


@app.command("list")
def list_(db: DbOpt = None) -> None:
    """Subscribers with their pending, failed and delivered counts."""
    with _context(db) as ctx:
        with ctx.read() as session:
            subs = ctx.push.subscribers(session)
        if not subs:
            typer.echo("没有订阅方")
        for s in subs:
            typer.echo(f"{s.name}\t{s.url}\t{','.join(s.events)}\t待推送 {s.pending}\t失败 {s.failed}\t已送达 {s.delivered}")


@app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="订阅方名称")], db: DbOpt = None) -> None:
    """Remove a subscriber; its undelivered events are marked failed."""
    with _context(db) as ctx:
        with ctx.write() as session:
            n = ctx.push.remove(session, name, now=ctx.clock.now())
        typer.echo(f"已删除订阅方 {name}（{n} 条未送达的推送记为失败）")


@app.command("deliveries")
def deliveries(
    state: Annotated[Optional[str], typer.Option(help="pending、sending、delivered、failed")] = None,
    subscriber: Annotated[Optional[str], typer.Option(help="只看这个订阅方")] = None,
    limit: Annotated[int, typer.Option(help="最多条数")] = 50,
    db: DbOpt = None,
) -> None:
    """Deliveries newest first: state, attempts and the last error (推送记录与失败)."""
    with _context(db) as ctx:
        with ctx.read() as session:
            rows = ctx.push.deliveries(session, state=state, subscriber=subscriber, limit=limit)
        if not rows:
            typer.echo("没有推送记录")
        for d, name in rows:
            typer.echo(f"{d.id}\t{name}\t{d.event}\t{d.order_number}\t{d.state}\t尝试 {d.attempts} 次"
                       f"\t{d.last_error or ''}")


@app.command("requeue")
def requeue(delivery_id: Annotated[int, typer.Argument(help="推送记录编号")], db: DbOpt = None) -> None:
    """Try a failed delivery again."""
    with _context(db) as ctx:
        with ctx.write() as session:
            ctx.push.requeue(session, delivery_id, now=ctx.clock.now())
        typer.echo(f"已重新排队推送 {delivery_id}")


@app.command("relay")
def relay(once: Annotated[bool, typer.Option(help="只推送一批后退出")] = False, db: DbOpt = None) -> None:
    """Run the webhook relay (the server runs one itself with background tasks)."""
    with _context(db) as ctx:
        r = ctx.push_relay()
        try:
            if once:
                s = r.run_once()
                typer.echo(f"取出 {s.claimed} 条：送达 {s.delivered}，待重试 {s.retried}，失败 {s.failed}")
                return
            stop = threading.Event()
            try:
                r.run(stop)
            except KeyboardInterrupt:
                stop.set()
        finally:
            r.close()
