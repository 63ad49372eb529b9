"""Reports over the API: the XLSX's figures are the API's; refusals in Chinese."""

import re
import shutil
import subprocess
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


SECTIONS = ("一、总体情况", "二、诉求渠道与分类", "三、街镇分布", "四、热点问题与典型案例", "五、新发、高发事项与群诉",
            "六、承办单位考核排名", "七、超期与退单", "八、话务情况", "九、质检情况")


def _pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60)
    return re.sub(r"[ \t]+", " ", out.stdout.decode("utf-8"))


def test_the_weekly_pdf_reads_with_every_section_and_the_apis_figures(golden_world: World, tmp_path):
    w = golden_world
    r = w.get("supervisor", "/analytics/reports/weekly?period=2019-W46&format=pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = _pdf_text(r.content, tmp_path)
    assert "明川市民情热点周报" in text and "2019-W46" in text
    positions = [text.find(title) for title in SECTIONS]
    assert -1 not in positions and positions == sorted(positions), dict(zip(SECTIONS, positions))
    api = w.get("supervisor", "/analytics/kpis?period=2019-W46&group=unit").json()
    total = {f["code"]: f for f in api["total"]["figures"]}
    shown = ("response_rate", "ontime_close_rate", "solve_rate", "satisfaction_rate", "return_rate", "overdue_rate")
    row = " ".join(f"{100 * total[c]['rate']:.1f}%" for c in shown)
    assert f"合计 {row} {api['total']['score']:.1f}" in text  # the ranking's total line, as the API counts it
    calls = total["agent_answer_rate"]
    assert f"人工接通率 {100 * calls['rate']:.1f}%（{calls['numerator']}/{calls['denominator']}" in text
    assert re.search(r"6 4 66\.7% 1 23\.8 2", text)  # 话务: offered, answered, rate, abandoned, wait, operators
    assert re.search(r"明川市城市管理局 2 1 0 1 66\.0", text)  # 质检 per unit (tests/analytics_kit.py)
    assert "本期无质检记录" not in text and "本期无话务数据" not in text


def test_a_report_without_calls_or_inspections_says_so(golden_world: World, tmp_path):
    r = golden_world.get("supervisor", "/analytics/reports/monthly?period=2019-10&format=pdf")
    assert r.status_code == 200
    text = _pdf_text(r.content, tmp_path)
    assert "本期无话务数据" in text and "本期无质检记录" in text and "本期无考核数据" in text


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
