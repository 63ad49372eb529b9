"""The portal's pages (`/portal/…`): a thin shell over `Portal`, `Cases` and `PublicCases`.

Mobile-first, server-rendered, no script at all (CSP script-src 'none'); every refusal is a page in
Chinese with the form kept where it can be. `install(app, services)` mounts it and its static files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from liandong.core.errors import InvalidInput, LiandongError, NotFound
from liandong.portal.cases import Cases
from liandong.portal.plain import SATISFACTION
from liandong.portal.public import PublicCases
from liandong.portal.service import Portal, ReportInput
from liandong.portal.web import (
    BIG_COOKIE,
    PHONE_COOKIE,
    STATIC,
    check_csrf,
    client_address,
    read_form,
    render,
    safe_next,
    secure,
)

_STATUS = {"InvalidInput": 422, "NotFound": 404, "Conflict": 409, "IllegalTransition": 409, "StaleUpdate": 409,
           "Forbidden": 403, "Busy": 503}


@dataclass(frozen=True)
class PortalServices:
    portal: Portal
    cases: Cases
    public: PublicCases
    clock: object


class PortalRoute(APIRoute):
    """Refusals become Chinese pages; the verified phone (if any) is read once per request."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            svc = services(request)
            request.state.phone = svc.portal.phone_of(request.cookies.get(PHONE_COOKIE), svc.clock.now())
            try:
                return await handler(request)
            except LiandongError as exc:
                code = _STATUS.get(type(exc).__name__, 400)
                return render(request, "error.html", code, message=exc.message)
            except RequestValidationError:
                return render(request, "error.html", 422, message="网址中的参数有误，请从页面上的链接进入。")

        return route


router = APIRouter(prefix="/portal", route_class=PortalRoute, include_in_schema=False)


def services(request: Request) -> PortalServices:
    return request.app.state.portal


def _phone(request: Request) -> str | None:
    return request.state.phone


def _need_phone(request: Request, target: str) -> Response | None:
    return None if _phone(request) else RedirectResponse(f"/portal/verify?next={target}", status_code=303)


@router.get("/")
async def home(request: Request):
    return render(request, "home.html")


@router.get("/text-size")
async def text_size(request: Request, big: int = 0, back: str = "/portal/"):
    response = RedirectResponse(safe_next(back), status_code=303)
    response.set_cookie(BIG_COOKIE, "1" if big else "0", path="/portal", samesite="strict", max_age=365 * 86400)
    return response


# -- phone verification -----------------------------------------------------------------------------
@router.get("/verify")
async def verify_page(request: Request, next: str = "/portal/"):
    return render(request, "verify.html", next=safe_next(next), phone="", sent=False, error=None)


@router.post("/verify")
async def verify_post(request: Request):
    svc = services(request)
    form, _ = await read_form(request)
    check_csrf(request, form)
    nxt, phone, now = safe_next(form.get("next")), form.get("phone", ""), svc.clock.now()
    try:
        if form.get("step") == "check":
            token = await run_in_threadpool(svc.portal.verify_code, phone, form.get("code", ""), now=now)
            response = RedirectResponse(nxt, status_code=303)
            response.set_cookie(PHONE_COOKIE, token, path="/portal", httponly=True, samesite="strict",
                                max_age=svc.portal.rules.otp.session_minutes * 60)
            return secure(request, response)
        phone = await run_in_threadpool(svc.portal.send_code, phone, address=client_address(request), now=now)
        return render(request, "verify.html", next=nxt, phone=phone, sent=True, error=None)
    except InvalidInput as exc:
        return render(request, "verify.html", 422, next=nxt, phone=phone, sent=form.get("step") == "check",
                      error=exc.message)


@router.post("/logout")
async def logout(request: Request):
    form, _ = await read_form(request)
    check_csrf(request, form)
    response = RedirectResponse("/portal/", status_code=303)
    response.delete_cookie(PHONE_COOKIE, path="/portal")
    return response


