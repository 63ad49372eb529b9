"""Appeal text: validation, normalisation, clauses and numbers (诉求文本预处理).

Plain functions over strings; nothing here knows about cities or models.
"""

from __future__ import annotations

import re
import unicodedata

from liandong.core.errors import InvalidInput
from liandong.core.types import Channel

MAX_TEXT_CHARS = 20_000
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE_SPLIT = re.compile(r"[，,。.！!？?；;：:\n\r\t]+|\s{2,}")
_NOT_CONTENT = re.compile(r"[^\u4e00-\u9fff0-9a-zA-Z]+")


def validate(text: object, channel: object) -> tuple[str, Channel]:
    """Refuse what no operator could route; return the stripped text and the channel.

    Text with no Chinese character at all (only digits, English, symbols) is refused: the lists,
    lexicons and model are Chinese, and a guess would be worse than asking for a description.
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("诉求内容为空，请填写诉求描述")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(f"诉求内容过长（{len(text)} 字），请精简到 {MAX_TEXT_CHARS} 字以内")
    if not _HAN.search(text):
        raise InvalidInput("诉求内容不含中文，请用中文描述诉求（发生了什么、在哪里）")
    try:
        chan = Channel(str(channel))
    except ValueError:
        names = "、".join(c.value for c in Channel)
        raise InvalidInput(f"未知的受理渠道「{channel}」，可选：{names}") from None
    return text.strip(), chan


_BOILERPLATE = re.compile(r"(市民|群众)?来电(人|者|市民)?")  # transcribers' 来电人称/来电人反映: the caller, not 电


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, collapse spaces, drop 来电人 (keeps punctuation for clauses)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _BOILERPLATE.sub("", text)
    return re.sub(r"[ \u3000]+", " ", text).strip()


def content_chars(text: str) -> str:
    """Only Chinese, digits and letters: raw and pre-segmented text look the same afterwards."""
    return _NOT_CONTENT.sub("", unicodedata.normalize("NFKC", text).lower())


def clauses(text: str) -> list[tuple[int, str]]:
    """Split into clauses (分句), each with its start offset in `text`."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.start() > pos:
            out.append((pos, text[pos : m.start()]))
        pos = m.end()
    if pos < len(text):
        out.append((pos, text[pos:]))
    return out


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def chinese_number(s: str) -> int | None:
    """'三十' → 30, '十几' → 10, '上百' → 100, '几十' → 20, '1000' → 1000; None if not a number."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    s = s.replace("几", "").replace("多", "").replace("来", "")
    if s.startswith("上") and len(s) > 1:
        s = "一" + s[1:]
    if s.startswith("好"):
        s = s[1:]
    if not s:
        return None
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current


_NUM = r"(\d+|[零〇一二两俩三四五六七八九十百千万几]+|上[百千万]|好几[十百]?|十几)"
_PEOPLE = re.compile(
    _NUM + r"(多|来)?(个|名|位|号|户|口)?(人|工人|业主|村民|学生|孩子|小孩|家长|群众|老人|乘客|伤员|伤者|员工|农民工|司机|路人|居民)"
)


def people_counts(text: str) -> list[tuple[int, int]]:
    """Numbers of people mentioned, with their offsets: '三十多个业主' → (30, offset)."""
    out = []
    for m in _PEOPLE.finditer(text):
        raw = m.group(1)
        if raw in ("好几", "几"):
            n = 3
        elif raw.startswith("好几") or raw == "几十":
            n = chinese_number(raw.replace("好", "")) or 20
            n = max(n, 20 if "十" in raw else 200)
        else:
            n = chinese_number(raw)
        if n:
            out.append((n, m.start()))
    return out
