"""The console's pages under `/console/`: sign-in, sign-out, password change, the order list and the
order detail, and `install`, which mounts them with the per-role page modules. Pages call the same read
functions as the JSON API (`orders.queries`, `orders.present`, `orders.service`) and the same scope rule;
every refusal is a Chinese page, never a 500 (`console.pages.ConsoleRoute`).
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from liandong.appeals.tables import AppealRow
from liandong.auth import passwords, sessions
from liandong.auth.tables import UserRow
from liandong.console import action_forms
from liandong.console.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Ctx,
    CurrentUser,
    Form,
    SignInRequired,
    require_view,
    resolve_signed_in,
    safe_next,
)
from liandong.console.order_related import related_view
from liandong.console.pages import PAGE_SIZE, ConsoleRoute, error_page, page
from liandong.console.templating import STATIC
from liandong.core.errors import InvalidInput
from liandong.orders import present, queries
from liandong.orders import service as orders
from liandong.orders.states import ACTION_LABELS, STATUS_LABELS, Action, Status


def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/console", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)


# ── sign-in, sign-out, password ──────────────────────────────────────────────────────────────────

def _login_page(request: Request, status: int = 200, *, error: str = "", notice: str = "", username: str = "",
                next_url: str = "/console/") -> HTMLResponse:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = page(request, "login.html", status, error=error, notice=notice, username=username,
                    next_url=safe_next(next_url), csrf_token=token, me=None, nav=[])
    if request.cookies.get(LOGIN_CSRF_COOKIE) != token:
        _set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.get("/login")
async def login_form(request: Request, next: str | None = None, expired: str | None = None,
                     out: str | None = None) -> Response:
    try:
        await resolve_signed_in(request)
        return RedirectResponse(safe_next(next), status_code=303)
    except SignInRequired:
        pass
    notice = "登录已超时或已失效，请重新登录。" if expired else "您已安全退出。" if out else ""
    return _login_page(request, notice=notice, next_url=next or "/console/")


@router.post("/login")
def login_submit(request: Request, ctx: Ctx, form: Form) -> Response:
    username = form.get("username", "").strip()
    password = form.get("password", "")
    next_url = safe_next(form.get("next"))
    error = ""
    if not username or not password:
        error = "请输入用户名和密码"
    elif len(username) > passwords.MAX_NAME:
        error = f"用户名不超过 {passwords.MAX_NAME} 个字符"
    elif len(password) > passwords.MAX_LENGTH:
        error = f"密码不超过 {passwords.MAX_LENGTH} 个字符"
    if error:
        return _login_page(request, 422, error=error, username=username[:64], next_url=next_url)
    now = ctx.clock.now()
    with ctx.write() as session:
        outcome = passwords.attempt_sign_in(session, username, password, now)
        token = sessions.start_session(session, outcome.user, now) if outcome.ok else None
    if token is None:
        status = 429 if outcome.locked_until else 401
        return _login_page(request, status, error=outcome.message, username=username, next_url=next_url)
    response = RedirectResponse(next_url, status_code=303)
    _set_cookie(request, response, SESSION_COOKIE, token)  # a browser-session cookie; the server ends it when idle
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console", httponly=True, samesite="strict")
    return response


@router.post("/logout")
def logout(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    with ctx.write() as session:
        sessions.end_session(session, me.session_id, ctx.clock.now())
    response = RedirectResponse("/console/login?out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console", httponly=True, samesite="strict")
    return response


@router.get("/password")
def password_form(request: Request, me: CurrentUser) -> Response:
    return page(request, "password.html", error="", notice="", min_length=passwords.MIN_LENGTH)


@router.post("/password")
def password_submit(request: Request, ctx: Ctx, me: CurrentUser, form: Form) -> Response:
    old, new, again = form.get("old_password", ""), form.get("new_password", ""), form.get("new_password2", "")
    error = ""
    if not old or not new:
        error = "请输入原密码和新密码"
    elif max(len(old), len(new), len(again)) > passwords.MAX_LENGTH:
        error = f"密码不超过 {passwords.MAX_LENGTH} 个字符"
    elif new != again:
        error = "两次输入的新密码不一致"
    if not error:
        now = ctx.clock.now()
        try:
            with ctx.write() as session:
                user = session.get(UserRow, me.user_id)
                refused = passwords.change_password(session, user, old, new, now)
                ended = 0 if refused else sessions.end_sessions_of(session, me.user_id, now, keep=me.session_id)
        except InvalidInput as exc:
            error = exc.message
        else:
            if refused:
                return page(request, "password.html", 422, error=refused, notice="", min_length=passwords.MIN_LENGTH)
            notice = "密码已修改。" + (f"其他 {ended} 处登录已退出。" if ended else "")
            return page(request, "password.html", notice=notice, error="", min_length=passwords.MIN_LENGTH)
    return page(request, "password.html", 422, error=error, notice="", min_length=passwords.MIN_LENGTH)


# ── orders ──────────────────────────────────────────────────────────────────────────────────────

@router.get("/")
def home(request: Request, ctx: Ctx, me: CurrentUser, status: Annotated[str | None, Query(max_length=24)] = None,
         page_no: Annotated[int, Query(alias="page", ge=1, le=100000)] = 1) -> Response:
    f = queries.OrderFilter(status=status or None, page=page_no, page_size=PAGE_SIZE)
    with ctx.read() as session:  # the same list, the same scope as GET /api/v1/orders
        rows, total = queries.list_orders(session, me.actor, me.platform, f)
        items = [present.summary(o, a, ctx.city) for o, a in rows]
    pages = max(1, -(-total // PAGE_SIZE))
    context = dict(items=items, total=total, page_no=page_no, pages=pages, status=status or "",
                   statuses=[(s.value, STATUS_LABELS[s]) for s in Status])
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "orders":
        return page(request, "_orders.html", **context)
    return page(request, "home.html", **context)


@router.get("/orders/{number}")
def order_detail(request: Request, ctx: Ctx, me: CurrentUser, number: Annotated[str, Path(max_length=40)],
                 done: Annotated[str | None, Query(max_length=24)] = None) -> Response:
    notice = f"已完成「{ACTION_LABELS[Action(done)]}」。" if done in Action._value2member_map_ else ""
    return detail_page(request, ctx, me, number, action_notice=notice)


def detail_page(request: Request, ctx, me, number: str, code: int = 200, **extra) -> HTMLResponse:
    """The order detail with its action forms (`action_forms.forms_for`); `extra` may carry a refusal
    (`action_error`), the form to reopen (`open_action`) and what was typed in it (`form_values`)."""
    with ctx.read() as session:
        order = orders.get_order(session, number)
        require_view(me.actor, me.platform, order)
        appeal = session.get(AppealRow, order.appeal_id)
        view = present.detail(order, appeal, ctx.city, me.actor)
        events = [present.event(e) for e in orders.events_of(session, order)]
        related = related_view(session, order, appeal, me.actor, me.platform)
        unit = action_forms.suggested_unit(order, action_forms.suggestion(appeal.routing), ctx.city, ctx.categories)
        forms = action_forms.forms_for(order, me.actor.role, ctx.city, ctx.categories, unit, ctx.orders.satisfaction)
    actions = [ACTION_LABELS[Action(a)] for a in view.allowed_actions]
    context = dict(action_error="", action_notice="", open_action="", form_values={}, back=f"/console/orders/{number}")
    context.update(extra)
    return page(request, "order.html", code, order=view, events=events, actions=actions, forms=forms, related=related,
                units=ctx.city.units, satisfaction_labels={c: lv.label for c, lv in ctx.orders.satisfaction.items()},
                **context)


@router.get("")
def console_root() -> Response:
    return RedirectResponse("/console/", status_code=307)


@router.get("/{rest:path}")
def not_found(request: Request, rest: str) -> Response:
    return error_page(request, 404, "页面不存在", "您访问的控制台页面不存在，请从导航进入。")


class CachedStatic(StaticFiles):
    """The console's own files (styles, scripts, vendored htmx): URLs carry a content hash, so they
    may be cached for a year."""

    def file_response(self, *args, **kwargs) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response



def install(app) -> None:
    """Mount the static files and this module's pages (after the per-role pages: its catch-all 404 is last)."""
    app.mount("/console/static", CachedStatic(directory=STATIC), name="console-static")
    app.include_router(router)

