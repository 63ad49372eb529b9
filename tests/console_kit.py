"""Helpers for console tests: give the test world's users passwords, sign in through the real form."""

from __future__ import annotations

import re

from liandong.auth import passwords

PASSWORD = "Hotline-12345"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def give_passwords(ctx, *names: str, password: str = PASSWORD) -> None:
    with ctx.write() as s:
        for name in names:
            passwords.set_password(s, name, password, ctx.clock.now())


def login_token(client) -> str:
    """The sign-in form's CSRF token (and its cookie, kept by the client)."""
    r = client.get("/console/login")
    assert r.status_code == 200
    return CSRF.search(r.text).group(1)


def sign_in(client, name: str, password: str = PASSWORD, next_url: str = "/console/"):
    token = login_token(client)
    return client.post("/console/login", data={"csrf_token": token, "username": name, "password": password,
                                               "next": next_url}, follow_redirects=False)


def page_csrf(client, path: str = "/console/") -> str:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    return CSRF.search(r.text).group(1)
