"""The 话务员 intake page and the 110 接警员 desk in a real browser, with the real routing engine: the
suggestion appears while the operator types, an emergency is handed to 110 with one key and lands on
the 110 desk's page in a second browser context without a reload, 即问即答, shortcuts, 重复来电."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from liandong.api.app import create_app
from liandong.routing.router import load_router
from tests.builders import make_world
from tests.console_kit import PASSWORD, give_passwords
from tests.servers import serving

REGION = "148802001002"
PHONE = "13812345678"
LIVE = 10_000  # ms: the desk polls every 3 s


@pytest.fixture(scope="module")
def router():
    return load_router("demo")


@pytest.fixture
def desk(db_url, clock, router):
    """As the conftest's desk, with the real router (its decisions are what these pages show)."""
    world = make_world(db_url, clock, router=router)
    give_passwords(world.ctx, "operator", "police", "handler_urban")
    with serving(create_app(world.ctx)) as url:
        world.url = url
        yield world
    world.ctx.close()


def sign_in(page, name: str, path: str):
    page.goto(path)
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def take_call(page, text: str, phone: str = PHONE, name: str = "王建华"):
    page.fill("#caller_name", name)
    page.fill("#phone", phone)
    page.fill("#address", "东城区和平路 18 号")
    page.fill("#region", REGION)
    page.fill("#text", text)
    page.press("#text", "End")  # a keyup: htmx asks for the suggestion 300 ms after the last one


def test_operator_takes_a_street_light_appeal_and_reads_back_the_number(desk, new_page, shots):
    page = new_page()
    sign_in(page, "operator", "/console/intake")
    expect(page.locator("h1")).to_have_text("受理台")
    take_call(page, "幸福路的路灯不亮了，晚上很黑，老人走路容易摔")
    expect(page.locator("#s-category")).to_contain_text("路灯")
    expect(page.locator("#s-services")).to_have_text("12345 职能部门")
    expect(page.locator("#s-unit")).not_to_have_text("—")
    expect(page.locator("#emergency-banner")).to_have_count(0)
    expect(page.locator("#repeats")).to_contain_text("该号码无历史诉求")
    page.screenshot(path=str(shots / "intake.png"), full_page=True)
    page.press("#text", "Control+Enter")
    expect(page.locator("#intake-result")).to_contain_text("请向来电人复述工单编号")
    number = page.locator("#intake-result .number").first.inner_text()
    assert number.startswith("GD-")
    expect(page.locator("#intake-result")).to_contain_text("已派单")
    expect(page.locator("#text")).to_have_value("")  # a blank form for the next call
    r = desk.get("operator", f"/orders/{number}")
    assert r.status_code == 200 and "路灯" in r.json()["text"]


