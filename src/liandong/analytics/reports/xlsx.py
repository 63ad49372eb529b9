"""A report as an Excel workbook (openpyxl): one sheet per section, rates and changes as real formulas
with percent formats, totals as SUM formulas, so a reader can check every figure in the cells."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from liandong.analytics.reports.data import ReportData
from liandong.analytics.warnings import KIND_LABELS

PCT = "0.0%"
HEAD = Font(bold=True, color="FFFFFF")
FILL = PatternFill("solid", fgColor="1F4E79")
NO_DATA = "本期无数据"


def _header(ws, row: int, names: list[str]) -> None:
    for i, name in enumerate(names, start=1):
        c = ws.cell(row=row, column=i, value=name)
        c.font, c.fill, c.alignment = HEAD, FILL, Alignment(horizontal="center")


def _widths(ws, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _compare_sheet(ws, start: int, rows, label: str) -> None:
    _header(ws, start, [label, "本期", "上期", "环比", "去年同期", "同比"])
    if not rows:
        ws.cell(row=start + 1, column=1, value=NO_DATA)
        return
    for r, c in enumerate(rows, start=start + 1):
        ws.cell(row=r, column=1, value=c.label)
        ws.cell(row=r, column=2, value=c.current)
        ws.cell(row=r, column=3, value=c.previous)
        ws.cell(row=r, column=4, value=f'=IF(C{r}=0,"",(B{r}-C{r})/C{r})').number_format = PCT
        ws.cell(row=r, column=5, value=c.year_ago)
        ws.cell(row=r, column=6, value=f'=IF(E{r}=0,"",(B{r}-E{r})/E{r})').number_format = PCT


def render_xlsx(data: ReportData) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "概览"
    ws["A1"] = data.title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"统计周期：{data.period.title}（{data.period.label}）"
    ws["A3"] = f"生成时间：{data.generated_at:%Y-%m-%d %H:%M}"
    _compare_sheet(ws, 5, data.totals, "类别")
    _widths(ws, [24, 12, 12, 10, 12, 10])

    ws = wb.create_sheet("考核排名")
    table = data.kpis
    defs = [f for f in table.total.figures.values()] if table else []
    names = ["排名", "单位" if data.kind != "street" else "分类"]
    for f in defs:
        names += [f"{f.name}·分子", f"{f.name}·分母", f.name]
    names.append(table.composite_name if table else "综合得分")
    _header(ws, 1, names)
    rows = table.rows if table else []
    if not rows:
        ws.cell(row=2, column=1, value=f"{NO_DATA}（期内没有工单，如仅导入了历史诉求）")
    for r, row in enumerate(rows, start=2):
        ws.cell(row=r, column=1, value=row.rank)
        ws.cell(row=r, column=2, value=row.label)
        for i, f in enumerate(row.figures.values()):
            col = 3 + 3 * i
            ws.cell(row=r, column=col, value=f.numerator)
            ws.cell(row=r, column=col + 1, value=f.denominator)
            n, d = get_column_letter(col), get_column_letter(col + 1)
            ws.cell(row=r, column=col + 2, value=f'=IF({d}{r}=0,"",{n}{r}/{d}{r})' if f.available else "无数据"
                    ).number_format = PCT
        ws.cell(row=r, column=3 + 3 * len(defs), value=round(row.score, 2) if row.score is not None else None
                ).number_format = "0.00"
    if rows:
        t = len(rows) + 2
        ws.cell(row=t, column=2, value="合计").font = Font(bold=True)
        for i, f in enumerate(defs):
            col = 3 + 3 * i
            n, d = get_column_letter(col), get_column_letter(col + 1)
            if sum(row.figures[f.code].denominator for row in rows) == f.denominator:
                ws.cell(row=t, column=col, value=f"=SUM({n}2:{n}{t - 1})")
                ws.cell(row=t, column=col + 1, value=f"=SUM({d}2:{d}{t - 1})")
            else:  # a measure the rows do not partition (人工接通率: calls belong to no unit): the city's figure
                ws.cell(row=t, column=col, value=f.numerator)
                ws.cell(row=t, column=col + 1, value=f.denominator)
            ws.cell(row=t, column=col + 2, value=f'=IF({d}{t}=0,"",{n}{t}/{d}{t})' if f.available else "无数据"
                    ).number_format = PCT
        ws.cell(row=t, column=3 + 3 * len(defs), value=round(table.total.score, 2)
                if table.total.score is not None else None).number_format = "0.00"
    _widths(ws, [6, 26] + [9] * (3 * len(defs)) + [10])
    ws.freeze_panes = "C2"

    ws = wb.create_sheet("分类")
    _compare_sheet(ws, 1, data.categories, "分类")
    _widths(ws, [24, 10, 10, 10, 10, 10])

    ws = wb.create_sheet("渠道与街镇")
    _header(ws, 1, ["渠道", "诉求量"])
    for r, (label, n) in enumerate(data.channels or [(NO_DATA, None)], start=2):
        ws.cell(row=r, column=1, value=label)
        ws.cell(row=r, column=2, value=n)
    base = len(data.channels) + 4
    ws.cell(row=base - 1, column=1, value="街镇").font = Font(bold=True)
    _header(ws, base, ["街镇", "12345", "110", "合计"])
    for r, (name, a, b) in enumerate(data.streets, start=base + 1):
        ws.cell(row=r, column=1, value=name)
        ws.cell(row=r, column=2, value=a)
        ws.cell(row=r, column=3, value=b)
        ws.cell(row=r, column=4, value=f"=B{r}+C{r}")
    if not data.streets:
        ws.cell(row=base + 1, column=1, value=NO_DATA)
    _widths(ws, [24, 10, 10, 10])

    ws = wb.create_sheet("热点")
    _header(ws, 1, ["排名", "热度", "地点", "分类", "诉求数", "首次", "最近", "描述", "诉求编号"])
    for r, h in enumerate(data.hotspots, start=2):
        for c, v in enumerate([h.rank, h.heat, h.place, h.category, h.count, h.first_at.strftime("%Y-%m-%d"),
                               h.last_at.strftime("%Y-%m-%d"), h.description, "、".join(h.appeal_ids[:20])], start=1):
            ws.cell(row=r, column=c, value=v)
    if not data.hotspots:
        ws.cell(row=2, column=1, value=NO_DATA)
    _widths(ws, [6, 8, 20, 16, 8, 12, 12, 50, 40])

    ws = wb.create_sheet("预警与群诉")
    _header(ws, 1, ["日期", "类型", "地点", "分类/事项", "数量", "期望数量", "已确认"])
    for r, w in enumerate(data.warnings, start=2):
        for c, v in enumerate([w.day, KIND_LABELS.get(w.kind, w.kind), w.place_name, w.category, w.count,
                               w.expected, w.acknowledged_by or ""], start=1):
            ws.cell(row=r, column=c, value=v)
    if not data.warnings:
        ws.cell(row=2, column=1, value=NO_DATA)
    base = len(data.warnings) + 4
    _header(ws, base, ["群诉主单", "事项", "成员数"])
    for r, (lead, title, n) in enumerate(data.mass, start=base + 1):
        ws.cell(row=r, column=1, value=lead)
        ws.cell(row=r, column=2, value=title)
        ws.cell(row=r, column=3, value=n)
    if not data.mass:
        ws.cell(row=base + 1, column=1, value=NO_DATA)
    _widths(ws, [24, 22, 14, 28, 8, 10, 10])

    ws = wb.create_sheet("超期与退单")
    ws["A1"] = f"超期工单 {data.overdue_total} 件（列出前 {len(data.overdue)} 件）"
    _header(ws, 2, ["工单编号", "标题", "承办单位", "办结时限"])
    for r, row in enumerate(data.overdue or [(NO_DATA, "", "", "")], start=3):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    base = max(len(data.overdue), 1) + 5
    ws.cell(row=base - 1, column=1, value=f"退单/推诿工单 {data.bounced_total} 件")
    _header(ws, base, ["工单编号", "标题", "承办单位", "退单次数"])
    for r, row in enumerate(data.bounced or [(NO_DATA, "", "", "")], start=base + 1):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    _widths(ws, [26, 36, 26, 12])

    if data.kind != "street":
        _calls_sheet(wb.create_sheet("话务"), data)
        _quality_sheet(wb.create_sheet("质检"), data)

    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _calls_sheet(ws, data: ReportData) -> None:
    c = data.calls
    if c is None:
        ws["A1"] = "本期无话务数据（未导入话务系统的来电记录，人工接通率无法计算）"
        return
    _header(ws, 1, ["来电总量", "人工接通", "人工接通率", "放弃", "平均等待（秒）", "接通话务员"])
    for col, v in enumerate([c.offered, c.answered, '=IF(A2=0,"",B2/A2)', c.abandoned,
                             round(c.mean_wait, 1) if c.mean_wait is not None else None, c.operators], start=1):
        ws.cell(row=2, column=col, value=v)
    ws["C2"].number_format = PCT
    _header(ws, 4, ["日期", "来电", "人工接通", "人工接通率"])
    for r, (day, n, a) in enumerate(c.daily, start=5):
        for col, v in enumerate([day, n, a, f'=IF(B{r}=0,"",C{r}/B{r})'], start=1):
            ws.cell(row=r, column=col, value=v)
        ws.cell(row=r, column=4).number_format = PCT
    _widths(ws, [12, 10, 10, 12, 14, 12])


def _quality_sheet(ws, data: ReportData) -> None:
    if not data.quality:
        ws["A1"] = "本期无质检记录"
        return
    _header(ws, 1, ["承办单位", "质检件数", "合格", "待复核", "不合格", "平均得分", "合格率"])
    for r, q in enumerate(data.quality, start=2):
        for col, v in enumerate([q.label, q.inspected, q.passed, q.review, q.failed, round(q.mean_score, 2),
                                 f'=IF(B{r}=0,"",C{r}/B{r})'], start=1):
            ws.cell(row=r, column=col, value=v)
        ws.cell(row=r, column=7).number_format = PCT
    t = len(data.quality) + 2
    ws.cell(row=t, column=1, value="合计").font = Font(bold=True)
    for col in range(2, 6):
        letter = get_column_letter(col)
        ws.cell(row=t, column=col, value=f"=SUM({letter}2:{letter}{t - 1})")
    ws.cell(row=t, column=6, value=f"=SUMPRODUCT(B2:B{t - 1},F2:F{t - 1})/B{t}").number_format = "0.00"
    ws.cell(row=t, column=7, value=f'=IF(B{t}=0,"",C{t}/B{t})').number_format = PCT
    _widths(ws, [28, 10, 8, 8, 8, 10, 10])