# -- report --------------------------------------------------------------------------------------------
def _report_page(request: Request, code: int = 200, *, values: dict | None = None, error: str | None = None):
    svc = services(request)
    portal, now = svc.portal, svc.clock.now()
    challenge = portal.new_challenge(now) if portal.needs_challenge(client_address(request), now) else None
    streets = [(c, portal.city.region_path(c)) for c in sorted(portal.city.regions) if len(c) in (9, 12)]
    return render(request, "report.html", code, values=values or {}, error=error, hint=portal.rules.hint,
                  places=[p.name for p in portal.places.places], streets=streets, challenge=challenge,
                  max_photos=portal.rules.photos.max_count, max_mb=portal.rules.photos.max_bytes // (1024 * 1024))


@router.get("/report")
async def report_page(request: Request, text: str = ""):
    return _need_phone(request, "/portal/report") or await run_in_threadpool(
        _report_page, request, values={"text": text[:2000]})


@router.post("/report")
async def report_post(request: Request):
    svc = services(request)
    if (redirect := _need_phone(request, "/portal/report")) is not None:
        return redirect
    form, files = await read_form(request)
    check_csrf(request, form)
    data = ReportInput(text=form.get("text", ""), address=form.get("address", ""), region=form.get("region", ""),
                       happened=form.get("happened", ""), name=form.get("name", ""), consent=form.get("consent") == "1",
                       honeypot=form.get("homepage", ""), challenge_token=form.get("challenge_token", ""),
                       challenge_answer=form.get("challenge_answer", ""))
    try:
        result = await run_in_threadpool(svc.portal.report, data, files, phone=_phone(request),
                                         address=client_address(request), now=svc.clock.now())
    except InvalidInput as exc:
        kept = {k: form.get(k, "") for k in ("text", "address", "region", "happened", "name")}
        note = "（照片未保存，请重新选择）" if files else ""
        return await run_in_threadpool(_report_page, request, 422, values=kept, error=exc.message + note)
    if result.emergency:
        return render(request, "emergency.html", result=result)
    return render(request, "reported.html", result=result)


# -- ask (即问即答) ---------------------------------------------------------------------------------------
@router.get("/ask")
async def ask_page(request: Request):
    return render(request, "ask.html", text="", result=None, error=None)


@router.post("/ask")
async def ask_post(request: Request):
    svc = services(request)
    form, _ = await read_form(request)
    check_csrf(request, form)
    text = form.get("text", "")
    try:
        result = await run_in_threadpool(svc.portal.ask, text, now=svc.clock.now())
    except InvalidInput as exc:
        return render(request, "ask.html", 422, text=text, result=None, error=exc.message)
    return render(request, "ask.html", text=text.strip(), result=result, error=None)


# -- follow, add, withdraw, rate --------------------------------------------------------------------------
@router.get("/follow")
async def follow_page(request: Request, number: str = ""):
    return _need_phone(request, "/portal/follow") or render(request, "follow.html", number=number[:40], error=None)


@router.post("/follow")
async def follow_post(request: Request):
    form, _ = await read_form(request)
    check_csrf(request, form)
    number = form.get("number", "").strip().upper()
    if not number or len(number) > 40 or not number.replace("-", "").isalnum():
        return render(request, "follow.html", 422, number=number[:40], error="请输入正确的工单编号")
    return RedirectResponse(f"/portal/case/{number}", status_code=303)


@router.get("/case/{number}")
async def case_page(request: Request, number: str, done: str = ""):
    svc = services(request)
    if (redirect := _need_phone(request, f"/portal/follow?number={number[:40]}")) is not None:
        return redirect
    try:
        view = await run_in_threadpool(svc.cases.follow, number, phone=_phone(request),
                                       address=client_address(request), now=svc.clock.now())
    except NotFound as exc:
        return render(request, "follow.html", 404, number=number[:40], error=exc.message)
    return render(request, "case.html", case=view, done=done, satisfaction=SATISFACTION)


@router.post("/case/{number}/{what}")
async def case_post(request: Request, number: str, what: str):
    svc = services(request)
    if (redirect := _need_phone(request, "/portal/follow")) is not None:
        return redirect
    form, _ = await read_form(request)
    check_csrf(request, form)
    phone, now, cases = _phone(request), svc.clock.now(), svc.cases
    if what == "note":
        await run_in_threadpool(cases.add_note, number, form.get("text", ""), phone=phone, now=now)
    elif what == "withdraw":
        await run_in_threadpool(cases.withdraw, number, form.get("reason", ""), phone=phone, now=now)
    elif what == "rate":
        solved = {"1": True, "0": False}.get(form.get("solved", ""))
        reopened = await run_in_threadpool(cases.rate, number, solved=solved, satisfaction=form.get("satisfaction", ""),
                                           comment=form.get("comment", ""), phone=phone, now=now)
        what = "reopened" if reopened else "rated"
    else:
        raise NotFound("页面不存在")
    return RedirectResponse(f"/portal/case/{number}?done={what}", status_code=303)


# -- the public list (办理情况公开) ----------------------------------------------------------------------------
@router.get("/public")
async def public_list(request: Request, category: str = "", street: str = "", page: int = 1):
    public = services(request).public
    found = await run_in_threadpool(public.search, category=category, street=street, page=page)
    streets = await run_in_threadpool(public.streets)
    return render(request, "public_list.html", found=found, category=category, street=street, streets=streets)


@router.get("/public/{case_id}")
async def public_case(request: Request, case_id: int):
    row = await run_in_threadpool(services(request).public.case, case_id)
    return render(request, "public_case.html", case=row)


@router.get("/public/{case_id}/photo/{sha}")
async def public_photo(request: Request, case_id: int, sha: str):
    data = await run_in_threadpool(services(request).public.photo, case_id, sha)
    return secure(request, Response(data, media_type="image/jpeg", headers={"Cache-Control": "public, max-age=86400"}))


def too_large_page(limit: int) -> tuple[bytes, bytes]:
    """The 413 of the report form, as a page (the body limit answers before any handler runs)."""
    mb = limit / (1024 * 1024)
    html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>上传内容过大</title>'
            f'<link rel="stylesheet" href="/portal/static/portal.css"></head><body><main id="main" class="page">'
            f'<h1>上传内容过大</h1><p role="alert" class="error">照片和文字合计不超过 {mb:.0f} MB，本次提交未保存。'
            f'请删减或压缩照片后重新提交。</p><p><a class="button" href="/portal/report">返回填写</a></p></main></body></html>')
    return b"text/html; charset=utf-8", html.encode()


def install(app, svc: PortalServices) -> None:
    app.state.portal = svc
    app.include_router(router)
    app.mount("/portal/static", StaticFiles(directory=STATIC), name="portal-static")
