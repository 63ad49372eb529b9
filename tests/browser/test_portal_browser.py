"""The citizen portal in a real browser on a phone-sized screen (390×844): report a broken street light
with a photo, follow it to its reply and rate it; 即问即答 from the knowledge base; an emergency; another
phone; the public list. Every page's requests are recorded: none may go to another host."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from liandong.api.app import create_app
from liandong.demo.knowledge import load_demo_knowledge
from liandong.orders.tables import OrderRow
from liandong.portal.adapters import PhotoStore
from liandong.portal.tables import PhotoRow
from tests.browser.conftest import Recorder
from tests.builders import make_world
from tests.console_kit import PASSWORD, give_passwords
from tests.fakes import ScriptedRouter
from tests.portal_kit import jpeg_with_gps, use_memory_sms
from tests.servers import serving

PHONE, OTHER = "13800138000", "13900139000"
PHONE_SCREEN = {"width": 390, "height": 844}


@pytest.fixture
def portal(db_url, clock, tmp_path):
    world = make_world(db_url, clock, router=ScriptedRouter())
    give_passwords(world.ctx, "police")
    world.sms = use_memory_sms(world.ctx)
    world.ctx.portal.photos = world.ctx.public_cases.photos = PhotoStore(tmp_path / "photos")
    with serving(create_app(world.ctx)) as url:
        world.url = url
        yield world
    world.ctx.close()


@pytest.fixture
def phone(browser, portal):
    """Pages on a phone-sized screen, each in its own context (own cookies) with a request recorder."""
    contexts, recorders = [], []

    def make(viewport=PHONE_SCREEN):
        context = browser.new_context(base_url=portal.url, locale="zh-CN", viewport=viewport, device_scale_factor=2,
                                      is_mobile=viewport is PHONE_SCREEN, has_touch=viewport is PHONE_SCREEN)
        page = context.new_page()
        recorder = Recorder(portal.url)
        page.on("request", recorder)
        contexts.append(context)
        recorders.append(recorder)
        return page

    yield make
    for context in contexts:
        context.close()
    foreign = [u for r in recorders for u in r.foreign()]
    assert not foreign, f"pages requested other hosts: {foreign}"
    assert all(r.urls for r in recorders)


@pytest.fixture
def shots(tmp_path) -> Path:
    """docs/portal/ with LIANDONG_PORTAL_SHOTS=docs/portal (`make portal-screenshots`), else a temporary folder."""
    target = os.environ.get("LIANDONG_PORTAL_SHOTS")
    path = Path(target) if target else tmp_path / "shots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def verify(page, portal, number: str = PHONE, then: str = "/portal/report"):
    page.goto(f"/portal/verify?next={then}")
    page.fill("#phone", number)
    page.click("button[value=send]")
    expect(page.locator("[role=status]")).to_contain_text("验证码已发送")
    page.fill("#code", portal.sms.last_code(number))
    page.click("button[value=check]")
    expect(page).to_have_url(re.compile(re.escape(then)))


def fill_report(page, text: str):
    page.fill("#text", text)
    page.fill("#address", "幸福里小区")
    page.check("#consent")


def test_a_citizen_reports_a_street_light_with_a_photo_follows_it_to_the_reply_and_rates_it(portal, phone, shots):
    page = phone()
    page.goto("/portal/")
    page.screenshot(path=str(shots / "home.png"), full_page=True)
    verify(page, portal)
    unlabelled = page.evaluate("""[...document.querySelectorAll('main input, main select, main textarea')]
        .filter(e => e.type !== 'hidden' && !e.closest('[aria-hidden=true]') && e.labels.length === 0).map(e => e.name)""")
    assert unlabelled == []
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"  # focus order starts at the skip link
    fill_report(page, "幸福里小区门口的路灯坏了一个星期，晚上很黑")
    page.set_input_files("#photos", files=[{"name": "light.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}])
    page.screenshot(path=str(shots / "report.png"), full_page=True)
    page.click("form.form button[type=submit]")
    expect(page.locator("h1")).to_have_text("已收到您的诉求")
    number = page.locator("#order-number").inner_text()
    expect(page.locator("#reply-by")).to_have_text("2026年11月26日")
    page.screenshot(path=str(shots / "reported.png"), full_page=True)
    with portal.ctx.read() as s:
        assert s.scalar(select(PhotoRow.sha256)) is not None
    assert portal.act("handler_urban", number, "sign").status_code == 200
    assert portal.act("handler_urban", number, "reply", note="已更换灯泡，路灯恢复照明。").status_code == 200
    page.click("text=查看办理进度")
    expect(page.locator("#status")).to_contain_text("已答复")
    expect(page.locator("#reply")).to_contain_text("已更换灯泡")
    expect(page.locator("#unit")).not_to_have_text("分派中")
    page.screenshot(path=str(shots / "case-replied.png"), full_page=True)
    page.check("input[name=solved][value='1']")
    page.check("input[name=satisfaction][value='满意']")
    page.fill("#comment", "修得很快，谢谢")
    page.click("text=提交评价")
    expect(page.locator("[role=status]").first).to_contain_text("感谢您的评价")
    expect(page.locator("#status")).to_contain_text("已办结")
    expect(page.locator("#rated")).to_contain_text("满意度：满意")
    page.click("text=大字模式")
    expect(page.locator("html")).to_have_class("big")
    page.screenshot(path=str(shots / "case-rated-large-text.png"), full_page=True)
    with portal.ctx.read() as s:
        order = s.scalar(select(OrderRow).where(OrderRow.number == number))
    assert (order.status, order.solved, order.satisfaction) == ("visited", True, "satisfied")


def test_a_consultation_is_answered_from_the_knowledge_base(portal, phone, shots):
    load_demo_knowledge(portal.ctx)
    page = phone()
    page.goto("/portal/ask")
    page.fill("#ask-text", "办社保卡要带什么材料")
    page.click("text=查找答复")
    expect(page.locator("#kb-answer")).to_contain_text("身份证原件")
    page.screenshot(path=str(shots / "ask.png"), full_page=True)
    page.fill("#ask-text", "孩子上学怎么报名")
    page.click("text=查找答复")
    expect(page.locator("#kb-none")).to_be_visible()
    page.click("text=补充地点后提交诉求")
    expect(page).to_have_url(re.compile("/portal/verify"))


def test_an_emergency_shows_the_call_110_notice_and_alerts_the_desk(portal, phone, shots):
    page = phone()
    verify(page, portal)
    fill_report(page, "有人在超市门口持刀抢劫，快来人")
    page.click("form.form button[type=submit]")
    notice = page.locator(".emergency[role=alert]")
    expect(notice).to_contain_text("请立即拨打电话")
    expect(notice.locator("a[href='tel:110']")).to_be_visible()
    assert float(notice.locator("h1").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28
    page.screenshot(path=str(shots / "emergency.png"), full_page=True)
    desk = phone({"width": 1366, "height": 768})
    desk.goto("/console/login?next=/console/police")
    desk.fill("#username", "police")
    desk.fill("#password", PASSWORD)
    desk.click("button.primary")
    expect(desk.locator("h1")).to_have_text("接警台")
    expect(desk.locator("#police-orders")).to_contain_text("持刀抢劫")


def test_another_phones_code_cannot_open_the_order(portal, phone, shots):
    mine = phone()
    verify(mine, portal)
    fill_report(mine, "幸福里小区门口的路灯坏了，晚上很黑")
    mine.click("form.form button[type=submit]")
    number = mine.locator("#order-number").inner_text()
    theirs = phone()
    verify(theirs, portal, OTHER, then="/portal/follow")
    theirs.fill("#number", number)
    theirs.click("form.form button[type=submit]")
    expect(theirs.locator("#follow-error")).to_contain_text("未找到该工单")
    expect(theirs.locator("body")).not_to_contain_text("路灯")
    theirs.screenshot(path=str(shots / "follow-not-yours.png"), full_page=True)


def test_a_public_case_shows_no_personal_data(portal, phone, shots):
    citizen = phone()
    verify(citizen, portal)
    fill_report(citizen, "我叫李四，电话13800138000，幸福里小区5号楼门口路灯不亮")
    citizen.fill("#name", "李四")
    citizen.set_input_files("#photos", files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}])
    citizen.click("form.form button[type=submit]")
    number = citizen.locator("#order-number").inner_text()
    portal.act("handler_urban", number, "sign")
    portal.act("handler_urban", number, "reply", note="已修复。已电话联系李四先生（13800138000）确认。")
    assert portal.post("handler_urban", "/portal/publications", {"order_number": number, "with_photos": True}).status_code == 201
    page = phone()
    page.goto("/portal/public")
    page.screenshot(path=str(shots / "public-list.png"), full_page=True)
    page.click("ul.cases a")
    expect(page.locator("#public-reply")).to_contain_text("已修复")
    expect(page.locator("img.photo")).to_have_count(1)
    assert page.locator("img.photo").evaluate("i => i.naturalWidth") > 0
    body = page.locator("body").inner_text()
    for personal in ("李四", "13800138000", "幸福里", "5号楼"):
        assert personal not in body
    page.screenshot(path=str(shots / "public-case.png"), full_page=True)
