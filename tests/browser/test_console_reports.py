"""Reports from the console in a real browser: a bad period refused in Chinese, then a weekly report generated
in the background (the status fragment polled by htmx) and downloaded; its figures are the API's."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.analytics_kit import load_golden
from tests.browser.test_console_browser import sign_in
from tests.console_kit import give_passwords


def test_a_supervisor_generates_and_downloads_the_weekly_report(desk, new_page, shots):
    give_passwords(desk.ctx, "supervisor")
    with desk.ctx.write() as session:
        load_golden(session)
    page = new_page()
    sign_in(page, "supervisor", path="/console/analytics")
    page.click("#an-reports")
    expect(page.locator("h1")).to_have_text("生成报告")
    page.select_option("#rp-kind", "weekly")
    page.fill("#rp-period", "2019-11")  # a month for a weekly report
    page.click("#rp-go")
    expect(page.locator("#report-error")).to_contain_text("民情热点周报的周期应为一周，如 2019-W46，收到「2019-11」")
    expect(page.locator("#rp-period")).to_have_value("2019-11")  # the form keeps what was typed
    page.fill("#rp-period", "2019-W99")
    page.click("#rp-go")
    expect(page.locator("#report-error")).to_contain_text("不存在")

    page.fill("#rp-period", "2019-W46")
    page.select_option("#rp-format", "xlsx")
    page.click("#rp-go")
    expect(page.locator("h1")).to_contain_text("生成报告 · 民情热点周报（2019-W46）")
    expect(page.locator("#report-status")).to_contain_text("已生成（7/7）", timeout=60_000)
    expect(page.locator("#report-steps li")).to_have_count(7)
    expect(page.locator("#report-steps li").last).to_have_text("排版")
    page.screenshot(path=str(shots / "analytics-report.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#report-download")
    download = info.value
    assert download.suggested_filename == "report-weekly-2019-W46.xlsx"
    wb = load_workbook(BytesIO(Path(download.path()).read_bytes()))  # Playwright's file has no extension
    assert wb["概览"]["A1"].value == "明川市民情热点周报"
    api = desk.get("supervisor", "/analytics/kpis?period=2019-W46&group=unit").json()
    received = next(f for f in api["total"]["figures"] if f["code"] == "repeat_call_rate")["denominator"]
    assert [wb["概览"].cell(row=r, column=2).value for r in (6, 7, 8)] == [6, 1, received]
    assert [wb["话务"].cell(row=2, column=c).value for c in (1, 2)] == [6, 4]  # the golden calls of the week
    assert wb["质检"]["A2"].value and wb["质检"]["B2"].value >= 1

    other = new_page()  # another user cannot see the job or its file
    give_passwords(desk.ctx, "dispatcher_west")
    sign_in(other, "dispatcher_west", path=page.url.removeprefix(desk.url))
    expect(other.locator("body")).to_contain_text("报告任务不存在或已过期")
