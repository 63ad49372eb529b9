"""The forms a gazetteer's places are said in besides their names and aliases, and the sound of words.

Everything here runs once, when a gazetteer is loaded: `derived_forms` (how callers shorten or bend a
name), `core_forms` (a name without its kind: 锦绣 for 锦绣家园, 石桥 for 石桥镇), `qualified_forms` (the
qualifier of a name and the kind words callers say after it: 东门 … 菜市场 for 东门农贸市场). `sounds` and
`ed1` are the cheap per-call helpers of the fuzzy passes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pypinyin import Style, lazy_pinyin

if TYPE_CHECKING:
    from liandong.regions.places import Place

GENERIC = ("小区", "花园", "家园", "新村", "社区", "街道", "大街", "大道", "市场", "小学", "中学", "医院", "公园", "广场",
           "中心", "村")  # what a place is: a near miss must say it exactly (东门小区 is not 东门小学)
ROAD_SUFFIXES = ("大街", "大道", "路", "街", "巷")  # said for one another: 朝阳路 for 朝阳街
STREET_SUFFIXES = ("街道", "镇", "乡")
LOCATIVES = frozenset({"那边", "这边", "那块", "这块", "那里", "这里", "附近", "一带", "那片", "这片"})
_MARKET = ("菜市场", "农贸市场", "市场", "菜场")
_PRIMARY, _MIDDLE = ("小学", "学校"), ("中学", "初中", "一中", "学校")
_CLINIC = ("卫生院", "社区医院", "卫生服务中心", "医院")
_PARK = ("公园", "广场")
_OFFICE = ("便民服务中心", "服务中心", "街道办", "政务大厅", "办事大厅")
TAILS = {  # a name's kind ending → the words callers say for that kind after the qualifier
    "农贸市场": _MARKET, "菜市场": _MARKET, "市场": _MARKET, "菜场": _MARKET,
    "实验小学": _PRIMARY, "小学": _PRIMARY, "中学": _MIDDLE, "一中": _MIDDLE,
    "社区卫生服务中心": _CLINIC, "卫生院": _CLINIC, "社区医院": _CLINIC,
    "公园": _PARK, "广场": _PARK, "便民服务中心": _OFFICE, "街道办": _OFFICE, "政务大厅": _OFFICE,
    "小区": ("小区",), "花园": ("花园",), "家园": ("家园",), "新村": ("新村",),
}
_TAILS_LONGEST = sorted(TAILS, key=len, reverse=True)
_NUMBERED = re.compile(r"^(省道|国道|县道)(\d+)线?$")
_LETTER = {"省道": "S", "国道": "G", "县道": "X"}
ROAD_SWAP, VILLAGE, NUMBERED, SHORTENED = 0.85, 0.90, 0.90, 0.85
CORE, VAGUE, VAGUE_HERE = 0.82, 0.78, 0.82  # 石桥 alone is vague; 石桥那边 means the town
_NO_CORE = frozenset({"street", "district", "crossroad", "road", "community"})


def suffix(form: str) -> str:
    return next((g for g in GENERIC if form.endswith(g)), "")


def forms_of(p: Place) -> tuple[str, ...]:
    return (p.name, *p.aliases)


def derived_forms(places: list[Place], exact_conf, city: str = "") -> list[tuple[str, Place, float]]:
    """What callers say for a name that is neither the name nor an alias: another road word (朝阳路 for
    朝阳街), 庄 for 村, a numbered road's other spellings (213省道, S213), a district's 县/市/区 dropped
    (清河人民医院) and, for names of eight or more characters, two inner characters left out (城关卫生服务中心).
    A derived form that is some place's own form, or that two places would share, is not kept."""
    real = {f for p in places for f in forms_of(p)}
    admin = [p.name for p in places if p.kind == "district" and len(p.name) >= 3] + ([city] if len(city) >= 3 else [])
    out: dict[str, list[tuple[Place, float]]] = {}

    def add(form: str, p: Place, conf: float) -> None:
        if form not in real and len(form) >= 3:
            out.setdefault(form, []).append((p, conf))

    for p in places:
        for form in forms_of(p):
            if p.kind == "road" and (m := _NUMBERED.match(form)):
                kind, num = m.groups()
                for f in (kind + num, num + kind, _LETTER[kind] + num, num + "线"):
                    add(f, p, NUMBERED)
            elif p.kind == "road":
                end = next((s for s in ROAD_SUFFIXES if form.endswith(s)), "")
                if end and len(form) - len(end) >= 2:
                    for other in ROAD_SUFFIXES[:4]:
                        if other != end:
                            add(form[: -len(end)] + other, p, ROAD_SWAP)
            if p.kind == "village" and form.endswith("村") and len(form) >= 3:
                add(form[:-1] + "庄", p, VILLAGE)
            for d in admin:
                if form.startswith(d) and len(form) - len(d) >= 2:
                    add(d[:-1] + form[len(d):], p, exact_conf(p))
            if len(form) >= 8 and p.kind not in ("street", "district", "community"):
                for i in range(2, len(form) - 3):
                    add(form[:i] + form[i + 2:], p, SHORTENED)
    return [(f, p, c) for f, owners in out.items() if len({id(o) for o, _ in owners}) == 1 for p, c in owners[:1]]


