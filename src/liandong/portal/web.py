"""The web shell's plumbing: templates, security headers, the double-submit CSRF cookie, form parsing.

The portal is public (no account), so its POSTs are guarded by a random cookie repeated in a hidden
field (SameSite=Strict as well), and a verified phone travels in a signed cookie (`otp.sign_phone`)."""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from liandong.core.clock import CST
from liandong.core.errors import InvalidInput

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
CSP = ("default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
CSRF_COOKIE, PHONE_COOKIE, BIG_COOKIE = "ld_portal_csrf", "ld_portal_phone", "ld_portal_big"
MAX_FIELD = 8 * 1024


def when(value: datetime | None, fmt: str = "%Y年%m月%d日 %H:%M") -> str:
    return value.astimezone(CST).strftime(fmt) if value is not None else "—"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True,
                      default_for_string=True), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(when=when)
    return env


def csrf_of(request: Request) -> str:
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = request.state.new_csrf = secrets.token_urlsafe(24)
    return token


def render(request: Request, template: str, code: int = 200, **context) -> HTMLResponse:
    context.setdefault("csrf", csrf_of(request))
    context.setdefault("big", request.cookies.get(BIG_COOKIE) == "1")
    context.setdefault("path", request.url.path)
    context.setdefault("verified", getattr(request.state, "phone", None))
    response = HTMLResponse(environment().get_template(template).render(**context), status_code=code)
    return secure(request, response)


def secure(request: Request, response):
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(CSRF_COOKIE, new, path="/portal", httponly=True, samesite="strict")
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "no-referrer")
    h.setdefault("Cache-Control", "no-store")
    return response


def check_csrf(request: Request, form: dict[str, str]) -> None:
    expected = request.cookies.get(CSRF_COOKIE) or ""
    if not expected or not hmac.compare_digest(expected, form.get("csrf", "")):
        raise InvalidInput("页面已过期，请返回上一页刷新后重新提交")


async def read_form(request: Request) -> tuple[dict[str, str], list[tuple[str, bytes]]]:
    """An urlencoded or multipart form (the body was bounded by the body limit): fields and files."""
    body = await request.body()
    ctype = request.headers.get("content-type", "")
    if ctype.split(";")[0].strip().lower() == "multipart/form-data":
        return _multipart(body, ctype)
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=40)
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("表单编码应为 UTF-8") from None
    fields = {k: v[0] for k, v in parsed.items()}
    if any(len(v) > MAX_FIELD for v in fields.values()):
        raise InvalidInput("填写内容过长")
    return fields, []


_NAME = re.compile(r'(?:^|;)\s*name="([^"]*)"')
_FILENAME = re.compile(r'(?:^|;)\s*filename="([^"]*)"')
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?')


def _multipart(body: bytes, ctype: str) -> tuple[dict[str, str], list[tuple[str, bytes]]]:
    """multipart/form-data split on its boundary (bytes.split: a few ms for 15 MB, where the e-mail parser
    took a quarter of a second per photo)."""
    found = _BOUNDARY.search(ctype)
    if not found:
        raise InvalidInput("表单格式不正确，请刷新页面后重新提交")
    fields: dict[str, str] = {}
    files: list[tuple[str, bytes]] = []
    chunks = body.split(b"--" + found.group(1).encode("latin-1"))
    if len(chunks) < 3:
        raise InvalidInput("表单格式不正确，请刷新页面后重新提交")
    for chunk in chunks[1:]:
        if chunk.startswith(b"--") or len(fields) + len(files) > 40:
            break
        head, sep, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            raise InvalidInput("表单格式不正确，请刷新页面后重新提交")
        content = content.removesuffix(b"\r\n")
        try:
            disposition = next((line.split(":", 1)[1] for line in head.decode("utf-8").split("\r\n")
                                if line.lower().startswith("content-disposition:")), "")
        except UnicodeDecodeError:
            raise InvalidInput("表单编码应为 UTF-8") from None
        name, filename = _NAME.search(disposition), _FILENAME.search(disposition)
        if name is None:
            continue
        if filename is not None:
            if filename.group(1) or content:  # an empty file input sends a part with no name and no bytes
                files.append((filename.group(1), content))
            continue
        try:
            value = content.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("表单编码应为 UTF-8") from None
        if len(value) > MAX_FIELD:
            raise InvalidInput("填写内容过长")
        if "\x00" in value:
            raise InvalidInput("填写内容含有空字符，请删除后重新提交")
        fields.setdefault(name.group(1), value)
    return fields, files


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def safe_next(target: str | None) -> str:
    target = target or "/portal/"
    return target if target.startswith("/portal/") and "//" not in target and "\\" not in target else "/portal/"
