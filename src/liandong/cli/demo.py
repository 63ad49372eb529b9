"""`liandong demo`: a fresh demo city on embedded SQLite, served, with live traffic streamed through it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import typer

VAR = Path("var")


def demo(
    port: Annotated[int, typer.Option(help="12345 平台端口")] = 8000,
    simulate: Annotated[int, typer.Option(help="模拟流入的诉求条数（0 表示不模拟）")] = 200,
    seed: Annotated[int, typer.Option(help="模拟数据随机种子")] = 7,
    serve_forever: Annotated[bool, typer.Option("--serve/--no-serve", help="模拟结束后继续提供服务（Ctrl-C 停止）")] = True,
) -> None:
    """Set up the demo city 明川市 under ./var/, serve the API and stream realistic appeals through it."""
    import uvicorn

    from liandong.api.app import create_app
    from liandong.app import Liandong
    from liandong.config import Settings
    from liandong.demo.simulate import DemoTraffic
    from liandong.demo.users import create_demo_users, write_users_file
    from liandong.storage.migrate import upgrade

    VAR.mkdir(exist_ok=True)
    db_path = VAR / "demo-12345.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db_path}"
    typer.echo(f"【1/4】建库：{db_path}")
    upgrade(url)
    ctx = Liandong(Settings(database_url=url, platform="12345"))
    rows, unit_tokens = create_demo_users(ctx)
    write_users_file(VAR / "demo-users.json", rows)
    typer.echo(f"【2/4】演示城市 {ctx.city.name}：{len(ctx.city.regions)} 个区划，{len(ctx.city.units)} 个单位；"
               f"演示用户及令牌见 {VAR / 'demo-users.json'}")
    typer.echo("【3/4】加载分流模型…")
    ctx.router  # noqa: B018 — load before serving so the first appeal is not slow
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        thread.join(0.05)
    base = f"http://127.0.0.1:{port}"
    typer.echo(f"【4/4】12345 平台已启动：{base}  （接口文档 {base}/docs）")
    if simulate > 0:
        desk = {r["role"]: r["token"] for r in rows if r["platform"] == "12345"}
        desk["police"] = next(r["token"] for r in rows if r["role"] == "police")
        traffic = DemoTraffic(base, desk, unit_tokens, seed=seed, print_=typer.echo)
        typer.echo(f"模拟 {simulate} 条诉求流入（受理 → 分流 → 派单 → 办理 → 办结 → 回访）：")
        traffic.run(simulate, start=ctx.clock.now())
        typer.echo(traffic.supervise())
    example = next(r for r in rows if r["role"] == "operator")
    typer.echo(f"\n试一试：curl -H 'Authorization: Bearer {example['token']}' {base}/api/v1/orders?page_size=5")
    if serve_forever:
        typer.echo("按 Ctrl-C 停止。")
        try:
            thread.join()
        except KeyboardInterrupt:
            pass
    server.should_exit = True
    thread.join(5)
