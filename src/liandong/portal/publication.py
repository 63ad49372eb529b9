"""Publication rules (办理情况公开): what of a handled appeal the public may read.

Personal data goes: the caller's name wherever it occurs, phone numbers, ID-card numbers, licence plates,
e-mail addresses; exact addresses are cut down to the street — house numbers, buildings, units and rooms
are removed, and named residential compounds become 「某小区」. The snapshot is taken when the unit approves
it, so the public list never reads the appeal itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from liandong.orders.states import Status

PUBLISHABLE = frozenset({Status.REPLIED, Status.CLOSED, Status.VISITED, Status.EVALUATED})
_PATTERNS = (
    (re.compile(r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"), "［证件号已隐去］"),
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), "［电话已隐去］"),
    (re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)"), "［电话已隐去］"),
    (re.compile(r"(?<!\d)\d{7,8}(?!\d)"), "［电话已隐去］"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "［邮箱已隐去］"),
    (re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{5,6}"), "［车牌已隐去］"),
    (re.compile(r"[0-9一二三四五六七八九十百零〇]+(?:号楼|幢|栋|单元|室|号院|号|楼|层)"), ""),
)
_NAME_SAID = re.compile(r"我(?:叫|姓)[\u4e00-\u9fff]{1,3}[，,。；;\s]*")  # 「我叫张三，」: the whole clause goes


@dataclass(frozen=True)
class PublicText:
    title: str
    text: str
    reply: str


def redact(text: str, *, name: str | None = None, compounds: tuple[str, ...] = ()) -> str:
    out = text or ""
    out = _NAME_SAID.sub("", out)
    if name and name.strip():
        name = name.strip()
        for said in (name + "先生", name + "女士", name[0] + "先生", name[0] + "女士", name):
            out = out.replace(said, "市民")
    for compound in sorted(compounds, key=len, reverse=True):
        out = out.replace(compound, "某小区")
    for pattern, replacement in _PATTERNS:
        out = pattern.sub(replacement, out)
    return re.sub(r"[ \t]{2,}", " ", out).strip()


def public_text(title: str, text: str, reply: str, *, name: str | None, compounds: tuple[str, ...]) -> PublicText:
    clean = lambda s: redact(s, name=name, compounds=compounds)  # noqa: E731
    return PublicText(clean(title)[:60], clean(text)[:2000], clean(reply)[:2000])