def core_forms(places: list[Place]) -> list[tuple[str, Place, bool]]:
    """A name without its kind, when no place of another street shares it: (core, place, vague). 锦绣 for
    锦绣家园 (no other place has 锦绣); vague: 湖滨 for 湖滨花园 (湖滨路 is in the same street: 湖滨 may be the
    road) and a street or town without 街道/镇/乡 (石桥, 新华)."""
    forms = [(f, p) for p in places for f in forms_of(p)]
    out = []
    for p in places:
        for form in forms_of(p):
            if p.kind in ("street",):
                end = next((s for s in STREET_SUFFIXES if form.endswith(s)), "")
            elif p.kind not in _NO_CORE:
                end = suffix(form)
            else:
                continue
            core = form[: -len(end)] if end else ""
            if len(core) < 2:
                continue
            owners = {id(q): q for f, q in forms if core in f and q is not p}
            if any(q.street != p.street for q in owners.values()):
                continue  # 清河 is also 清河县; 幸福 is in many streets
            if p.kind == "street":
                out.append((core, p, True))
            elif not any(q.kind not in ("road", "crossroad", "street") for q in owners.values()):
                out.append((core, p, bool(owners)))  # 锦绣; 湖滨 is vague, and may be 湖滨路 as well:
                out += [(core, q, True) for q in owners.values() if q.kind == "road"]
    return out


def qualified_forms(places: list[Place]) -> list[tuple[str, Place, tuple[str, ...]]]:
    """(qualifier, place, kind words): 东门农贸市场 is 东门 followed, a few words on, by 菜市场/市场/菜场."""
    out, seen = [], set()
    for p in places:
        for form in forms_of(p):
            tail = next((t for t in _TAILS_LONGEST if form.endswith(t)), "")
            qualifier = form[: -len(tail)] if tail else ""
            if len(qualifier) >= 2 and (qualifier, id(p), tail) not in seen:
                seen.add((qualifier, id(p), tail))
                out.append((qualifier, p, TAILS[tail]))
    return out


_PINYIN: dict[str, tuple[str, str]] = {}


def _loosen(s: str) -> str:
    """Sounds a caller or a transcriber mixes up: zh/z ch/c sh/s, n/l, -ng/-n (城/陈, 星/新, 人名/人民)."""
    if s[:2] in ("zh", "ch", "sh"):
        s = s[0] + s[2:]
    if s[:1] == "n":
        s = "l" + s[1:]
    return s[:-1] if s.endswith("ng") else s


def _syllables(ch: str) -> tuple[str, str]:
    got = _PINYIN.get(ch)
    if got is None:
        exact = lazy_pinyin(ch, style=Style.NORMAL)[0] if "\u4e00" <= ch <= "\u9fff" else ch
        got = _PINYIN[ch] = (exact, _loosen(exact) if exact != ch else ch)
    return got


def sounds(text: str) -> tuple[list[str], list[str]]:
    """Each character's syllable, exact and loosened."""
    get = _PINYIN.get
    pairs = [get(ch) or _syllables(ch) for ch in text]
    return [a for a, _ in pairs], [b for _, b in pairs]


def ed1(a: str, b: str) -> bool:
    """Whether b is a with at most one character changed, left out or added."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    n = min(la, lb)
    while i < n and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:]
    return a[i + 1:] == b[i:] if la > lb else a[i:] == b[i + 1:]
