"""The console in a real browser: sign-in, lock, scope, CSRF, escaping, sign-out, password change."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.console_kit import PASSWORD

APPEAL = {"channel": "phone", "text": "小区门口占道经营，车都进不来", "region": "148802001002",
          "caller": {"name": "李秀英", "phone": "13812345678"}, "address": "东城区和平路 18 号"}


def appeal(desk, text: str = APPEAL["text"], who: str = "operator", **extra) -> str:
    r = desk.post(who, "/appeals", {**APPEAL, "text": text, **extra})
    assert r.status_code == 201, r.text
    return r.json()["orders"][0]["id"]


def sign_in(page, name: str, password: str = PASSWORD, path: str = "/console/"):
    page.goto(path)
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("button.primary")


def test_operator_signs_in_and_sees_the_order_list_then_the_detail(desk, new_page, shots):
    numbers = [appeal(desk), appeal(desk, "幸福路路灯不亮了，晚上很黑"), appeal(desk, "楼上漏水到我家天花板")]
    page = new_page()
    page.goto("/console/")
    expect(page).to_have_url(f"{desk.url}/console/login")
    expect(page.locator("h1")).to_have_text("登录工作台")
    page.screenshot(path=str(shots / "login.png"))
    sign_in(page, "operator")
    expect(page).to_have_url(f"{desk.url}/console/")
    expect(page.locator("h1")).to_have_text("受理工单")
    rows = page.locator("table.orders tbody tr")
    expect(rows).to_have_count(3)
    for number in numbers:
        expect(page.locator(f"a[href='/console/orders/{number}']")).to_be_visible()
    expect(page.locator("table.orders")).to_contain_text("李**")
    expect(page.locator("table.orders")).not_to_contain_text("13812345678")
    page.screenshot(path=str(shots / "list.png"), full_page=True)

    assert page.evaluate("typeof window.htmx") == "object"  # the vendored htmx, served by the desk itself
    page.evaluate("window.__same_page = true")
    page.select_option("#status", "cancelled")  # htmx swaps the table in: no reload
    expect(page.locator("#orders")).to_contain_text("暂无工单")
    assert page.evaluate("window.__same_page") is True
    assert "status=cancelled" in page.url
    page.select_option("#status", "")
    expect(rows).to_have_count(3)

    page.click(f"a[href='/console/orders/{numbers[1]}']")
    expect(page.locator("#appeal-text")).to_have_text("幸福路路灯不亮了，晚上很黑")
    expect(page.locator("#caller-phone")).to_have_text("138****5678")
    expect(page.locator("#timeline li").first).to_contain_text("受理")
    page.screenshot(path=str(shots / "detail.png"), full_page=True)


def test_wrong_password_shows_a_chinese_error_and_five_lock_the_account(desk, new_page):
    page = new_page()
    sign_in(page, "operator", "Wrong-pass-1")
    expect(page.locator("#login-error")).to_have_text("用户名或密码错误；再错 4 次将暂时锁定")
    expect(page.locator("#username")).to_have_value("operator")
    for _ in range(4):
        sign_in(page, "operator", "Wrong-pass-1")
    expect(page.locator("#login-error")).to_contain_text("登录失败次数过多，该账户已暂时锁定")
    sign_in(page, "operator")  # even the right password, while locked
    expect(page.locator("#login-error")).to_contain_text("已暂时锁定")
    expect(page).to_have_url(f"{desk.url}/console/login")


def test_signed_out_user_is_sent_to_sign_in_and_back(desk, new_page):
    number = appeal(desk)
    page = new_page()
    page.goto(f"/console/orders/{number}")
    expect(page).to_have_url(f"{desk.url}/console/login?next=/console/orders/{number}")
    page.fill("#username", "operator")
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    expect(page).to_have_url(f"{desk.url}/console/orders/{number}")
    expect(page.locator("#appeal-text")).to_have_text(APPEAL["text"])


def test_a_form_posted_without_its_csrf_token_is_refused(desk, new_page):
    page = new_page()
    sign_in(page, "operator")
    expect(page.locator("h1")).to_have_text("受理工单")
    page.evaluate("document.querySelector('form[action=\"/console/logout\"] input[name=csrf_token]').remove()")
    page.click("text=退出")
    expect(page.locator("h1")).to_have_text("请求被拒绝")
    expect(page.locator("#error-message")).to_contain_text("CSRF")
    page.goto("/console/")  # the refused sign-out did nothing: still signed in
    expect(page.locator("h1")).to_have_text("受理工单")
    page.evaluate("document.querySelector('form[action=\"/console/logout\"] input[name=csrf_token]').value = 'forged'")
    page.click("text=退出")
    expect(page.locator("h1")).to_have_text("请求被拒绝")


def test_a_handler_of_another_unit_gets_the_403_page(desk, new_page):
    number = appeal(desk)  # dispatched to URBAN
    mine, other = new_page(), new_page()
    sign_in(mine, "handler_urban", path=f"/console/orders/{number}")
    expect(mine.locator("#caller-phone")).to_have_text("13812345678")  # the unit's handler calls back
    sign_in(other, "handler_water", path=f"/console/orders/{number}")
    expect(other.locator("h1")).to_have_text("无权访问")
    expect(other.locator("#error-message")).to_contain_text("不在您的单位或辖区范围内")
    expect(other.locator("body")).not_to_contain_text("13812345678")


def test_script_in_an_appeal_is_shown_as_text(desk, new_page):
    evil = '<script>window.__x=1</script>"><img src=x onerror=window.__y=1> 留言里有代码，路灯不亮'
    number = appeal(desk, evil, caller={"name": '<b onmouseover=window.__z=1>王</b>', "phone": "13812345678"})
    page = new_page()
    sign_in(page, "admin")
    expect(page.locator("table.orders")).to_contain_text("<script>window.__x=1</script>")
    page.goto(f"/console/orders/{number}")
    expect(page.locator("#appeal-text")).to_have_text(evil)
    assert page.evaluate("[window.__x, window.__y, window.__z]") == [None, None, None]
    assert page.locator("#appeal-text img, #appeal-text script").count() == 0
    expect(page.locator("body")).to_contain_text("<b onmouseover=window.__z=1>王</b>")


def test_sign_out_ends_the_session(desk, new_page):
    page = new_page()
    sign_in(page, "operator")
    page.click("text=退出")
    expect(page.locator(".notice")).to_have_text("您已安全退出。")
    assert not [c for c in page.context.cookies() if c["name"] == "ld_session"]
    page.goto("/console/")
    expect(page).to_have_url(f"{desk.url}/console/login")
    expect(page.locator("h1")).to_have_text("登录工作台")


def test_password_change_works_and_the_new_password_signs_in(desk, new_page):
    page = new_page()
    sign_in(page, "operator")
    page.click("text=修改密码")
    page.fill("#old_password", PASSWORD)
    page.fill("#new_password", "Another-2026")
    page.fill("#new_password2", "Another-2027")
    page.click("button.primary")
    expect(page.locator("#password-error")).to_have_text("两次输入的新密码不一致")
    page.fill("#old_password", PASSWORD)
    page.fill("#new_password", "Another-2026")
    page.fill("#new_password2", "Another-2026")
    page.click("button.primary")
    expect(page.locator("#password-notice")).to_contain_text("密码已修改")
    page.click("text=退出")
    sign_in(page, "operator")
    expect(page.locator("#login-error")).to_contain_text("用户名或密码错误")
    sign_in(page, "operator", "Another-2026")
    expect(page.locator("h1")).to_have_text("受理工单")
