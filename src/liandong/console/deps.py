"""What every console page depends on: the composition root, the signed-in person, the parsed form.

The scope rules (who may see which order) are imported here and nowhere else in the console, so
that moving them (to `liandong.orders.scope`) is a one-line change for this package.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import parse_qs, quote

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from liandong.app import Liandong
from liandong.auth import sessions
from liandong.auth.sessions import SignedIn
from liandong.orders.scope import (  # noqa: F401 — the console's one import of the scope rules
    can_view,
    may_search_by_phone,
    require_view,
    scope_filter,
)

SESSION_COOKIE = "ld_session"
LOGIN_CSRF_COOKIE = "ld_login_csrf"  # before sign-in there is no session: the sign-in form is double-submit
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MAX_FORM = 64 * 1024  # bytes: an appeal of 5,000 characters (9 bytes each once URL-encoded) and its fields
FORM_TYPE = "application/x-www-form-urlencoded"


class ConsoleRefusal(Exception):
    """A refusal shown as a Chinese error page (or, on the sign-in page, beside the form)."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


class SignInRequired(Exception):
    """No valid session: the page answers with a redirect to the sign-in page, back here afterwards."""

    def __init__(self, next_url: str, expired: bool = False) -> None:
        super().__init__(next_url)
        self.next_url, self.expired = next_url, expired


def csrf_refused() -> ConsoleRefusal:
    return ConsoleRefusal(403, "请求被拒绝", "页面安全令牌缺失或已失效（CSRF 校验未通过），请刷新页面后重试。")


async def get_ctx(request: Request) -> Liandong:
    return request.app.state.ctx


def here(request: Request) -> str:
    """This request's path and query, to come back to after signing in."""
    q = request.url.query
    return request.url.path + (f"?{q}" if q else "")


def login_url(next_url: str | None = None, *, expired: bool = False) -> str:
    url = "/console/login"
    params = []
    if next_url and next_url != "/console/":
        params.append("next=" + quote(next_url, safe="/"))
    if expired:
        params.append("expired=1")
    return url + ("?" + "&".join(params) if params else "")


def safe_next(raw: str | None) -> str:
    """Only a console path of this server: never another host (open redirect), never a protocol-relative URL."""
    if not raw or not raw.startswith("/console/") or raw.startswith("//") or "\\" in raw or any(c in raw for c in "\r\n\t"):
        return "/console/"
    return raw


async def resolve_signed_in(request: Request) -> SignedIn:
    """The signed-in person behind the session cookie (cached on the request), or SignInRequired."""
    cached = getattr(request.state, "signed_in", None)
    if cached is not None:
        return cached
    ctx: Liandong = request.app.state.ctx
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequired(here(request))
    signed_in = await run_in_threadpool(_resolve, ctx, token)
    if signed_in is None:
        raise SignInRequired(here(request), expired=True)
    request.state.signed_in = signed_in
    return signed_in


def _resolve(ctx: Liandong, token: str) -> SignedIn | None:
    now = ctx.clock.now()
    idle = timedelta(minutes=ctx.settings.console_idle_minutes)
    with ctx.read() as session:
        signed_in = sessions.resolve(session, token, now, idle)
    if signed_in is not None and sessions.needs_touch(signed_in, now):
        with ctx.write() as session:
            sessions.touch(session, signed_in.session_id, now)
    return signed_in


async def read_form(request: Request) -> dict[str, str]:
    """The urlencoded form of a POST (first value of each field), refused in Chinese when it is not one."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != FORM_TYPE:
        raise ConsoleRefusal(415, "无法处理的请求", "只接受网页表单提交（application/x-www-form-urlencoded）。")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM:
        raise ConsoleRefusal(413, "提交内容过大", f"表单内容不超过 {MAX_FORM // 1024} KB。")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise ConsoleRefusal(413, "提交内容过大", f"表单内容不超过 {MAX_FORM // 1024} KB。")
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=32,
                          errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise ConsoleRefusal(400, "无法处理的请求", "表单编码应为 UTF-8，且字段不超过 32 个。") from None
    return {k: v[0] for k, v in parsed.items()}


async def form_of(request: Request) -> dict[str, str]:
    """The POST's form, already read and CSRF-checked by the console's route class."""
    return request.state.form


Ctx = Annotated[Liandong, Depends(get_ctx)]
CurrentUser = Annotated[SignedIn, Depends(resolve_signed_in)]
Form = Annotated[dict, Depends(form_of)]
