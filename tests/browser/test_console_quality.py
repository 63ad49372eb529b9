"""质检台 in a real browser: the supervisor opens the queue, sees the words behind a failed reply highlighted,
confirms the finding and sends the reply back to the unit (重办)."""

from __future__ import annotations

from playwright.sync_api import expect

from liandong.auth import service as auth
from tests.browser.test_console_browser import appeal, sign_in
from tests.console_kit import give_passwords

NON_ANSWER = "您好！您反映的问题已转相关部门核实处理，有关情况将及时反馈。"
CALL = [
    {"speaker": "operator", "start": 0.5, "end": 2.0, "text": "喂，请讲。"},
    {"speaker": "caller", "start": 2.5, "end": 8.0, "text": "东城区和平路18号门口有人占道经营，车都进不来。"},
    {"speaker": "operator", "start": 20.0, "end": 22.0, "text": "这个不归我们管。"},
]


def test_supervisor_confirms_a_finding_and_sends_the_reply_back(desk, new_page, shots):
    give_passwords(desk.ctx, "supervisor")
    number = appeal(desk)
    assert desk.post("operator", f"/orders/{number}/call-record", {"transcript": CALL, "hangup_by": "operator"}
                     ).status_code == 201
    assert desk.act("handler_urban", number, "sign").status_code == 200
    assert desk.act("handler_urban", number, "reply", note=NON_ANSWER).status_code == 200
    page = new_page()
    sign_in(page, "supervisor", path="/console/quality")
    expect(page).to_have_url(f"{desk.url}/console/quality")
    expect(page.locator("#queue")).to_contain_text(number)
    page.click(f"#queue a:has-text('{number}')")
    expect(page.locator("#reply-text mark").first).to_be_visible()
    expect(page.locator("#call mark", has_text="不归我们管")).to_be_visible()
    page.screenshot(path=str(shots / "quality_order.png"), full_page=True)
    page.locator(".finding", has_text="以转代答").get_by_role("button", name="确认").click()
    expect(page.locator("#notice")).to_have_text("已确认该发现")
    expect(page.locator(".finding", has_text="以转代答")).to_contain_text("已确认（supervisor）")
    page.fill("#reopen-form input[name=reason]", "请写明调查结果和处理依据")
    page.click("#reopen-form button")
    expect(page.locator("#notice")).to_have_text("已退回承办单位重办")
    assert desk.get("supervisor", f"/orders/{number}").json()["status"] == "dispatched"
    page.goto("/console/quality")
    page.screenshot(path=str(shots / "quality_queue.png"), full_page=True)
    expect(page.locator("#rank-units")).to_contain_text("URBAN")


def test_inspector_confirms_and_the_supervisor_sends_it_back_from_awaiting_rework(desk, new_page):
    """The 质检员 has no rework button, only the note of who decides; their confirmation puts the reply under
    待重办 on the supervisor's 质检台, from where it goes back to the unit."""
    with desk.ctx.write() as session:
        auth.add_user(session, desk.ctx.city, name="inspector", role="inspector", platform="12345", unit=None,
                      region=None, now=desk.ctx.clock.now())
    give_passwords(desk.ctx, "inspector", "supervisor")
    number = appeal(desk)
    assert desk.act("handler_urban", number, "sign").status_code == 200
    assert desk.act("handler_urban", number, "reply", note=NON_ANSWER).status_code == 200
    page = new_page()
    sign_in(page, "inspector", path=f"/console/quality/orders/{number}")
    expect(page.locator("#reopen-by")).to_contain_text("退回重办由派单员、督办员、管理员决定")
    expect(page.locator("#reopen-form")).to_have_count(0)
    open_findings = page.locator(".finding.v-open")
    for _ in range(open_findings.count()):
        open_findings.first.get_by_role("button", name="确认").click()
        expect(page.locator("#notice")).to_have_text("已确认该发现")
    expect(open_findings).to_have_count(0)
    boss = new_page()
    sign_in(boss, "supervisor", path="/console/quality")
    expect(boss.locator("#awaiting")).to_contain_text(number)
    boss.click(f"#awaiting a:has-text('{number}')")
    boss.fill("#reopen-form input[name=reason]", "质检员已确认以转代答")
    boss.click("#reopen-form button")
    expect(boss.locator("#notice")).to_have_text("已退回承办单位重办")
    assert desk.get("supervisor", f"/orders/{number}").json()["status"] == "dispatched"
    boss.goto("/console/quality")
    expect(boss.locator("#awaiting-total")).to_have_text("0")
