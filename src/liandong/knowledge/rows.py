"""Import and export rows (导入导出): the columns a city keeps its knowledge in, row dicts ↔ `Content`.

Every bad row is reported with its sheet, row and reason and nothing is written unless every row is good:
`parse_rows` returns the contents and the problems; the service writes only an empty-problem batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from liandong.core.errors import LiandongError
from liandong.knowledge.entry import Content, Visibility, normal_question

COLUMNS = {  # column header (中文) → field
    "条目编号": "id", "标准问题": "question", "其他问法": "phrasings", "答复口径": "answer", "政策依据": "basis",
    "依据文号": "document", "适用区域": "region", "责任单位": "unit", "生效日期": "effective_from",
    "失效日期": "expires_on", "关键词": "keywords", "公开范围": "visibility",
}
FIELDS = {v: k for k, v in COLUMNS.items()}
REQUIRED = ("标准问题", "答复口径")
VISIBILITY = {"公开": Visibility.PUBLIC, "public": Visibility.PUBLIC, "内部": Visibility.STAFF, "仅内部": Visibility.STAFF,
              "staff": Visibility.STAFF, "": Visibility.STAFF}
VISIBILITY_LABELS = {Visibility.PUBLIC: "公开", Visibility.STAFF: "内部"}
MAX_ROWS = 20000


@dataclass(frozen=True)
class RowProblem:  # 导入问题行
    sheet: str
    row: int
    reason: str

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "reason": self.reason}

    def __str__(self) -> str:
        return f"{self.sheet} 第 {self.row} 行：{self.reason}"


@dataclass(frozen=True)
class ParsedRow:
    sheet: str
    row: int
    entry_id: str | None
    content: Content


def missing_columns(headers: list[str]) -> list[str]:
    return [c for c in REQUIRED if c not in headers]


def parse_rows(rows: list[tuple[str, int, dict]]) -> tuple[list[ParsedRow], list[RowProblem]]:
    """(sheet, row number, {header: value}) → the parsed rows and every problem, duplicates included."""
    parsed, problems = [], []
    seen: dict[str, tuple[str, int]] = {}
    if len(rows) > MAX_ROWS:
        return [], [RowProblem(rows[0][0], rows[MAX_ROWS][1], f"一次最多导入 {MAX_ROWS} 行")]
    for sheet, number, values in rows:
        try:
            content = _content(values).checked()
        except (LiandongError, ValueError) as exc:
            problems.append(RowProblem(sheet, number, getattr(exc, "message", None) or str(exc)))
            continue
        key = f"{normal_question(content.question)}@{content.region or ''}"
        if key in seen:
            problems.append(RowProblem(sheet, number, f"标准问题与{seen[key][0]} 第 {seen[key][1]} 行重复"))
            continue
        seen[key] = (sheet, number)
        parsed.append(ParsedRow(sheet, number, _text(values.get("条目编号")) or None, content))
    return parsed, problems


def _content(v: dict) -> Content:
    visibility = _text(v.get("公开范围"))
    if visibility not in VISIBILITY:
        raise ValueError(f"公开范围「{visibility}」无法识别，应为「公开」或「内部」")
    return Content(question=_text(v.get("标准问题")), answer=_text(v.get("答复口径")), phrasings=_list(v.get("其他问法")),
                   basis=_text(v.get("政策依据")), document=_text(v.get("依据文号")), region=_text(v.get("适用区域")) or None,
                   unit=_text(v.get("责任单位")) or None, effective_from=_date(v.get("生效日期"), "生效日期"),
                   expires_on=_date(v.get("失效日期"), "失效日期"), keywords=_list(v.get("关键词")),
                   visibility=VISIBILITY[visibility])


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _list(value) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(_text(v) for v in value if _text(v))
    text = _text(value)
    for sep in ("；", ";", "\n", "、", "|"):
        text = text.replace(sep, "\n")
    return tuple(p.strip() for p in text.split("\n") if p.strip())


def _date(value, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value).replace("/", "-"))
    except ValueError:
        raise ValueError(f"{name}「{_text(value)}」不是日期（应为 2026-01-31）") from None


def to_row(entry_id: str, c: Content) -> dict:
    """One entry as export columns (the same as the import reads)."""
    return {"条目编号": entry_id, "标准问题": c.question, "其他问法": "；".join(c.phrasings), "答复口径": c.answer,
            "政策依据": c.basis, "依据文号": c.document, "适用区域": c.region or "", "责任单位": c.unit or "",
            "生效日期": c.effective_from.isoformat() if c.effective_from else "",
            "失效日期": c.expires_on.isoformat() if c.expires_on else "", "关键词": "；".join(c.keywords),
            "公开范围": VISIBILITY_LABELS[c.visibility]}
