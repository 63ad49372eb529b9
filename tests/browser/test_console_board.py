"""The supervisor's board, the operations-centre wall and the search page in a real browser."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.test_console_browser import APPEAL, appeal, sign_in
from tests.console_kit import give_passwords


@pytest.fixture
def staff(desk):
    """The supervisor and the dispatcher may sign in too (the shared fixture gives five users passwords)."""
    give_passwords(desk.ctx, "supervisor", "dispatcher")
    return desk


def returned(desk, text: str) -> str:
    """An order the urban unit signed and returned (退单待审核)."""
    number = appeal(desk, text)
    assert desk.act("handler_urban", number, "sign").status_code == 200
    r = desk.act("handler_urban", number, "return", reason="not_our_duty", note="不属于本单位职责")
    assert r.json()["status"] == "return_pending", r.text
    return number


def extension_asked(desk, text: str) -> str:
    number = appeal(desk, text)
    assert desk.act("handler_urban", number, "sign").status_code == 200
    r = desk.act("handler_urban", number, "request_extension", days=5, reason="需协调多部门")
    assert r.json()["status"] == "extension_pending", r.text
    return number


def bounced(desk, text: str) -> str:
    """Returned twice by the urban unit: 推诿 at the demo threshold (2 returns)."""
    number = appeal(desk, text)
    for _ in range(2):
        assert desk.act("handler_urban", number, "sign").status_code == 200
        assert desk.act("handler_urban", number, "return", reason="not_our_duty", note="非本单位").status_code == 200
        assert desk.act("supervisor", number, "approve_return").status_code == 200
        assert desk.act("dispatcher", number, "dispatch", unit="URBAN").status_code == 200
    assert "bounce" in desk.get("supervisor", f"/orders/{number}").json()["flags"]
    return number


def test_supervisor_approves_rejects_supervises_and_opens_a_bounce_chain(staff, new_page, shots):
    desk = staff
    back = returned(desk, "小区门口占道经营，已经三天了")
    late = extension_asked(desk, "背街小巷垃圾堆积无人清运")
    chain = bounced(desk, "人行道上违章搭建棚子")
    page = new_page()
    sign_in(page, "supervisor", path="/console/board")
    expect(page).to_have_url(f"{desk.url}/console/board")
    expect(page.locator("#count-return_pending .n")).to_have_text("1")
    expect(page.locator("#count-extension_pending .n")).to_have_text("1")
    expect(page.locator("#count-bounce .n")).to_have_text("1")
    expect(page.locator("#count-pending .n")).to_have_text("2")
    expect(page.locator("#board-list")).to_contain_text("李**")
    expect(page.locator("#board-list")).not_to_contain_text("13812345678")
    page.screenshot(path=str(shots / "board.png"), full_page=True)

    page.evaluate("window.__same_page = true")
    page.locator(f"#row-{back} button[value=approve_return]").click()  # 退单审核通过, inline
    expect(page.locator("#board-notice")).to_have_text(f"工单 {back} 已退单审核通过")
    expect(page.locator("#count-return_pending .n")).to_have_text("0")
    assert page.evaluate("window.__same_page") is True
    assert desk.get("supervisor", f"/orders/{back}").json()["status"] == "received"  # 已受理, to be dispatched again

    page.click("#count-extension_pending")
    row = page.locator(f"#row-{late}")
    expect(row).to_contain_text("申请延期 5 个工作日")
    row.locator("button[value=reject_extension]").click()  # no note: refused in Chinese, nothing written
    expect(page.locator("#board-error")).to_contain_text("说明")
    assert desk.get("supervisor", f"/orders/{late}").json()["status"] == "extension_pending"
    row.locator("input[name=note]").fill("现有时限足够，请按期办结")
    row.locator("button[value=reject_extension]").click()
    expect(page.locator("#board-notice")).to_have_text(f"工单 {late} 已延期审批驳回")
    order = desk.get("supervisor", f"/orders/{late}").json()
    assert order["status"] == "handling" and order["extension_days"] == 0
    events = desk.get("supervisor", f"/orders/{late}/events").json()
    assert events[-1]["action"] == "reject_extension" and events[-1]["note"] == "现有时限足够，请按期办结"

    page.click("#count-bounce")
    row = page.locator(f"#row-{chain}")
    row.locator("input[name=note]").fill("多次退单，请街道牵头限期办结")
    row.locator("button[value=supervise]").click()  # 督办 with its note
    expect(page.locator("#board-notice")).to_have_text(f"工单 {chain} 已督办")
    expect(page.locator("#count-supervised .n")).to_have_text("1")
    assert desk.get("supervisor", f"/orders/{chain}").json()["supervised"] is True

    page.locator(f"#row-{chain} a.chain-link").click()
    expect(page.locator("#chain-verdict")).to_contain_text("判定为推诿")
    steps = page.locator("#chain li")
    expect(steps).to_have_count(5)  # 派单, 退单, 派单, 退单, 派单
    expect(steps.nth(1)).to_contain_text("退单")
    expect(steps.nth(1)).to_contain_text("城市管理")
    page.screenshot(path=str(shots / "board-chain.png"), full_page=True)


def test_board_is_for_supervisors_and_refuses_a_forged_action(staff, new_page):
    desk = staff
    number = appeal(desk)
    page = new_page()
    sign_in(page, "operator", path="/console/board")
    expect(page.locator("h1")).to_have_text("无权访问")
    expect(page.locator("main")).to_contain_text("督办员")
    sup = new_page()
    sign_in(sup, "supervisor", path="/console/board?kind=nonsense")
    expect(sup.locator("#board-list")).to_contain_text("退单待审核")  # an unknown tab falls back to the first
    token = sup.locator("input[name=csrf_token]").first.input_value()
    r = sup.request.post("/console/board/act", form={"csrf_token": token, "number": number, "action": "close",
                                                       "version": "1", "kind": "warning"})
    assert r.status == 422 and "督办台不提供该操作" in r.text()
    r = sup.request.post("/console/board/act", form={"csrf_token": token, "number": number, "action": "urge",
                                                       "version": "999", "kind": "warning"})
    assert r.status == 409 and "已被他人更新，请刷新后重试" in r.text()
    assert desk.get("supervisor", f"/orders/{number}").json()["urge_count"] == 0


def test_wall_shows_live_counts_and_refreshes_by_itself(staff, new_page, shots):
    desk = staff
    for text in ("小区门口占道经营", "幸福路路灯不亮了", "有人要跳楼，情绪激动"):
        appeal(desk, text)
    appeal(desk, "路边井盖丢失很危险", region="148802002001")  # another street of 东城区
    page = new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    sign_in(page, "supervisor", path="/console/wall")
    expect(page.locator("h1")).to_contain_text("城运中心")
    before = int(page.locator("#wall-desk-12345 .n").inner_text())
    assert before >= 4
    expect(page.locator("#wall-level-较大 .n")).to_have_text("1")
    expect(page.locator("#wall-emergencies")).to_contain_text("跳楼")
    streets = page.locator("#wall-streets li")
    expect(streets.first).to_contain_text("东门街道")
    expect(streets.first.locator(".n")).to_have_text("3")
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")  # one screen, no scrolling
    page.screenshot(path=str(shots / "wall.png"))

    page.evaluate("window.__same_page = true")
    appeal(desk, "楼道里堆满杂物堵塞消防通道")  # through the API, while the wall is open
    expect(page.locator("#wall-desk-12345 .n")).to_have_text(str(before + 1), timeout=25_000)
    expect(streets.first.locator(".n")).to_have_text("4", timeout=25_000)
    assert page.evaluate("window.__same_page") is True  # refreshed by htmx, not reloaded

    other = new_page()
    sign_in(other, "handler_urban", path="/console/wall")
    expect(other.locator("h1")).to_have_text("无权访问")


def test_search_by_number_phone_and_text_then_export_csv_and_xlsx(staff, new_page, shots):
    desk = staff
    first = appeal(desk, "幸福路路灯不亮了，晚上很黑")
    zhang = appeal(desk, "楼上漏水到我家天花板 100%_湿透", caller={"name": "张三丰", "phone": "13900001111"})
    third = appeal(desk, "小区门口占道经营")
    sup = new_page()
    sign_in(sup, "supervisor", path="/console/search")
    expect(sup.locator("#q-phone")).to_be_disabled()  # a supervisor may not search by phone
    sup.fill("#q-number", first)
    sup.click("#search-go")
    expect(sup.locator("#search-total")).to_have_text("1")
    expect(sup.locator("#search-results")).to_contain_text("幸福路路灯不亮了")
    sup.goto("/console/search?phone=13900001111")
    expect(sup.locator("h1")).to_have_text("无权按电话号码查询")
    expect(sup.locator("main")).to_contain_text("仅限话务员")

    op = new_page()
    sign_in(op, "operator", path="/console/search")
    op.fill("#q-phone", "139 0000 1111")
    op.click("#search-go")
    expect(op.locator("#search-total")).to_have_text("1")
    expect(op.locator(f"a[href='/console/orders/{zhang}']")).to_be_visible()
    expect(op.locator("#search-results")).to_contain_text("张**")
    expect(op.locator("#search-results")).not_to_contain_text("13900001111")
    op.fill("#q-phone", "")
    op.fill("#q-text", "100%_")  # LIKE wildcards are literal
    op.click("#search-go")
    expect(op.locator("#search-total")).to_have_text("1")
    op.fill("#q-text", "")
    op.select_option("#q-status", "dispatched")
    op.click("#search-go")
    expect(op.locator("#search-total")).to_have_text("3")
    op.screenshot(path=str(shots / "search.png"), full_page=True)

    with op.expect_download() as csv_download:
        op.click("#export-csv")
    assert csv_download.value.suggested_filename.endswith(".csv")
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "工单编号" and len(rows) == 4
    assert {r[0] for r in rows[1:]} == {first, zhang, third}
    row = next(r for r in rows if r[0] == zhang)
    assert row[8:10] == ["张**", "139****1111"]
    assert "13900001111" not in text and "13812345678" not in text

    with op.expect_download() as xlsx_download:
        op.click("#export-xlsx")
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "工单编号" and len(values) == 4
    assert [r for r in values if r[0] == zhang][0][8:10] == ["张**", "139****1111"]
    assert all("13812345678" not in str(cell) for r in values for cell in r)


def test_search_refuses_bad_input_in_chinese(staff, new_page):
    page = new_page()
    sign_in(page, "operator", path="/console/search?date_from=2026-13-01")
    expect(page.locator("main")).to_contain_text("起始日期「2026-13-01」格式错误")
    page.goto("/console/search?phone=abc1234567")
    expect(page.locator("main")).to_contain_text("电话号码格式不正确")
    page.goto("/console/search?region=99")
    expect(page.locator("main")).to_contain_text("行政区划代码「99」格式错误")
    page.goto("/console/search?date_from=2026-11-30&date_to=2026-11-01")
    expect(page.locator("main")).to_contain_text("起始日期不能晚于结束日期")
