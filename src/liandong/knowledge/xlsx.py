"""XLSX in and out (openpyxl): every sheet whose first row has the import columns is read."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from liandong.core.errors import InvalidInput
from liandong.knowledge.rows import COLUMNS, missing_columns

MAX_BYTES = 20 * 1024 * 1024


def read_xlsx(data: bytes) -> list[tuple[str, int, dict]]:
    """(sheet, row number, {header: value}) for every non-empty row; refuses a file without the columns."""
    if not data:
        raise InvalidInput("上传的文件为空")
    if len(data) > MAX_BYTES:
        raise InvalidInput("文件不能超过 20 MB")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput("无法读取文件：请上传 .xlsx 格式的 Excel 工作簿") from None
    rows, problems = [], []
    for sheet in book.worksheets:
        it = sheet.iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            continue
        names = [str(h).strip() if h is not None else "" for h in header]
        missing = missing_columns(names)
        if missing:
            problems.append(f"工作表「{sheet.title}」缺少必填列：{'、'.join(missing)}")
            continue
        for number, values in enumerate(it, start=2):
            if values is None or all(v in (None, "") for v in values):
                continue
            rows.append((sheet.title, number, {n: v for n, v in zip(names, values) if n}))
    book.close()
    if problems:
        raise InvalidInput("；".join(problems), details={"problems": problems})
    if not rows:
        raise InvalidInput("文件中没有可导入的知识条目")
    return rows


def write_xlsx(rows: list[dict]) -> bytes:
    """The entries as a workbook. A C0 control character (other than tab and line breaks) cannot be in
    the sheet's XML: it is left out of the cell, where openpyxl raised and the whole export was a 500."""
    book = Workbook()
    sheet = book.active
    sheet.title = "知识库"
    headers = list(COLUMNS)
    sheet.append(headers)
    for row in rows:
        sheet.append([_cell(row.get(h, "")) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: object) -> object:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
