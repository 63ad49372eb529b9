"""统计分析 in a real browser: the ranking, trend chart, hotspots and heat grid, then a drill-down."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.analytics_kit import load_golden
from tests.browser.test_console_browser import sign_in
from tests.console_kit import give_passwords


def test_the_dashboard_ranks_units_and_drills_down_to_the_orders(desk, new_page, shots):
    give_passwords(desk.ctx, "supervisor")
    with desk.ctx.write() as session:
        load_golden(session)
    page = new_page()
    sign_in(page, "supervisor", path="/console/analytics?period=2019-W46")
    expect(page.locator("h1")).to_contain_text("统计分析 · 2019年第46周")
    ranking = page.locator("#kpi-ranking")
    expect(ranking.locator("tbody tr").last).to_contain_text("合计")
    expect(ranking).to_contain_text("明川市城市管理局")
    expect(page.locator("#hotspots")).to_be_visible()
    expect(page.locator("#heat-grid")).to_contain_text("东门街道")
    assert page.locator(".chart svg polyline").count() >= 2
    page.screenshot(path=str(shots / "analytics.png"), full_page=True)
    page.locator("#kpi-ranking tr.total a").first.click()  # 响应率, not met: order B
    expect(page.locator("h1")).to_contain_text("响应率 · 未达标")
    expect(page.locator("#drill-orders")).to_contain_text("GD-GOLD-B")
    page.goto("/console/analytics?period=2019-W99")
    expect(page.locator("body")).to_contain_text("不存在")
