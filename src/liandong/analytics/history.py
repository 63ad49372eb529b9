"""A city's past appeals from its export (历史诉求导入), pure: the column map, the time formats a city's
export has, the place named in the words, and each row checked with its line and reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from liandong.core.clock import CST
from liandong.core.errors import InvalidInput

FIELDS = {"id": "编号", "text": "诉求内容", "received_at": "受理时间", "subject": "标题", "region": "行政区划代码",
          "address": "地址", "category": "分类", "likes": "点赞数"}
REQUIRED = ("id", "text", "received_at")
MAX_TEXT = 20_000
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y%m%d%H%M%S", "%Y%m%d",
                 "%Y-%m-%dT%H:%M:%S", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")


def parse_map(spec: str) -> dict[str, str]:
    """`id=COL,text=COL,received_at=COL[,subject=COL,…]` → field → column name."""
    out: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise InvalidInput(f"列映射「{part.strip()}」应写作 字段=列名，例如 id=编号")
        key, col = (s.strip() for s in part.split("=", 1))
        if key not in FIELDS:
            raise InvalidInput(f"列映射中的字段「{key}」未知，可用：{'、'.join(f'{k}（{v}）' for k, v in FIELDS.items())}")
        if not col:
            raise InvalidInput(f"列映射中字段「{key}」没有给出列名")
        out[key] = col
    missing = [k for k in REQUIRED if k not in out]
    if missing:
        raise InvalidInput(f"列映射缺少必需字段：{'、'.join(f'{k}（{FIELDS[k]}）' for k in missing)}")
    return out


def parse_time(raw: str) -> datetime:
    """A moment as a city's export writes it (2019/2/28 11:25:05, 2019-11-02 08:00, 2019年3月1日 …), Beijing time."""
    text = re.sub(r"\s+", " ", (raw or "").strip().replace("/", "-"))
    text = re.sub(r"\.\d+$", "", text)
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=CST)
        except ValueError:
            continue
    raise InvalidInput(f"时间「{raw[:40]}」无法识别")


_DROP = re.compile(r"[A-Z]\d*市|[A-Z]\d+[区县]|[A-Z]市|西地省|东地省")
_PLACE = re.compile(r"([\u4e00-\u9fa5A-Za-z0-9]{2,10}?(?:小区|花园|新城|新村|公寓|大厦|广场|家园|山庄|华庭|苑|"
                    r"社区|村|学校|中学|小学|幼儿园|学院|大学|医院|市场|公园|工业园|产业园|车站|"
                    r"大道|路|街|镇|乡))")
_SPLIT = re.compile(r"[，,。；;！!？?、（）()\s“”\"：:]+|街道|关于|反映|投诉|举报|咨询|建议|请求|要求|希望|请问|问题|"
                    r"座落|位于|地处|附近|旁边|门口|对面|[的在与和对将把被给从向于为是有了不要请能会该及]")
_DISTRICT = re.compile(r"[A-Z]\d+[区县]")
_RANK = ("小区", "花园", "新城", "新村", "公寓", "大厦", "家园", "山庄", "华庭", "苑", "社区", "村", "学校", "中学",
         "小学", "幼儿园", "学院", "大学", "医院", "市场", "广场", "公园", "工业园", "产业园", "车站",
         "大道", "路", "街", "镇", "乡")


def _places_in(source: str) -> list[str]:
    found = []
    for chunk in _SPLIT.split(_DROP.sub("，", source)):
        for m in _PLACE.finditer(chunk or ""):
            if len(m.group(1)) >= 3:
                found.append(m.group(1))
    return found


def named_place(subject: str, text: str) -> str | None:
    """The most specific place the words name (an estate, a village, a school, else a road or a town),
    with its district when the export names one (A3区青青家园); else the district; None when none is named."""
    subject, text = subject or "", (text or "")[:400]
    district = next((m.group(0) for m in (_DISTRICT.search(subject), _DISTRICT.search(text)) if m), None)
    found = _places_in(subject) or _places_in(text)
    if not found:
        return district
    best = min(found, key=lambda n: (next(i for i, s in enumerate(_RANK) if n.endswith(s)), -len(n)))
    return f"{district}{best}" if district else best


@dataclass(frozen=True)
class HistoryItem:
    line: int
    external_id: str
    received_at: datetime
    text: str
    subject: str | None
    region: str | None
    address: str | None
    category: str | None
    likes: int


def check_row(line: int, row: dict[str, str], columns: dict[str, str]) -> HistoryItem:
    """One CSV row as an item, or InvalidInput saying what is wrong with it."""
    def get(key: str) -> str:
        return (row.get(columns[key]) or "").strip() if key in columns else ""

    ext = get("id")
    if not ext:
        raise InvalidInput("编号为空")
    if len(ext) > 64:
        raise InvalidInput("编号超过64个字符")
    text, subject = get("text"), get("subject") or None
    if not text and not subject:
        raise InvalidInput("诉求内容为空")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"诉求内容超过{MAX_TEXT}字")
    received = parse_time(get("received_at"))
    region = get("region") or None
    if region and not re.fullmatch(r"\d{6}(\d{3}(\d{3})?)?", region):
        raise InvalidInput(f"行政区划代码「{region[:20]}」格式不正确")
    likes_raw = get("likes")
    if likes_raw and not likes_raw.isdigit():
        raise InvalidInput(f"点赞数「{likes_raw[:20]}」不是整数")
    return HistoryItem(line, ext, received, text or subject or "", subject, region, get("address") or None,
                       get("category") or None, int(likes_raw or 0))
