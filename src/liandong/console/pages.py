"""The page shell of the console: `ConsoleRoute`, which wraps every console handler, and `page`.

`ConsoleRoute` reads and CSRF-checks every POST before the handler runs (so no form can forget it),
turns refusals into Chinese pages and a missing session into a redirect to the sign-in page, and sets
the security headers (CSP 'self' only: no page can load anything from another host). Every page module
(`web`, `intake_pages`, `police_pages`, …) builds its router with it.
"""

from __future__ import annotations

import logging
from typing import Callable

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute

from liandong.api.errors import STATUS, describe_validation_error
from liandong.auth import sessions
from liandong.console.deps import (
    CSRF_FIELD,
    CSRF_HEADER,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    ConsoleRefusal,
    SignInRequired,
    csrf_refused,
    login_url,
    read_form,
    resolve_signed_in,
)
from liandong.console.nav import nav_for
from liandong.console.templating import render
from liandong.core.errors import LiandongError

log = logging.getLogger("liandong.console")
PAGE_SIZE = 20
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
PRE_SESSION_POSTS = {"/console/login"}  # checked against the sign-in form's double-submit cookie instead


def page(request: Request, template: str, code: int = 200, **context) -> HTMLResponse:
    me = getattr(request.state, "signed_in", None)
    context.setdefault("me", me)
    context.setdefault("nav", nav_for(me.actor.role) if me else [])
    context.setdefault("path", request.url.path)
    return HTMLResponse(render(template, **context), status_code=code)


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return page(request, "error.html", status, title=title, message=message)


_TITLES = {403: "无权访问", 404: "未找到", 409: "操作冲突", 422: "输入有误", 503: "系统繁忙"}


class ConsoleRoute(APIRoute):
    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()
        pre_session = self.path in PRE_SESSION_POSTS

        async def route(request: Request) -> Response:
            try:
                if request.method == "POST":
                    await _check_post(request, pre_session)
                response = await handler(request)
            except SignInRequired as exc:
                response = _to_sign_in(request, exc)
            except ConsoleRefusal as exc:
                response = error_page(request, exc.status, exc.title, exc.message)
            except LiandongError as exc:
                status = next((s for cls, s, _ in STATUS if isinstance(exc, cls)), 400)
                status = 500 if status >= 500 and status != 503 else status
                response = error_page(request, status, _TITLES.get(status, "出错了"), exc.message)
            except RequestValidationError as exc:
                message = "；".join(describe_validation_error(_named(e)) for e in exc.errors()[:5])
                response = error_page(request, 422, "输入有误", message)
            except Exception:  # the last net: logged, and still a page in Chinese
                log.exception("console: unexpected error on %s", request.url.path)
                response = error_page(request, 500, "系统错误", "服务器内部错误，已记录，请稍后重试或联系管理员。")
            _secure(response)
            return response

        return route


_PARAM_NAMES = {"page": "页码", "status": "状态", "number": "工单编号", "next": "跳转地址"}


def _named(err: dict) -> dict:
    return {**err, "loc": tuple(_PARAM_NAMES.get(str(p), p) for p in err.get("loc", ()))}


async def _check_post(request: Request, pre_session: bool) -> None:
    if pre_session:
        expected = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    else:
        expected = (await resolve_signed_in(request)).csrf_token
    form = await read_form(request)
    request.state.form = form
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not expected or not sessions.csrf_ok(expected, given):
        raise csrf_refused()


def _to_sign_in(request: Request, exc: SignInRequired) -> Response:
    target = login_url(exc.next_url if request.method == "GET" else None, expired=exc.expired)
    if request.headers.get("hx-request"):  # htmx: a full-page redirect, not the sign-in page inside a table
        return Response(status_code=200, headers={"HX-Redirect": target})
    response = RedirectResponse(target, status_code=303)
    if exc.expired:
        response.delete_cookie(SESSION_COOKIE, path="/console", httponly=True, samesite="strict")
    return response


def _secure(response: Response) -> None:
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Cache-Control", "no-store")
