"""The console's sign-in, sign-out and password pages over HTTP: bad input is a 4xx page in Chinese,
cookies carry the right flags, every POST needs its CSRF token, and the pages are scoped as the API."""

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from liandong.api.app import create_app
from tests.builders import World
from tests.console_kit import PASSWORD, give_passwords, login_token, page_csrf, sign_in

APPEAL = {"channel": "phone", "text": "占道经营，堵路了", "region": "148802001002",
          "caller": {"name": "李秀英", "phone": "13812345678"}}
MESSAGE = re.compile(r'id="(?:error-message|login-error|password-error)">([^<]+)<')


def message(r) -> str:
    m = MESSAGE.search(r.text)
    assert m, r.text[:800]
    return m.group(1)


@pytest.fixture
def web(world: World):
    give_passwords(world.ctx, "operator", "handler_urban", "handler_water", "police", "admin")
    return world


def client_of(world: World, base_url: str = "http://testserver") -> TestClient:
    return TestClient(create_app(world.ctx), base_url=base_url, raise_server_exceptions=False)


def test_signed_out_pages_redirect_to_sign_in_with_the_way_back(web):
    c = client_of(web)
    r = c.get("/console/orders/GD-1?tab=log", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login?next=/console/orders/GD-1%3Ftab%3Dlog"
    assert c.get("/console/", follow_redirects=False).headers["location"] == "/console/login"
    r = c.get(r.headers["location"])
    assert r.status_code == 200 and "登录工作台" in r.text and 'value="/console/orders/GD-1?tab=log"' in r.text


def test_sign_in_sets_a_strict_httponly_session_cookie_and_goes_back(web):
    c = client_of(web)
    r = sign_in(c, "operator", next_url="/console/orders/GD-9")
    assert r.status_code == 303 and r.headers["location"] == "/console/orders/GD-9"
    cookie = next(v for v in r.headers.get_list("set-cookie") if v.startswith("ld_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie  # plain HTTP (loopback); over HTTPS it is Secure, below
    assert c.get("/console/").status_code == 200


def test_session_cookie_is_secure_over_https(web):
    r = sign_in(client_of(web, "https://desk.example"), "operator")
    cookie = next(v for v in r.headers.get_list("set-cookie") if v.startswith("ld_session="))
    assert "Secure" in cookie


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/api/v1/orders", "/console/\\evil"])
def test_sign_in_never_redirects_off_the_console(web, target):
    r = sign_in(client_of(web), "operator", next_url=target)
    assert r.status_code == 303 and r.headers["location"] == "/console/"


def test_wrong_password_and_unknown_user_get_the_same_chinese_answer(web):
    c = client_of(web)
    wrong, unknown = sign_in(c, "operator", "Wrong-pass-1"), sign_in(c, "nobody", "Wrong-pass-1")
    assert wrong.status_code == unknown.status_code == 401
    assert message(wrong) == message(unknown) == "用户名或密码错误；再错 4 次将暂时锁定"


def test_five_failures_lock_with_429_and_a_chinese_message(web):
    c = client_of(web)
    for _ in range(4):
        assert sign_in(c, "operator", "Wrong-pass-1").status_code == 401
    r = sign_in(c, "operator", "Wrong-pass-1")
    assert r.status_code == 429 and "已暂时锁定" in message(r)
    assert sign_in(c, "operator").status_code == 429  # the right password does not open a locked name
    web.ctx.clock.advance(timedelta(minutes=16))
    assert sign_in(c, "operator").status_code == 303


@pytest.mark.parametrize("fields,status,text", [
    ({"username": "", "password": ""}, 422, "请输入用户名和密码"),
    ({"username": "operator", "password": ""}, 422, "请输入用户名和密码"),
    ({"username": "operator", "password": "x" * 10240}, 422, "密码不超过 128 个字符"),
    ({"username": "u" * 65, "password": PASSWORD}, 422, "用户名不超过 64 个字符"),
    ({"password": PASSWORD}, 422, "请输入用户名和密码"),
])
def test_bad_sign_in_input_is_refused_in_chinese(web, fields, status, text):
    c = client_of(web)
    r = c.post("/console/login", data={"csrf_token": login_token(c), **fields}, follow_redirects=False)
    assert r.status_code == status and message(r) == text


def test_sign_in_refuses_what_is_not_a_form(web):
    c = client_of(web)
    token = login_token(c)
    r = c.post("/console/login", json={"csrf_token": token, "username": "operator", "password": PASSWORD})
    assert r.status_code == 415 and "只接受网页表单提交" in message(r)
    r = c.post("/console/login", files={"username": ("a", b"operator")}, data={"csrf_token": token})
    assert r.status_code == 415
    r = c.post("/console/login", content=b"csrf_token=" + token.encode() + b"&username=%FF%FE&password=x",
               headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400 and "UTF-8" in message(r)
    r = c.post("/console/login", data={"csrf_token": token, "username": "operator", "password": "p" * 70000})
    assert r.status_code == 413 and "不超过 64 KB" in message(r)


def test_sign_in_form_without_its_csrf_token_is_refused(web):
    c = client_of(web)
    login_token(c)
    r = c.post("/console/login", data={"username": "operator", "password": PASSWORD})
    assert r.status_code == 403 and "CSRF" in message(r)
    r = client_of(web).post("/console/login", data={"csrf_token": "made-up", "username": "operator", "password": PASSWORD})
    assert r.status_code == 403  # no sign-in cookie to match


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_every_post_needs_the_sessions_csrf_token(web, token):
    c = client_of(web)
    assert sign_in(c, "operator").status_code == 303
    data = {} if token is None else {"csrf_token": token}
    for path in ("/console/logout", "/console/password"):
        r = c.post(path, data={**data, "old_password": PASSWORD, "new_password": "Another-2026",
                               "new_password2": "Another-2026"})
        assert r.status_code == 403 and "安全令牌" in message(r)
    assert c.get("/console/").status_code == 200  # still signed in, password unchanged
    assert sign_in(client_of(web), "operator").status_code == 303


def test_csrf_token_may_come_in_the_htmx_header(web):
    c = client_of(web)
    sign_in(c, "operator")
    r = c.post("/console/logout", data={"x": "1"}, headers={"X-CSRF-Token": page_csrf(c)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login?out=1"


def test_sign_out_ends_the_session_on_the_server(web):
    c = client_of(web)
    sign_in(c, "operator")
    session_cookie = c.cookies.get("ld_session")
    r = c.post("/console/logout", data={"csrf_token": page_csrf(c)}, follow_redirects=True)
    assert "您已安全退出" in r.text
    replay = client_of(web)
    replay.cookies.set("ld_session", session_cookie, path="/console")
    r = replay.get("/console/", follow_redirects=False)
    assert r.status_code == 303 and "expired=1" in r.headers["location"]


def test_idle_session_expires_after_the_configured_minutes(web):
    c = client_of(web)
    sign_in(c, "operator")
    web.ctx.clock.advance(timedelta(minutes=29))
    assert c.get("/console/").status_code == 200
    web.ctx.clock.advance(timedelta(minutes=31))
    r = c.get("/console/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login?expired=1"
    assert "登录已超时" in c.get(r.headers["location"]).text


def test_password_change_checks_old_and_new_then_works(web):
    c = client_of(web)
    sign_in(c, "operator")
    other = client_of(web)
    sign_in(other, "operator")
    for old, new, again, text in [("Wrong-pass-1", "Another-2026", "Another-2026", "原密码不正确；再错 4 次将暂时锁定"),
                                  (PASSWORD, "Another-2026", "Another-2027", "两次输入的新密码不一致"),
                                  (PASSWORD, "abc", "abc", "新密码至少 8 个字符"),
                                  (PASSWORD, "x" * 10240, "x", "密码不超过 128 个字符")]:
        r = c.post("/console/password", data={"csrf_token": page_csrf(c), "old_password": old, "new_password": new,
                                              "new_password2": again})
        assert r.status_code == 422 and message(r) == text
    r = c.post("/console/password", data={"csrf_token": page_csrf(c), "old_password": PASSWORD,
                                          "new_password": "Another-2026", "new_password2": "Another-2026"})
    assert r.status_code == 200 and "密码已修改" in r.text and "其他 1 处登录已退出" in r.text
    assert c.get("/console/").status_code == 200  # this browser stays signed in
    assert other.get("/console/", follow_redirects=False).status_code == 303  # the other one is out
    assert sign_in(client_of(web), "operator").status_code == 401
    assert sign_in(client_of(web), "operator", "Another-2026").status_code == 303


def _listed(r) -> set[str]:
    return set(re.findall(r'href="/console/orders/([^"]+)"', r.text))


def test_order_list_is_scoped_exactly_as_the_api(web):
    work = web.post("operator", "/appeals", APPEAL).json()["orders"][0]["id"]
    police = web.post("police", "/appeals", {**APPEAL, "channel": "110", "text": "有人抢劫"}).json()["orders"][0]["id"]
    for name in ("operator", "handler_urban", "handler_water", "police", "admin"):
        c = client_of(web)
        sign_in(c, name)
        api = {i["id"] for i in web.get(name, "/orders").json()["items"]}
        assert _listed(c.get("/console/")) == api, name
    assert api >= {work, police}  # the admin sees both


def test_order_detail_masks_as_the_api_and_refuses_out_of_scope_with_a_403_page(web):
    number = web.post("operator", "/appeals", APPEAL).json()["orders"][0]["id"]
    op, mine, other = client_of(web), client_of(web), client_of(web)
    sign_in(op, "operator"), sign_in(mine, "handler_urban"), sign_in(other, "handler_water")
    r = op.get(f"/console/orders/{number}")
    assert r.status_code == 200 and "138****5678" in r.text and "13812345678" not in r.text and "已脱敏" in r.text
    assert "占道经营，堵路了" in r.text and "受理" in r.text  # the text and the audit trail
    r = mine.get(f"/console/orders/{number}")
    assert r.status_code == 200 and "13812345678" in r.text  # the unit's handler calls back
    r = other.get(f"/console/orders/{number}")
    assert r.status_code == 403 and "无权访问" in r.text and "不在您的单位或辖区范围内" in message(r)
    r = op.get("/console/orders/GD-NOPE")
    assert r.status_code == 404 and "不存在" in message(r)
    r = op.get("/console/?page=0")
    assert r.status_code == 422 and "页码" in message(r)
    r = op.get("/console/?status=nope")
    assert r.status_code == 422 and "状态「nope」无效" in message(r)


def test_pages_forbid_other_hosts_and_static_files_cache_for_a_year(web):
    c = client_of(web)
    r = c.get("/console/login")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["cache-control"] == "no-store"
    css = re.search(r'href="(/console/static/app\.css\?v=[0-9a-f]+)"', r.text).group(1)
    js = re.search(r'src="(/console/static/vendor/htmx\.min\.js\?v=[0-9a-f]+)"', r.text).group(1)
    for url in (css, js):
        s = c.get(url)
        assert s.status_code == 200 and s.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "htmx" in c.get(js).text[:2000]
    assert c.get("/console/no-such-page").status_code == 404


def test_idle_timeout_follows_the_setting(web):
    from dataclasses import replace

    web.ctx.settings = replace(web.ctx.settings, console_idle_minutes=5)
    c = client_of(web)
    sign_in(c, "operator")
    web.ctx.clock.advance(timedelta(minutes=4))
    assert c.get("/console/").status_code == 200
    web.ctx.clock.advance(timedelta(minutes=6))
    assert c.get("/console/", follow_redirects=False).headers["location"] == "/console/login?expired=1"
