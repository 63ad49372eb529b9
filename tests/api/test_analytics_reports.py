"""Reports over the API: the XLSX's figures are the API's; refusals in Chinese."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.analytics_kit import load_golden
from tests.builders import World


@pytest.fixture
def golden_world(world: World) -> World:
    with world.ctx.write() as session:
        load_golden(session)
    return world


def test_the_weekly_xlsx_holds_the_apis_figures_with_real_formulas(golden_world: World):
    w = golden_world
    r = w.get("supervisor", "/analytics/reports/weekly?period=2019-W46&format=xlsx")
    assert r.status_code == 200, r.text
    wb = load_workbook(BytesIO(r.content))
    api = w.get("supervisor", "/analytics/kpis?period=2019-W46&group=unit").json()
    ws = wb["考核排名"]
    header = [c.value for c in ws[1]]
    sheet = {row[1]: row for row in ws.iter_rows(min_row=2, values_only=True) if row[1] and row[1] != "合计"}
    assert set(sheet) == {row["label"] for row in api["rows"]}
    for row in api["rows"]:
        cells = sheet[row["label"]]
        assert cells[0] == row["rank"]
        for f in row["figures"]:
            col = header.index(f"{f['name']}·分子")
            assert (cells[col], cells[col + 1]) == (f["numerator"], f["denominator"])
            if f["available"]:
                assert cells[col + 2].startswith("=IF(")
    total_row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "合计")
    assert total_row[2].value.startswith("=SUM(") and total_row[4].number_format == "0.0%"
    overview = wb["概览"]
    assert overview["A1"].value == "明川市民情热点周报"
    received = next(f for f in api["total"]["figures"] if f["code"] == "repeat_call_rate")["denominator"]
    assert [overview.cell(row=r, column=2).value for r in (6, 7, 8)] == [6, 1, received]  # 12345 A–D G H, 110 F
    assert overview["D6"].value.startswith("=IF(") and overview["D6"].number_format == "0.0%"


def test_the_weekly_pdf_is_a_pdf(golden_world: World):
    r = golden_world.get("supervisor", "/analytics/reports/weekly?period=2019-W46&format=pdf")
    assert r.status_code == 200 and r.content[:5] == b"%PDF-" and r.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize("who, path, status, words", [
    ("supervisor", "/analytics/reports/daily?period=2019-W46", 422, "报告类型"),
    ("supervisor", "/analytics/reports/weekly?period=2019-11", 422, "周期应为一周"),
    ("supervisor", "/analytics/reports/weekly?period=2019-W99", 422, "不存在"),
    ("supervisor", "/analytics/reports/weekly?period=2019-W46&format=doc", 422, "格式"),
    ("supervisor", "/analytics/reports/street?period=2019-11&street=148802", 422, "街镇代码"),
    ("dispatcher_west", "/analytics/reports/street?period=2019-11&street=148802001&format=xlsx", 403, "不在您的辖区"),
    ("operator", "/analytics/reports/weekly?period=2019-W46", 403, "角色"),
])
def test_bad_report_requests_are_refused_in_chinese(golden_world: World, who, path, status, words):
    r = golden_world.get(who, path)
    assert r.status_code == status, r.text
    assert words in r.json()["message"]


def test_a_street_profile_for_a_street_in_scope(golden_world: World):
    r = golden_world.get("dispatcher", "/analytics/reports/street?period=2019-11&street=148802001&format=xlsx")
    assert r.status_code == 200
    wb = load_workbook(BytesIO(r.content))
    assert wb["概览"]["A1"].value == "明川市东门街道街镇工作画像"
