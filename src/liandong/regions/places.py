"""Place resolution (属地): from what the caller says to the street or community that owns the place.

The city's gazetteer (`cities/<city>/places.yaml`: compounds, roads, crossroads, villages, markets, schools,
hospitals, … with aliases) plus the registry's own region names are the surface forms. `resolve(text,
address)` finds them in the words, exactly or with one or two characters wrong, and returns candidates
best first, each with its confidence and the words that matched:

    exact name or alias          compound/landmark/community 0.95, road 0.90, street 0.85, district 0.50
    two roads of a crossroad     the crossroad, 0.95 (whatever the order or the connecting words)
    near miss (one char wrong)   0.85, names of four or more characters, where no exact place of that kind was found
    said as it sounds (同音)      0.85, names of three or more characters heard by a transcriber as homophones (幸福丽)
    the name without its kind    0.82, 锦绣 for 锦绣家园, when no other place shares that core name
    in the address field         +0.03 (the operator typed it)

`Resolution.region` is the answer when one candidate is confident (≥ 0.8) and no other street comes close
(within 0.1); otherwise the candidates are offered to the operator. Pure: no database, no I/O but loading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pypinyin import Style, lazy_pinyin

from liandong.core.errors import ConfigError
from liandong.core.yamlfile import LINE_KEY, load_yaml, validate
from liandong.regions.registry import CityRegistry

Kind = Literal["compound", "road", "crossroad", "village", "water", "market", "school", "hospital", "park",
               "station", "mall", "office", "community", "street", "district"]
EXACT = {"road": 0.90, "street": 0.85, "district": 0.50}  # every other kind: 0.95
CONFIDENT, CLOSE = 0.8, 0.1
NEAR_MISS = 0.85  # a name said with one character wrong
HOMOPHONE = 0.85  # a name written with characters that sound the same
CORE = 0.82  # a name without its generic kind (锦绣 for 锦绣家园)
_NO_CORE = frozenset({"street", "district", "crossroad", "road", "community"})
GENERIC = ("小区", "花园", "家园", "新村", "社区", "街道", "大街", "大道", "市场", "小学", "中学", "医院", "公园", "广场",
           "中心", "村")  # what a place is: a near miss must say it exactly (东门小区 is not 东门小学)
_SPACE = re.compile(r"\s+")


class _PlaceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=2, max_length=40)
    kind: Kind
    region: str = Field(pattern=r"^\d{6}(\d{3}){0,2}$")
    aliases: list[str] = []
    roads: list[str] = []

    @field_validator("aliases")
    @classmethod
    def _long_enough(cls, v: list[str]) -> list[str]:
        short = [a for a in v if len(a) < 3]
        if short:
            raise ValueError(f"别名太短，容易误认：{'、'.join(short)}（至少3个字）")
        return v


class _Gazetteer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    places: list[_PlaceIn]


@dataclass(frozen=True)
class Place:  # 地名
    name: str
    kind: str
    region: str  # the community (12 digits) or street (9) that owns it
    aliases: tuple[str, ...] = ()
    roads: tuple[str, ...] = ()  # a crossroad's two roads

    @property
    def street(self) -> str:
        return self.region[:9]


@dataclass(frozen=True)
class PlaceMatch:  # 候选地点
    place: Place
    confidence: float
    matched: tuple[str, ...]  # the words of the text that named it

    def to_dict(self) -> dict:
        return {"name": self.place.name, "kind": self.place.kind, "region": self.place.region,
                "confidence": round(self.confidence, 3), "matched": list(self.matched)}


@dataclass(frozen=True)
class Resolution:  # 属地研判
    candidates: tuple[PlaceMatch, ...]  # best first, one per place, at most five
    region: str | None  # the place's region when the answer is clear, else None (the operator chooses)

    @property
    def reason(self) -> str:
        if not self.candidates:
            return "未识别出地点"
        best = self.candidates[0]
        said = "、".join(best.matched)
        if self.region:
            return f"属地：{best.place.name}（依据「{said}」，置信度 {best.confidence:.2f}）"
        return "属地不确定，候选：" + "、".join(f"{c.place.name}（{c.confidence:.2f}）" for c in self.candidates[:3])

    def to_dict(self) -> dict:
        return {"region": self.region, "reason": self.reason, "candidates": [c.to_dict() for c in self.candidates[:3]]}


@dataclass
class Gazetteer:  # 地名库
    places: list[Place]
    _forms: dict[str, list[tuple[str, Place]]] = field(default_factory=dict, init=False)  # first two chars → forms
    _by_road: dict[str, list[Place]] = field(default_factory=dict, init=False)
    _fuzzy: list[tuple[str, Place]] = field(default_factory=list, init=False)  # forms tried for near misses
    _by_char: dict[str, list[int]] = field(default_factory=dict, init=False)  # character → indexes in _fuzzy
    _sounds: dict[str, list[tuple[tuple[str, ...], str, Place]]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._index_sounds_and_cores()
        for p in self.places:
            for form in (p.name, *p.aliases):
                self._forms.setdefault(form[:2], []).append((form, p))
            for road in p.roads:
                self._by_road.setdefault(road, []).append(p)
            if p.kind not in ("street", "district", "crossroad"):
                for form in (p.name, *p.aliases):
                    if len(form) >= 4:
                        for ch in set(form):
                            self._by_char.setdefault(ch, []).append(len(self._fuzzy))
                        self._fuzzy.append((form, p))
        for forms in self._forms.values():
            forms.sort(key=lambda fp: -len(fp[0]))

    def resolve(self, text: str, address: str | None = None) -> Resolution:
        """The address the operator typed decides when it names a place clearly; else address and text together."""
        typed = self._candidates(_SPACE.sub("", address or ""), bonus=0.03)
        said = self._candidates(_SPACE.sub("", text or ""), bonus=0.0)
        if _answer(typed):
            return Resolution(_rank({**said, **typed}), _answer(typed))
        ranked = _rank({**said, **{k: m for k, m in typed.items() if m.confidence >= said.get(k, m).confidence}})
        return Resolution(ranked, _answer(ranked))

    def _index_sounds_and_cores(self) -> None:
        """Homophone keys of every name of three or more characters, and core names (the name without its
        generic kind) that belong to one place only, added as weaker forms."""
        forms = [(form, p) for p in self.places for form in (p.name, *p.aliases)]
        cores: dict[str, set[int]] = {}
        for form, p in forms:
            if p.kind not in _NO_CORE and (suffix := _suffix(form)) and len(form) - len(suffix) >= 2:
                cores.setdefault(form[: -len(suffix)], set()).add(id(p))
        owner = {id(p): p for p in self.places}
        self._cores = {}
        for core, ids in cores.items():
            (pid,) = ids if len(ids) == 1 else (None,)
            if pid is not None and not any(core in form and id(p) != pid for form, p in forms):
                self._cores[core] = owner[pid]
        for form, p in forms:
            if len(form) >= 3 and p.kind not in ("street", "district", "crossroad"):
                key = _sound(form)
                self._sounds.setdefault(key[0], []).append((key, form, p))

    def _heard(self, text: str, found: set[str]) -> list[tuple[Place, float, str]]:
        """Names written as they sound (幸福丽小区 for 幸福里小区) and core names (锦绣 for 锦绣家园)."""
        out = []
        syllables = _sound(text)
        for i, syl in enumerate(syllables):
            for key, form, p in self._sounds.get(syl, ()):
                words = text[i:i + len(key)]
                if syllables[i:i + len(key)] == key and words != form and form not in found:
                    out.append((p, HOMOPHONE, words))
        for core, p in self._cores.items():
            if core in text and not any(core in f for f in found):
                out.append((p, CORE, core))
        return out

    def _candidates(self, text: str, *, bonus: float) -> dict[int, PlaceMatch]:
        scores: dict[int, PlaceMatch] = {}
        hits = self._exact(text)
        found = {form for form, _ in hits}
        heard = self._heard(text, found) if text else []
        for form, p in hits:
            _keep(scores, PlaceMatch(p, min(1.0, EXACT.get(p.kind, 0.95) + bonus), (form,)))
        for p, confidence, words in heard:
            _keep(scores, PlaceMatch(p, min(1.0, confidence + bonus), (words,)))
        for crossing, roads in self._crossings(hits + [(words, p) for p, _, words in heard if p.kind == "road"]):
            _keep(scores, PlaceMatch(crossing, min(1.0, 0.95 + bonus), roads))
        kinds = {p.kind for _, p in hits}
        if not kinds - {"district", "street"}:
            for _form, p, confidence, words in self._near(text, kinds):
                _keep(scores, PlaceMatch(p, min(1.0, confidence + bonus), (words,)))
        return scores

    def _exact(self, text: str) -> list[tuple[str, Place]]:
        found: list[tuple[int, int, str, Place]] = []
        for i in range(len(text) - 1):
            for form, p in self._forms.get(text[i:i + 2], ()):
                if text.startswith(form, i):
                    found.append((i, i + len(form), form, p))
        kept = [f for f in found if not any(o[0] <= f[0] and f[1] <= o[1] and (o[1] - o[0]) > (f[1] - f[0])
                                            for o in found)]  # 东门农贸市场 hides 东门街道's 东门
        return [(form, p) for _, _, form, p in kept]

    def _crossings(self, hits: list[tuple[str, Place]]) -> list[tuple[Place, tuple[str, str]]]:
        roads = {p.name for _, p in hits if p.kind == "road"}
        out = []
        for road in roads:
            for crossing in self._by_road.get(road, ()):
                if set(crossing.roads) <= roads:
                    out.append((crossing, tuple(crossing.roads)))
        return out

    def _near(self, text: str, exact_kinds: set[str]) -> list[tuple[str, Place, float, str]]:
        """Names of four or more characters said with one character wrong, missing or extra (幸福理小区, 锦秀家园),
        for kinds not already found exactly. A name is tried only if all but one of its characters occur."""
        if len(text) < 3:
            return []
        present: dict[int, int] = {}
        for ch in set(text):
            for i in self._by_char.get(ch, ()):
                present[i] = present.get(i, 0) + 1
        out = []
        for i, hits in present.items():
            form, p = self._fuzzy[i]
            if hits < len(set(form)) - 1 or p.kind in exact_kinds:
                continue
            matched, words = _best_window(form, text)
            if matched >= len(form) - 1 and words != form and words.endswith(_suffix(form)):
                out.append((form, p, NEAR_MISS, words))
        return out


@lru_cache(maxsize=None)
def _syllable(ch: str) -> str:
    return lazy_pinyin(ch, style=Style.NORMAL)[0] if "\u4e00" <= ch <= "\u9fff" else ch


def _sound(text: str) -> tuple[str, ...]:
    return tuple(_syllable(ch) for ch in text)


def _suffix(form: str) -> str:
    return next((g for g in GENERIC if form.endswith(g)), "")


def _best_window(form: str, text: str) -> tuple[int, str]:
    """The most characters of `form` matched in order by a window of the text one shorter, as long or longer."""
    best, words = 0, ""
    n = len(form)
    for size in (n - 1, n, n + 1):
        for i in range(0, max(1, len(text) - size + 1)):
            window = text[i:i + size]
            if window[0] != form[0] and window[-1] != form[-1]:
                continue
            matched = sum(b.size for b in SequenceMatcher(None, form, window, autojunk=False).get_matching_blocks())
            if matched > best or (matched == best and len(window) == n):
                best, words = matched, window
    return best, words


def _keep(scores: dict[int, PlaceMatch], m: PlaceMatch) -> None:
    key = id(m.place)
    old = scores.get(key)
    if old is None or m.confidence > old.confidence:
        scores[key] = m


def _rank(scores: dict[int, PlaceMatch]) -> tuple[PlaceMatch, ...]:
    return tuple(sorted(scores.values(), key=lambda m: (-m.confidence, -len(m.place.region), m.place.name))[:5])


def _answer(found: dict[int, PlaceMatch] | tuple[PlaceMatch, ...]) -> str | None:
    ranked = _rank(found) if isinstance(found, dict) else found
    if not ranked or ranked[0].confidence < CONFIDENT:
        return None
    best = ranked[0]
    rivals = [m for m in ranked[1:] if m.place.street != best.place.street
              and not best.place.region.startswith(m.place.region) and m.confidence >= best.confidence - CLOSE]
    return None if rivals else best.place.region


def load_gazetteer(path: Path, registry: CityRegistry) -> Gazetteer:
    """The city's gazetteer and its registry's region names; each place must name a region of the city."""
    data = load_yaml(path)
    parsed = validate(_Gazetteer, data, path)
    places = []
    for raw, p in zip(data.get("places") or [], parsed.places):
        if p.region not in registry.regions:
            line = raw.get(LINE_KEY) if isinstance(raw, dict) else None
            raise ConfigError(str(path), f"地点「{p.name}」的区划代码 {p.region} 不在区划目录中", line=line)
        places.append(Place(p.name, p.kind, p.region, tuple(p.aliases), tuple(p.roads)))
    for code, region in registry.regions.items():
        if len(code) == 6 and code == registry.city.code:
            continue
        places.append(Place(region.name, {6: "district", 9: "street", 12: "community"}[len(code)], code))
    return Gazetteer(places)
