"""A report as a PDF for A4 printing: HTML (Jinja2, autoescaped) with inline SVG charts, typeset by
WeasyPrint in Noto CJK (Debian's fonts-noto-cjk)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from liandong.analytics.reports import svg
from liandong.analytics.reports.data import ReportData
from liandong.analytics.warnings import KIND_LABELS

TEMPLATES = Path(__file__).resolve().parent / "templates"
SHOWN = ("response_rate", "ontime_close_rate", "solve_rate", "satisfaction_rate", "return_rate", "overdue_rate")


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.1f}%"


def _pct_change(a: int, b: int) -> str:
    if not b:
        return "—"
    change = (a - b) / b
    return f"{'+' if change > 0 else ''}{100 * change:.1f}%"


def render_html(data: ReportData, weights: dict[str, float]) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    daily = svg.lines([d for d, _, _ in data.daily], [("12345 诉求", [a for _, a, _ in data.daily]),
                                                     ("110 警情", [b for _, _, b in data.daily])])
    categories = svg.bars([(c.label, c.current) for c in data.categories[:10]])
    shown = [c for c in SHOWN if data.kpis and c in data.kpis.total.figures]
    city_wide = [f for f in data.kpis.total.figures.values()  # e.g. 人工接通率: the call centre's, no unit's
                 if f.available and f.denominator and all(not r.figures[f.code].available for r in data.kpis.rows)] \
        if data.kpis else []
    return env.get_template("report.html").render(d=data, daily_chart=daily, category_chart=categories, pct=_pct,
                                                  pct_change=_pct_change, kind_labels=KIND_LABELS, shown=shown,
                                                  weights=weights, city_wide=city_wide)


def render_pdf(data: ReportData, weights: dict[str, float]) -> bytes:
    from weasyprint import HTML  # imported here: WeasyPrint loads Pango, which only reports need

    return HTML(string=render_html(data, weights), base_url=str(TEMPLATES)).write_pdf()
