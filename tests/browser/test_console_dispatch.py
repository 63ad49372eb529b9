"""The dispatcher's queue, the unit's inbox and the action forms of the order detail, in a real browser."""

from __future__ import annotations

import pytest

from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.test_console_browser import appeal, sign_in
from tests.console_kit import give_passwords

UNSURE = ("不确定该找哪个部门，小区门口垃圾堆了好几天", "不确定归谁管，路边的井盖松动了", "不确定找谁，楼下广场舞太吵",
          "不确定，公园的长椅坏了", "不确定该打哪个电话，昨天已经报过了")


def row(page, number):
    return page.locator(f"li[data-number='{number}']")


def open_form(scope, label):
    scope.locator("summary", has_text=label).click()
    return scope.locator("details[open] form")


@pytest.mark.scripted_router
def test_dispatcher_clears_the_review_queue_bulk_dispatches_and_cancels(desk, new_page, shots):
    give_passwords(desk.ctx, "dispatcher")
    a, b, c, d, e = [appeal(desk, text) for text in UNSURE]
    f = appeal(desk, "不确定的事，小区停车位被占")
    g = appeal(desk, "小区门口占道经营，车都进不来")  # dispatched at once, returned, the return approved
    desk.act("handler_urban", g, "sign")
    desk.act("handler_urban", g, "return", reason="wrong_region", note="该地址属于街道管理范围")
    assert desk.act("supervisor", g, "approve_return").json()["status"] == "received"
    page = new_page()
    sign_in(page, "dispatcher", path="/console/dispatch")
    expect(page.locator("h1")).to_have_text("派单台")
    expect(page.locator("#review-queue li[data-number]")).to_have_count(6)
    expect(row(page, a)).to_contain_text("待人工复核")
    expect(row(page, a).locator(".machine")).to_contain_text("测试：脚本化分流")  # the machine's reasons
    expect(row(page, a).locator(".suggested")).to_have_text("明川市城市管理局")
    expect(page.locator("#other-queue li[data-number]")).to_have_count(1)
    expect(row(page, g)).not_to_contain_text("待人工复核")
    page.screenshot(path=str(shots / "dispatch.png"), full_page=True)

    form = open_form(row(page, a), "改分类定级")  # the machine was unsure: a person sets category and level
    form.locator("input[name=category]").fill("JC-B65")  # from the page's list of the city's items
    form.locator("select[name=level]").select_option("较大")
    form.locator("button[type=submit]").click()
    expect(page.locator("#queue-notice")).to_have_text(f"工单 {a} 已完成「改分类定级」。")
    expect(page.locator(f"#other-queue li[data-number='{a}']")).to_contain_text("垃圾清运")  # review done
    expect(row(page, a).locator(".suggested")).to_have_text("明川市城市管理局")  # the new category's unit
    row(page, a).locator("button", has_text="采纳建议派单").click()
    expect(page.locator("#queue-notice")).to_have_text(f"工单 {a} 已完成「派单」。")
    expect(row(page, a)).to_have_count(0)
    done = desk.get("dispatcher", f"/orders/{a}").json()
    assert (done["status"], done["unit"], done["category_code"], done["level"], done["review"]) == \
        ("dispatched", "URBAN", "JC-B65", "较大", False)

    row(page, b).locator("button", has_text="采纳建议派单").click()  # accepted as the machine suggested
    expect(row(page, b)).to_have_count(0)
    assert desk.get("dispatcher", f"/orders/{b}").json()["unit"] == "URBAN"

    for number in (c, d, f):
        row(page, number).locator("input[type=checkbox]").check()
    assert desk.act("dispatcher", f, "reclassify", level="较大").status_code == 200  # someone else was faster
    page.select_option("#bulk-unit", "ST-148802001")
    page.click("#bulk button[type=submit]")
    expect(page.locator("h1")).to_have_text("批量派单结果")
    expect(page.locator("#bulk-ok li[data-number]")).to_have_count(2)
    expect(page.locator(f"#bulk-ok li[data-number='{c}']")).to_contain_text("已派至")
    expect(page.locator(f"#bulk-refused li[data-number='{f}']")).to_contain_text("已被他人更新")
    assert [desk.get("dispatcher", f"/orders/{n}").json()["unit"] for n in (c, d, f)] == \
        ["ST-148802001", "ST-148802001", None]  # one refusal left the others dispatched

    page.click("text=返回派单台")
    form = open_form(row(page, e), "撤销")
    form.locator("input[name=reason]").fill("重复来电，昨天已登记")
    form.locator("button[type=submit]").click()
    expect(page.locator("#queue-notice")).to_have_text(f"工单 {e} 已完成「撤销」。")
    expect(row(page, e)).to_have_count(0)
    trail = desk.get("dispatcher", f"/orders/{e}/events").json()
    assert trail[-1]["action"] == "cancel" and trail[-1]["data"]["reason"] == "重复来电，昨天已登记"
    expect(page.locator("#review-queue li[data-number]")).to_have_count(0)
    expect(page.locator(f"#other-queue li[data-number='{f}']")).to_be_visible()
    expect(row(page, g)).to_be_visible()


