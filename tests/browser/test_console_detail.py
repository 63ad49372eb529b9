"""The order detail around an order: the linked order on the other platform with the state of the link,
repeat calls, attachments, unit names in the trail."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_console_browser import APPEAL, sign_in


def test_a_shadow_shows_its_police_order_and_the_state_of_the_link(desk, new_page, shots):
    r = desk.post("operator", "/appeals", {**APPEAL, "text": "刚才有人抢劫，往东跑了",
                                           "attachments": [{"uri": "file:///recordings/call-0001.wav", "name": "来电录音"}]})
    assert r.status_code == 201, r.text
    orders = {o["platform"]: o["id"] for o in r.json()["orders"]}
    page = new_page()
    sign_in(page, "operator", path=f"/console/orders/{orders['12345']}")
    expect(page.locator("#link-state")).to_have_text("对方已签收，办理中")
    expect(page.locator("#related")).to_contain_text(orders["110"])  # named, not opened: another platform's order
    expect(page.locator(f"#related a[href='/console/orders/{orders['110']}']")).to_have_count(0)
    expect(page.locator("#related")).to_contain_text("来电录音")
    page.screenshot(path=str(shots / "detail-related.png"), full_page=True)


def test_a_repeat_call_links_the_earlier_order_and_the_trail_names_units(desk, new_page):
    first = desk.post("operator", "/appeals", APPEAL).json()["orders"][0]["id"]
    second = desk.post("operator", "/appeals", APPEAL).json()["orders"][0]["id"]
    page = new_page()
    sign_in(page, "operator", path=f"/console/orders/{second}")
    expect(page.locator("#repeat-of")).to_contain_text(first)
    page.click(f"#repeat-of a[href='/console/orders/{first}']")
    expect(page.locator("#appeal-text")).to_have_text(APPEAL["text"])
    expect(page.locator("#timeline")).to_contain_text("智能派单")


def test_the_order_list_shows_a_new_order_without_a_reload(desk, new_page):
    page = new_page()
    sign_in(page, "operator")
    expect(page.locator("h1")).to_have_text("受理工单")
    page.evaluate("window.__same_page = true")
    number = desk.post("operator", "/appeals", {**APPEAL, "text": "幸福路的路灯坏了好几盏"}).json()["orders"][0]["id"]
    expect(page.locator(f"a[href='/console/orders/{number}']")).to_be_visible(timeout=15000)  # the list polls every 10 s
    assert page.evaluate("window.__same_page") is True
