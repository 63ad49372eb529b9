"""`liandong user …` and `liandong token …`: accounts, console passwords and bearer tokens."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from liandong.app import Liandong
from liandong.auth import passwords, sessions
from liandong.auth import service as auth
from liandong.cli.common import friendly_errors, settings
from liandong.core.actors import ROLE_LABELS
from liandong.core.errors import InvalidInput

user_app = typer.Typer(help="用户管理（user management）", no_args_is_help=True)
ROLES_HELP = "，".join(f"{r.value}={ROLE_LABELS[r]}" for r in auth.USER_ROLES)


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[str, typer.Option(help=f"角色：{ROLES_HELP}")],
    unit: Annotated[Optional[str], typer.Option(help="所属单位代码（承办人必填），见 GET /api/v1/units")] = None,
    region: Annotated[Optional[str], typer.Option(help="辖区行政区划代码（缺省为单位所在地或全市）")] = None,
    platform: Annotated[Optional[str], typer.Option(help="所属平台 12345 或 110（缺省：接警员为110，其余为12345）")] = None,
    db: Annotated[Optional[str], typer.Option(help="数据库地址（缺省 LIANDONG_DATABASE_URL 或 ./var/liandong.db）")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取控制台登录密码（一行）")] = False,
) -> None:
    """Add a user: `liandong user add 张敏 --role operator`; with `--password-stdin` they may also sign in to the console."""
    with friendly_errors():
        password = _read_stdin_password() if password_stdin else None
        ctx = Liandong(settings(db))
        plat = platform or ("110" if role == "police" else "12345")
        with ctx.write() as session:
            now = ctx.clock.now()
            auth.add_user(session, ctx.city, name=name, role=role, platform=plat, unit=unit, region=region, now=now)
            if password is not None:
                passwords.set_password(session, name, password, now)
        typer.echo(f"已添加用户 {name}（{role}，平台 {plat}{'，单位 ' + unit if unit else ''}"
                   f"{'，可登录控制台' if password is not None else ''}）")


@user_app.command("passwd")
def passwd(
    name: Annotated[str, typer.Argument(help="用户名")],
    db: Annotated[Optional[str], typer.Option(help="数据库地址")] = None,
) -> None:
    """Set a user's console password: read from standard input (one line), or asked twice without echo
    at a terminal. The user's open console sessions end."""
    with friendly_errors():
        if sys.stdin.isatty():
            password = typer.prompt("新密码", hide_input=True, confirmation_prompt="再次输入新密码")
        else:
            password = _read_stdin_password()
        ctx = Liandong(settings(db))
        with ctx.write() as session:
            now = ctx.clock.now()
            user = passwords.set_password(session, name, password, now)
            ended = sessions.end_sessions_of(session, user.id, now)
        typer.echo(f"已设置 {name} 的控制台密码{f'；已结束其 {ended} 个登录会话' if ended else ''}")


def _read_stdin_password() -> str:
    line = sys.stdin.readline()
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise InvalidInput("标准输入中没有密码（应为一行）")
    return password


@user_app.command("revoke")
def revoke(name: str, db: Annotated[Optional[str], typer.Option()] = None) -> None:
    """Revoke every token of a user."""
    with friendly_errors():
        ctx = Liandong(settings(db))
        try:
            with ctx.write() as session:
                n = auth.revoke_tokens(session, name, ctx.clock.now())
        finally:
            ctx.close()
        typer.echo(f"已吊销 {name} 的 {n} 个令牌：{auth.REVOCATION_BOUND_S:g} 秒内在所有工作进程生效，此后使用这些令牌的请求一律拒绝（401）")


def token(
    name: Annotated[str, typer.Argument(help="用户名")],
    db: Annotated[Optional[str], typer.Option(help="数据库地址")] = None,
) -> None:
    """Print a new bearer token for a user (shown once; only its hash is stored)."""
    with friendly_errors():
        ctx = Liandong(settings(db))
        with ctx.write() as session:
            typer.echo(auth.issue_token(session, name, ctx.clock.now()))