def test_handler_signs_and_replies_from_the_inbox(desk, new_page, shots):
    clock = desk.ctx.clock
    late = appeal(desk, "小区门口占道经营，车都进不来")  # dispatched to URBAN at once: 签收 within 2 working hours
    clock.advance(timedelta(hours=2, minutes=30))
    warned = appeal(desk, "幸福路路灯不亮了，晚上很黑")
    clock.advance(timedelta(hours=2, minutes=40))
    fresh = appeal(desk, "公交站旁边的垃圾桶满了")
    desk.ctx.supervision.run_checks(desk.ctx.write, clock.now())
    page = new_page()
    sign_in(page, "handler_urban")
    page.click("nav >> text=本单位待办")
    expect(page.locator("h1")).to_contain_text("本单位待办 · 明川市城市管理局")
    rows = page.locator("#inbox tbody tr")
    expect(rows).to_have_count(3)
    assert [rows.nth(i).get_attribute("data-number") for i in range(3)] == [late, warned, fresh]  # least time first
    expect(rows.nth(0).locator(".left")).to_have_text("已超期")
    expect(rows.nth(0).locator(".light")).to_have_text("红灯")
    expect(rows.nth(1).locator(".light")).to_have_text("黄灯")
    expect(rows.nth(2).locator(".left")).to_contain_text("剩余")
    page.screenshot(path=str(shots / "inbox.png"), full_page=True)

    page.click(f"a[href='/console/orders/{fresh}']")
    open_form(page.locator("#actions"), "签收").locator("button[type=submit]").click()
    expect(page.locator("#action-notice")).to_have_text("已完成「签收」。")
    expect(page.locator(".badges .status")).to_have_text("已签收")
    expect(page.locator("#timeline li").last).to_contain_text("已派单 → 已签收")
    form = open_form(page.locator("#actions"), "答复")
    form.locator("textarea[name=note]").fill("已安排环卫当天清运，并增加一个垃圾桶")
    page.screenshot(path=str(shots / "detail-actions.png"), full_page=True)
    form.locator("button[type=submit]").click()
    expect(page.locator(".badges .status")).to_have_text("已答复")
    expect(page.locator("#timeline li").last).to_contain_text("已签收 → 已答复")
    expect(page.locator("#timeline li").last).to_contain_text("已安排环卫当天清运")
    expect(page.locator("#actions")).to_contain_text("当前状态下您没有可执行的操作")
    page.goto("/console/inbox")
    expect(rows).to_have_count(2)  # replied: no longer the unit's to do


def test_a_stale_form_gets_the_409_message(desk, new_page):
    number = appeal(desk)
    page = new_page()
    sign_in(page, "handler_urban", path=f"/console/orders/{number}")
    form = open_form(page.locator("#actions"), "签收")
    assert desk.act("handler_urban", number, "sign").status_code == 200  # signed meanwhile, elsewhere
    with page.expect_response(f"**/console/orders/{number}/actions") as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status == 409
    expect(page.locator("#action-error")).to_contain_text(f"工单 {number} 已被他人更新")
    expect(page.locator(".badges .status")).to_have_text("已签收")  # the page shows the order as it is now
    expect(page.locator("#actions summary", has_text="签收")).to_have_count(0)


def test_a_handler_of_another_unit_cannot_act(desk, new_page):
    number = appeal(desk)  # URBAN's
    page = new_page()
    sign_in(page, "handler_water")
    expect(page.locator("nav")).to_contain_text("本单位待办")
    page.evaluate("""number => {
        const f = document.createElement('form');
        f.method = 'post'; f.action = `/console/orders/${number}/actions`;
        for (const [k, v] of [['csrf_token', document.querySelector('input[name=csrf_token]').value],
                              ['action', 'sign'], ['expected_version', '2']]) {
            const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i);
        }
        document.body.appendChild(f); f.submit();
    }""", number)
    expect(page.locator("h1")).to_have_text("无权访问")
    expect(page.locator("#error-message")).to_contain_text("不在您的单位或辖区范围内")
    assert desk.get("admin", f"/orders/{number}").json()["status"] == "dispatched"


def test_a_return_with_a_reason_from_the_list_lands_in_return_pending(desk, new_page):
    number = appeal(desk)
    page = new_page()
    sign_in(page, "handler_urban", path=f"/console/orders/{number}")
    form = open_form(page.locator("#actions"), "退单")
    options = form.locator("select[name=reason] option")
    expect(options).to_have_count(7)  # a prompt and the six reasons of the list
    form.locator("select[name=reason]").select_option(label="非本单位职责")
    form.locator("textarea[name=note]").fill("该路段由街道负责日常管理")
    form.locator("button[type=submit]").click()
    expect(page.locator(".badges .status")).to_have_text("退单待审核")
    expect(page.locator("#timeline li").last).to_contain_text("该路段由街道负责日常管理")
    trail = desk.get("admin", f"/orders/{number}/events").json()
    assert trail[-1]["data"]["reason"] == "not_our_duty" and trail[-1]["to_status"] == "return_pending"
