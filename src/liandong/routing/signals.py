"""Find emergency signals in an appeal, with negation and time (信号识别：否定与时态).

A hit is `active` only if nothing denies it: 没有人受伤 (negated), 容易着火 (hypothetical),
上个月被偷过 (past — a report, not an emergency).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from liandong.routing import danger, lexicon
from liandong.routing.prefilter import Alternation, PatternIndex
from liandong.routing.text import clauses

ACTIVE, NEGATED, HYPOTHETICAL, PAST = "active", "negated", "hypothetical", "past"
STATE_LABELS = {NEGATED: "否定", HYPOTHETICAL: "假设/隐患", PAST: "过去发生"}


@dataclass(frozen=True)
class Hit:  # 信号命中
    signal: str
    phrase: str
    start: int
    state: str
    cue: str = ""  # the words that changed the state (没有, 上个月)
    composed: str = ""  # the label of the composed danger pattern that found it (danger.py), if any
    adds: tuple[str, ...] = ()  # services a composed hit brings besides its signal's


@dataclass(frozen=True)
class _Compiled:
    spec: lexicon.SignalSpec
    pattern: Alternation
    exclude: re.Pattern | None
    anchor: re.Pattern | None  # must be found in the text for the patterns to be tried


def _compile(spec: lexicon.SignalSpec) -> _Compiled:
    exclude = re.compile("|".join(f"(?:{p})" for p in spec.exclude)) if spec.exclude else None
    return _Compiled(spec, Alternation(spec.patterns), exclude, re.compile(spec.anchor) if spec.anchor else None)


_COMPILED = tuple(_compile(s) for s in lexicon.SIGNALS + danger.COMPOSED)
_INDEX = PatternIndex([c.pattern for c in _COMPILED])
_ANIMAL_SUBJECT = re.compile(danger.ANIMAL + r"(?!.*" + danger.PERSON + r")")  # an animal, and no person after it
_ANIMAL_AGENT = re.compile(r"被[^，。]{0,4}" + danger.ANIMAL)  # 被狗咬伤: the animal did it, a person was hurt
_PEOPLE_ONLY = frozenset({"injury", "trapped", "medical", "traffic_accident", "electrocution", "drowning"})
_NEG_BEFORE = re.compile(lexicon.NEGATION_BEFORE)
_HYPO_BEFORE = re.compile(lexicon.HYPOTHETICAL_BEFORE)
_HYPO_AFTER = re.compile(lexicon.HYPOTHETICAL_AFTER)
_NEG_INJURY = re.compile(lexicon.NEGATED_INJURY)
_HYPO_INSIDE = re.compile(lexicon.HYPOTHETICAL_INSIDE)
_RESOLVED = {k: re.compile(v) for k, v in lexicon.RESOLVED.items()}
_PAST = re.compile(lexicon.PAST_MARKERS)
_PRESENT = re.compile(lexicon.PRESENT_MARKERS)
_INJURY_CLAIM = re.compile(lexicon.INJURY_CLAIM)
_ASKING = re.compile(lexicon.ASKING_PROCEDURE)
_NOW = re.compile(lexicon.NOW_MARKERS)
_CONDITIONAL = re.compile(lexicon.THREAT_CONDITIONALS)
ANY_SIGNAL = re.compile("|".join(f"(?:{p})" for s in lexicon.SIGNALS for p in s.patterns))  # for vetting keywords, not per appeal


# A caller correcting themselves right after saying it (我被困在家里了，不是，是小区封路): the words are withdrawn.
RETRACTED = re.compile(r"^[^，。！？,;；\s]{0,8}[，,\s]+(不是|不对|说错了)(?=[，,\s])")


def _clause_times(text: str) -> list[tuple[int, int, str]]:
    """(start, end, past cue or '') per clause; a past clause carries on until a present marker."""
    out, carried = [], ""
    for start, clause in clauses(text):
        past = _PAST.search(clause)
        present = _PRESENT.search(clause)
        if present and (not past or present.start() > past.start()):
            carried = ""
        elif past:
            carried = past.group(0)
        out.append((start, start + len(clause), carried))
    return out


def detect(text: str) -> list[Hit]:
    """All signal hits in normalised `text`, each with its state."""
    live = _INDEX.live(text)
    candidates = [(c, live[i]) for i, c in enumerate(_COMPILED) if i in live and (c.anchor is None or c.anchor.search(text))]
    if not candidates:
        return []
    times: list | None = None
    injury_denied = None
    asking = None
    hits: list[Hit] = []
    for c, patterns in candidates:
        excluded = None
        for m in c.pattern.finditer(text, patterns):
            s, e = m.span()
            if excluded is None:
                excluded = [x.span() for x in c.exclude.finditer(text)] if c.exclude else []
            if s == e or any(s < xe and xs < e for xs, xe in excluded):
                continue
            if times is None:
                times = _clause_times(text)
                injury_denied = _NEG_INJURY.search(text)
                asking = None if _NOW.search(text) else _ASKING.search(text)
            clause_start, past_cue = next(((cs, cue) for cs, ce, cue in times if cs <= s < ce), (0, ""))
            before = text[max(clause_start, s - 8) : s]
            after = text[e : e + 6]
            neg = _NEG_BEFORE.search(before)
            hypo = _HYPO_BEFORE.search(before) or _HYPO_AFTER.search(after) or _HYPO_INSIDE.search(m.group(0))
            if hypo and c.spec.id in lexicon.THREAT_SIGNALS and _CONDITIONAL.match(hypo.group(0)):
                hypo = None
            signal = c.spec.base or c.spec.id
            extra = {"composed": c.spec.label, "adds": c.spec.services} if c.spec.base else {}
            window = text[max(0, s - 20) : s] + m.group(0)
            animal = signal in _PEOPLE_ONLY and not _ANIMAL_AGENT.search(window) and _ANIMAL_SUBJECT.search(window)
            if neg:
                hits.append(Hit(signal, m.group(0), s, NEGATED, neg.group(0), **extra))
            elif ("不" in text or "说错" in text) and (retracted := RETRACTED.search(text[e : e + 16])):
                hits.append(Hit(signal, m.group(0), s, NEGATED, retracted.group(1), **extra))
            elif animal:
                hits.append(Hit(signal, m.group(0), s, NEGATED, animal.group(1), **extra))
            elif signal in ("injury", "medical") and injury_denied:
                hits.append(Hit(signal, m.group(0), s, NEGATED, injury_denied.group(0), **extra))
            elif signal in _RESOLVED and (done := _RESOLVED[signal].search(text)):
                hits.append(Hit(signal, m.group(0), s, PAST, done.group(0), **extra))
            elif (signal in ("injury", "medical", "electrocution", "traffic_accident", "dog_attack") or signal == "crime" and "砸" in m.group(0)) and (claim := _INJURY_CLAIM.search(text)):
                hits.append(Hit(signal, m.group(0), s, PAST, claim.group(0), **extra))
            elif asking and signal not in lexicon.ASKING_EXCEPT:  # 想问一下老人走丢了的话…: a question, not an event
                hits.append(Hit(signal, m.group(0), s, HYPOTHETICAL, asking.group(0), **extra))
            elif hypo:
                hits.append(Hit(signal, m.group(0), s, HYPOTHETICAL, hypo.group(0), **extra))
            elif (after.startswith("过") or past_cue) and not _PRESENT.search(m.group(0)):
                hits.append(Hit(signal, m.group(0), s, PAST, past_cue or "过", **extra))
            else:
                hits.append(Hit(signal, m.group(0), s, ACTIVE, **extra))
    return hits


def active_signals(hits: list[Hit]) -> list[str]:
    """Signal ids that are active, in priority order, without repeats."""
    seen = {h.signal for h in hits if h.state == ACTIVE}
    return [s.id for s in lexicon.SIGNALS if s.id in seen]
