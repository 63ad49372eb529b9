"""Place resolution (属地): from what the caller says to the street or community that owns the place.

The city's gazetteer (`cities/<city>/places.yaml`: compounds, roads, crossroads, villages, markets, schools,
hospitals, … with aliases) plus the registry's own region names are the surface forms. `resolve(text,
address)` finds them in the words, exactly or bent the way callers bend them, and returns candidates best
first, each with its confidence and the words that matched:

    exact name or alias          compound/landmark/community 0.95, road 0.90, street 0.85, district 0.50
    two roads of a crossroad     the crossroad, 0.95 (whatever the order or the connecting words)
    a derived form               0.85–0.95: 朝阳路 for 朝阳街, 北关庄 for 北关村, 213省道, 清河人民医院 (县 dropped),
                                 城关卫生服务中心 (two inner characters left out); see place_forms.derived_forms
    near miss (one char wrong)   0.85, names of four or more characters with their kind said right, when no
                                 other place but a street or district was found
    said as it sounds (同音)      0.85, names of three or more characters heard as homophones (幸福丽)
    nearly as it sounds          0.83, the same with -n/-ng, z/zh, c/ch, s/sh, l/n mixed and the last char right
    qualifier … kind word        0.85, 东门那个菜市场 for 东门农贸市场, 滨江那个学校 for 滨江小学 and 滨江中学
    the name without its kind    0.82, 锦绣 for 锦绣家园, when no place of another street shares that core
    a street without 街道/镇/乡    0.78 (a candidate only), 0.82 followed by 那边/这边/附近…
    in the address field         +0.03 (the operator typed it)

`Resolution.region` is the answer when one candidate is confident (≥ 0.8) and no other street comes close
(within 0.1) — the street, when close candidates are in different communities of it; otherwise the
candidates are offered to the operator. Pure: no database, no I/O but loading. Every form is indexed by its
first two characters at load, so a call costs a few dictionary look-ups per character of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from liandong.core.errors import ConfigError
from liandong.core.yamlfile import LINE_KEY, load_yaml, validate
from liandong.regions.place_forms import (CORE, LOCATIVES, VAGUE, VAGUE_HERE, core_forms, derived_forms, ed1,
                                          forms_of, qualified_forms, sounds, suffix)
from liandong.regions.registry import CityRegistry

Kind = Literal["compound", "road", "crossroad", "village", "water", "market", "school", "hospital", "park",
               "station", "mall", "office", "community", "street", "district"]
EXACT = {"road": 0.90, "street": 0.85, "district": 0.50}  # every other kind: 0.95
CONFIDENT, CLOSE = 0.8, 0.1
NEAR_MISS = 0.85  # a name said with one character wrong
HOMOPHONE = 0.85  # a name written with characters that sound the same
LOOSE = 0.83  # a name written with characters that nearly sound the same, its last character right
QUALIFIED = 0.85  # a qualifier and, a few words on, the kind of place (东门那个菜市场)
_GAP = frozenset("的那这个边块里儿呃嗯啊就是有老新大旁")  # what may come between a qualifier and its kind word (东门「那个」菜市场)
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
    city: str = ""  # the city's name (明川市), for names said without its 市
    _index: dict[str, list[tuple]] = field(default_factory=dict, init=False)  # first two chars → forms
    _by_road: dict[str, list[Place]] = field(default_factory=dict, init=False)
    _near_at: dict[str, list[tuple]] = field(default_factory=dict, init=False)  # near-miss anchors
    _near_skip: dict[str, list[tuple]] = field(default_factory=dict, init=False)  # first and third chars
    _sounds: dict[tuple[str, str], list[tuple]] = field(default_factory=dict, init=False)
    _starts: tuple[frozenset, ...] = field(default=(), init=False)  # the first character (syllable) of each key

    def __post_init__(self) -> None:
        entries = [(f, p, EXACT.get(p.kind, 0.95), "exact", ()) for p in self.places for f in forms_of(p)]
        entries += [(f, p, c, "said", ()) for f, p, c in derived_forms(self.places, _exact, self.city)]
        entries += [(f, p, CORE, "vague" if vague else "said", ()) for f, p, vague in core_forms(self.places)]
        entries += [(f, p, 0.0, "qual", words) for f, p, words in qualified_forms(self.places)]
        for e in entries:
            self._index.setdefault(e[0][:2], []).append(e)
        for forms in self._index.values():
            forms.sort(key=lambda e: -len(e[0]))
        for p in self.places:
            for road in p.roads:
                self._by_road.setdefault(road, []).append(p)
            if p.kind in ("street", "district", "crossroad"):
                continue
            for form in forms_of(p):
                if len(form) >= 4:  # one character wrong leaves the first two, the 2nd-3rd or the 1st and 3rd
                    fuzzy = (form, p, suffix(form))
                    self._near_at.setdefault(form[:2], []).append((*fuzzy, 0))
                    self._near_at.setdefault(form[1:3], []).append((*fuzzy, 1))
                    self._near_at.setdefault(form[0] + form[2], []).append((*fuzzy, 0))  # the 2nd left out
                    self._near_skip.setdefault(form[0] + form[2], []).append(fuzzy)
                if len(form) >= 3:
                    exact, loose = sounds(form)
                    self._sounds.setdefault((loose[0], loose[1]), []).append((loose, exact, form, p))
        keyed = (self._index, self._near_at, self._near_skip, self._sounds)
        self._starts = tuple(frozenset(k[0] for k in d) for d in keyed)

    def resolve(self, text: str, address: str | None = None) -> Resolution:
        """The address the operator typed decides when it names a place clearly; else address and text together."""
        typed = self._candidates(_SPACE.sub("", address or ""), bonus=0.03)
        said = self._candidates(_SPACE.sub("", text or ""), bonus=0.0)
        if _answer(typed):
            return Resolution(_rank({**said, **typed}), _answer(typed))
        ranked = _rank({**said, **{k: m for k, m in typed.items() if m.confidence >= said.get(k, m).confidence}})
        return Resolution(ranked, _answer(ranked))

    def _candidates(self, text: str, *, bonus: float) -> dict[int, PlaceMatch]:
        scores: dict[int, PlaceMatch] = {}
        if not text:
            return scores
        hits, quals = self._scan(text)
        found, kinds, roads = set(), set(), []
        for _, end, (form, p, confidence, tag, _) in hits:
            if tag == "vague":  # 石桥 alone is vague; 石桥那边 is the town
                confidence = VAGUE_HERE if text[end:end + 2] in LOCATIVES else VAGUE
            else:
                kinds.add(p.kind)
            if tag == "exact":
                found.add(form)
            _keep(scores, p, confidence + bonus, form)
            roads.append(p)
        for start, end, (form, p, _, _, words) in quals:
            said = _kind_word(text, end, words)
            if said is not None and not any(h[0] < said and h[1] > end for h in hits):  # 望山「龙泉小区」
                _keep(scores, p, QUALIFIED + bonus, text[start:said])
        for p, confidence, words in self._heard(text, found):
            _keep(scores, p, confidence + bonus, words)
            roads.append(p)
        if not kinds - {"district", "street"}:
            for p, words in self._near(text):
                _keep(scores, p, NEAR_MISS + bonus, words)
                roads.append(p)
        for crossing, said in self._crossings(roads):
            _keep(scores, crossing, 0.95 + bonus, *said)
        return scores

    def _scan(self, text: str) -> tuple[list[tuple], list[tuple]]:
        """Forms said as they are, a longer one hiding those inside it (东门农贸市场 hides 东门), and qualifiers
        (东门 of 东门农贸市场) not inside a longer form."""
        found = []
        index, starts = self._index, self._starts[0]
        for i in range(len(text) - 1):
            if text[i] not in starts:
                continue
            for e in index.get(text[i:i + 2], ()):
                if text.startswith(e[0], i):
                    found.append((i, i + len(e[0]), e))
        if not found:
            return [], []
        naming = [f for f in found if f[2][3] != "qual"]

        def hidden(f: tuple) -> bool:
            return any(o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0] for o in naming)

        return [f for f in naming if not hidden(f)], [f for f in found if f[2][3] == "qual" and not hidden(f)]

    def _heard(self, text: str, found: set[str]) -> list[tuple[Place, float, str]]:
        """Names of three or more characters written as they sound (幸福丽小区 for 幸福里小区), or nearly so with
        the last character right (人名路 for 人民路, 陈关大街 for 城关大街: -n/-ng, z/zh, l/n)."""
        out = []
        exact, loose = sounds(text)
        index, starts = self._sounds, self._starts[3]
        for i in range(len(text) - 2):
            if loose[i] not in starts:
                continue
            for key, sound, form, p in index.get((loose[i], loose[i + 1]), ()):
                n = len(key)
                if loose[i:i + n] != key or form in found:
                    continue
                words = text[i:i + n]
                if words != form and exact[i:i + n] == sound:
                    out.append((p, HOMOPHONE, words))
                elif words != form and words[-1] == form[-1]:
                    out.append((p, LOOSE, words))
        return out

    def _crossings(self, roads: list[Place]) -> list[tuple[Place, tuple[str, str]]]:
        names = {p.name for p in roads if p.kind == "road"}
        out = []
        for road in names:
            for crossing in self._by_road.get(road, ()):
                if set(crossing.roads) <= names:
                    out.append((crossing, tuple(crossing.roads)))
        return out

    def _near(self, text: str) -> list[tuple[Place, str]]:
        """Names of four or more characters said with one character wrong, missing or extra (幸福理小区, 锦秀家园),
        the kind said right. Tried only where the text has their first two, 2nd-3rd, or 1st and 3rd characters."""
        n = len(text)
        if n < 3:
            return []
        tried: set[tuple[str, int]] = set()
        out: list[tuple[Place, str]] = []
        at, skip = self._near_at, self._near_skip
        _, at_starts, skip_starts, _ = self._starts
        for i in range(n - 1):
            c = text[i]
            if c in at_starts:
                for form, p, end, offset in at.get(text[i:i + 2], ()):
                    _try_near(text, i - offset, form, p, end, tried, out)
            if c in skip_starts and i + 2 < n:
                for form, p, end in skip.get(c + text[i + 2], ()):
                    _try_near(text, i, form, p, end, tried, out)
        return out


def _exact(p: Place) -> float:
    return EXACT.get(p.kind, 0.95)


def _try_near(text: str, start: int, form: str, p: Place, end: str, tried: set, out: list) -> None:
    if start < 0 or (form, start) in tried:
        return
    tried.add((form, start))
    n = len(form)
    for size in (n, n - 1, n + 1):
        words = text[start:start + size]
        if len(words) == size and words != form and words.endswith(end) and ed1(form, words):
            out.append((p, words))
            return


def _kind_word(text: str, end: int, words: tuple[str, ...]) -> int | None:
    """Where a kind word said a few words after a qualifier ends (东门「那个」菜市场), or None."""
    window = text[end:end + 5 + 6]
    best = None
    for w in words:
        k = window.find(w)
        if 0 <= k <= 5 and all(c in _GAP for c in window[:k]) and (best is None or k + len(w) > best):
            best = k + len(w)
    return None if best is None else end + best


def _keep(scores: dict[int, PlaceMatch], p: Place, confidence: float, *words: str) -> None:
    old = scores.get(id(p))
    if old is None or confidence > old.confidence:
        scores[id(p)] = PlaceMatch(p, min(1.0, confidence), words)


def _rank(scores: dict[int, PlaceMatch]) -> tuple[PlaceMatch, ...]:
    return tuple(sorted(scores.values(), key=lambda m: (-m.confidence, -len(m.place.region), m.place.name))[:5])


def _answer(found: dict[int, PlaceMatch] | tuple[PlaceMatch, ...]) -> str | None:
    """The best candidate's region; its street when a close one is in another community of that street;
    None when it is not confident or a close one is in another street."""
    ranked = _rank(found) if isinstance(found, dict) else found
    if not ranked or ranked[0].confidence < CONFIDENT:
        return None
    best = ranked[0].place
    near = [m for m in ranked[1:] if m.confidence >= ranked[0].confidence - CLOSE]
    close = [m.place for m in near
             if not best.region.startswith(m.place.region) and not m.place.region.startswith(best.region)]
    if any(p.street != best.street for p in close):
        return None
    same_words = any(m.matched == ranked[0].matched and m.place.street == best.street for m in near)  # 湖滨: 花园 or 路
    return best.street if close or same_words else best.region


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
    return Gazetteer(places, registry.city.name)
