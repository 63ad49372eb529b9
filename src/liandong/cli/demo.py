"""`liandong demo`: the demo city on embedded SQLite — the 12345 and 110 desks (plus minimal 119 and
120 desks), each its own database and users, linked over the exchange, with live traffic through them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

VAR = Path("var")


def demo(
    port: Annotated[int, typer.Option(help="12345 平台端口 N；110 为 N+1，119 为 N+2，120 为 N+3")] = 8000,
    simulate: Annotated[int, typer.Option(help="模拟流入的诉求条数（0 表示不模拟）")] = 200,
    seed: Annotated[int, typer.Option(help="模拟数据随机种子")] = 7,
    serve_forever: Annotated[bool, typer.Option("--serve/--no-serve", help="模拟结束后继续提供服务（Ctrl-C 停止）")] = True,
) -> None:
    """Set up the demo city 明川市 under ./var/, serve the linked desks and stream realistic appeals through them."""
    import httpx

    from liandong.demo.consumers import create_demo_consumers
    from liandong.demo.desks import NAMES, build_desks, serve_desks, stop_desks
    from liandong.demo.knowledge import load_demo_knowledge
    from liandong.demo.history import seed_demo_history
    from liandong.demo.quality_seed import seed_call_records
    from liandong.demo.simulate import DemoTraffic, DeskClient
    from liandong.demo.users import DESK_USERS, create_demo_users, write_users_file

    VAR.mkdir(exist_ok=True)
    typer.echo(f"【1/4】建库与互通密钥：{VAR}/demo-<平台>.db，{VAR}/demo-keys/（每对平台一把演示密钥）")
    ctxs = build_desks(VAR, port)
    typer.echo(seed_demo_history(ctxs["12345"]))  # 统计分析：一年的演示历史
    rows, unit_tokens = [], {}
    for platform, ctx in ctxs.items():
        desk_rows, desk_units = create_demo_users(ctx, {platform: DESK_USERS[platform]})
        rows += desk_rows
        unit_tokens[platform] = desk_units
    write_users_file(VAR / "demo-users.json", rows)
    gov = ctxs["12345"]
    create_demo_consumers(gov, VAR / "demo-consumers.json")  # 数据共享接入方 (docs/open-data.md)
    typer.echo(f"【2/4】演示城市 {gov.city.name}：{len(gov.city.regions)} 个区划，{len(gov.city.units)} 个单位；"
               f"各平台演示用户及令牌见 {VAR / 'demo-users.json'}（platform 字段为所属平台）")
    typer.echo("【3/4】加载分流模型…")
    load_demo_knowledge(gov)  # 知识库 (cities/demo/knowledge.yaml)
    gov.router  # noqa: B018 — load before serving so the first appeal is not slow (shared by all desks)
    running = serve_desks(ctxs, port)
    typer.echo("【4/4】各平台已启动并互联：")
    for desk in running.values():
        typer.echo(f"  {NAMES[desk.platform]:<22} {desk.url}  （接口定义 {desk.url}/openapi.json）")
    typer.echo("控制台（浏览器打开，用户名与密码见 var/demo-users.json 的 username / password）：")
    for desk in running.values():
        first = next(r for r in rows if r["platform"] == desk.platform)
        typer.echo(f"  {NAMES[desk.platform]:<22} {desk.url}/console/  登录：{first['username']} / {first['password']}")
    clients: dict[str, DeskClient] = {}
    try:
        if simulate > 0:
            for platform, desk in running.items():
                tokens = {r["role"]: r["token"] for r in rows if r["platform"] == platform}
                clients[platform] = DeskClient(platform, httpx.Client(base_url=desk.url, timeout=30), tokens,
                                               unit_tokens[platform])
            traffic = DemoTraffic(clients, seed=seed, print_=typer.echo)
            typer.echo(f"模拟 {simulate} 条诉求流入两个平台（受理 → 分流 → 派单/转办 → 办理 → 反馈 → 办结）：")
            traffic.run(simulate, start=gov.clock.now())
            typer.echo(traffic.supervise())
            typer.echo(seed_call_records(gov, seed=seed))  # 质检: call records on the demo orders
        example = next(r for r in rows if r["role"] == "operator")
        typer.echo(f"\n试一试：curl -H 'Authorization: Bearer {example['token']}' "
                   f"{running['12345'].url}/api/v1/orders?status=peer_handling")
        if serve_forever:
            typer.echo("按 Ctrl-C 停止。")
            try:
                running["12345"].thread.join()
            except KeyboardInterrupt:
                pass
    finally:
        for client in clients.values():
            client.http.close()
        stop_desks(running)
