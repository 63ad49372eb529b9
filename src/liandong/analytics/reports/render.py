"""A report's figures as a file: XLSX (openpyxl) or PDF (WeasyPrint), for the CLI, the API and the console."""

from __future__ import annotations

from liandong.analytics.reports.data import ReportData
from liandong.analytics.reports.pdf import render_pdf
from liandong.analytics.reports.xlsx import render_xlsx
from liandong.core.errors import InvalidInput

MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}
STEPS = ("总量与同比环比", "渠道、分类与街镇", "热点与预警", "考核排名", "超期与退单", "话务与质检", "排版")  # progress


def check_format(fmt: str) -> str:
    if fmt not in MEDIA:
        raise InvalidInput(f"格式「{fmt}」无效，可选：xlsx、pdf")
    return fmt


def render_report(data: ReportData, fmt: str, weights: dict[str, float]) -> bytes:
    if check_format(fmt) == "xlsx":
        return render_xlsx(data)
    return render_pdf(data, weights)  # WeasyPrint (Pango) is loaded only then: `pdf.render_pdf` imports it


def file_name(data: ReportData, fmt: str, street: str | None = None) -> str:
    """An ASCII name (an HTTP header carries it): kind, period and, for 街镇画像, the street's code."""
    return f"report-{data.kind}-{data.period.label}{'-' + street if street else ''}.{fmt}"