def test_knife_fight_is_handed_to_110_and_appears_on_the_110_desk_without_a_reload(desk, new_page, shots):
    joint = desk.post("operator", "/appeals", {"channel": "phone", "text": "一个男的站在楼顶边上说不想活了",
                                               "region": REGION}).json()
    joint_police = next(o["id"] for o in joint["orders"] if o["platform"] == "110")
    police = new_page()
    sign_in(police, "police", "/console/police")
    expect(police.locator("h1")).to_have_text("接警台")
    expect(police.locator("#joint")).to_contain_text(joint_police)
    expect(police.locator(f"#police-orders tr.joint a[href='/console/orders/{joint_police}']")).to_be_visible()
    police.evaluate("window.__same_page = true")

    operator = new_page()
    sign_in(operator, "operator", "/console/intake")
    take_call(operator, "小区门口有人持刀打架，已经有人受伤流血了，快来人", phone="13900002222")
    banner = operator.locator("#emergency-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("110")
    expect(operator.locator("#s-services")).to_contain_text("110 公安")
    operator.screenshot(path=str(shots / "intake-emergency.png"), full_page=True)
    operator.press("#text", "F9")  # 一键转警
    result = operator.locator("#intake-result")
    expect(result).to_contain_text("警单")
    police_number = operator.locator("#intake-result li", has_text="警单").locator(".number").inner_text()
    assert police_number.startswith("JD-")

    row = police.locator(f"#police-orders a[href='/console/orders/{police_number}']")
    expect(row).to_be_visible(timeout=LIVE)  # the desk's poll brought it, no reload
    expect(police.locator("#alarm")).to_be_visible()
    expect(police.locator("#alarm")).to_contain_text(police_number)
    assert police.evaluate("window.__same_page") is True
    assert police.evaluate("window.__ldBeeps") >= 1  # the Web Audio beep was played
    transfers_in = police.locator("#transfers-in")
    expect(transfers_in).to_contain_text(police_number)
    expect(transfers_in.locator("tr", has_text=police_number)).to_contain_text("已派警")
    police.screenshot(path=str(shots / "police.png"), full_page=True)


def test_a_consultation_answered_on_the_call_ends_replied(desk, new_page):
    page = new_page()
    sign_in(page, "operator", "/console/intake")
    take_call(page, "帮我查一下明天的航班有没有延误")
    expect(page.locator("#consult-hint")).to_be_visible()
    page.keyboard.press("Alt+7")  # opens 即问即答 and focuses the answer
    expect(page.locator("#answer")).to_be_focused()
    page.keyboard.type("航班信息请拨打机场问询电话或查看航空公司公告。")
    page.keyboard.press("Alt+Y")
    expect(page.locator("#intake-notice")).to_have_text("已当场答复来电人（即问即答）。")
    expect(page.locator("#intake-result .status")).to_have_text("已答复")
    number = page.locator("#intake-result .number").inner_text()
    events = desk.get("operator", f"/orders/{number}/events").json()
    assert [e["action"] for e in events][-1] == "reply"


def test_a_consultation_a_department_would_take_is_answered_on_the_call_without_dispatch(desk, new_page):
    """The routing would dispatch this question to the social-security office; answered on the call it is not."""
    page = new_page()
    sign_in(page, "operator", "/console/intake")
    take_call(page, "请问社保卡丢了怎么补办，需要带什么材料")
    expect(page.locator("#consult-hint")).to_be_visible()
    page.keyboard.press("Alt+7")
    page.keyboard.type("携带身份证到社保服务大厅补办，当场可取。")
    page.keyboard.press("Alt+Y")
    expect(page.locator("#intake-result .status")).to_have_text("已答复")
    number = page.locator("#intake-result .number").inner_text()
    assert [e["action"] for e in desk.get("operator", f"/orders/{number}/events").json()] == ["receive", "reply"]


def test_an_empty_answer_is_refused_in_chinese_and_nothing_is_stored(desk, new_page):
    page = new_page()
    sign_in(page, "operator", "/console/intake")
    take_call(page, "帮我查一下明天的航班有没有延误")
    page.keyboard.press("Alt+Y")
    expect(page.locator("#intake-errors")).to_have_text("即问即答：请先填写当场答复的内容")
    expect(page.locator("#text")).to_have_value("帮我查一下明天的航班有没有延误")  # what was typed is kept
    assert desk.get("operator", "/orders").json()["total"] == 0


def test_question_mark_lists_the_shortcuts_and_every_field_has_a_key(desk, new_page):
    page = new_page()
    sign_in(page, "operator", "/console/intake")
    page.locator("h1").click()
    page.keyboard.press("?")
    dialog = page.locator("#shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("一键转警")
    expect(dialog).to_contain_text("Ctrl+Enter")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    for key, field in (("Alt+1", "#channel"), ("Alt+2", "#caller_name"), ("Alt+3", "#phone"), ("Alt+4", "#address"),
                       ("Alt+5", "#region"), ("Alt+6", "#text")):
        page.keyboard.press(key)
        expect(page.locator(field)).to_be_focused()
    page.keyboard.type("我要问")  # `?` inside a field is text, not the list
    page.keyboard.press("?")
    expect(dialog).to_be_hidden()
    expect(page.locator("#text")).to_have_value("我要问?")


def test_the_same_phone_calling_again_shows_the_earlier_appeal_as_a_repeat_call(desk, new_page):
    first = desk.post("operator", "/appeals", {"channel": "phone", "text": "楼下烧烤油烟太大，窗户都不敢开",
                                               "region": REGION, "caller": {"phone": PHONE}}).json()
    number = first["orders"][0]["id"]
    page = new_page()
    sign_in(page, "operator", "/console/intake")
    take_call(page, "楼下烧烤油烟还是很大，上次反映了没人管")
    repeats = page.locator("#repeats")
    expect(repeats).to_contain_text("重复来电")
    expect(repeats.locator(f"a[href='/console/orders/{number}']")).to_be_visible()
    expect(repeats).to_contain_text(first["orders"][0]["status_label"])
    page.fill("#phone", "13700009999")  # another caller: no history
    page.press("#phone", "End")
    expect(repeats).to_contain_text("该号码无历史诉求")
