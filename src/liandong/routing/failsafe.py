"""Fail-safe emergency recognition (疑似人身危险兜底, issue 11): plausible danger is never '12345 only'.

When neither an alarm word (`lexicon.py`) nor a full composed pattern (`danger.py`) fired, but the text names
a person together with a harm cue in the same clause — 不会动、喘不上气、血止不住、出不来、要跳、转账 — the danger
is plausible though not certain. Then the emergency service of that harm is added to the decision and the
decision goes to review with the reason: better a dispatch an operator cancels than a missed emergency.

Not applied when the rules judged a signal negated, past or hypothetical (没人受伤、上个月、会不会), when the caller
only asks (想问、怎么办理), or when an emergency service is already in the decision.
"""

from __future__ import annotations

import re

from liandong.routing.danger import ANIMAL, PERSON

from liandong.routing import lexicon
from liandong.routing.prefilter import Alternation, PatternIndex, alternatives

HARMS = lexicon.FAILSAFE_HARMS  # one source: the cue families live in the lexicon
_PERSON = re.compile(PERSON)
_ANIMAL_ONLY = re.compile(ANIMAL)
_CLAUSE = re.compile(r"[，。！？；,.!?;]")
_ASKING = re.compile(lexicon.ASKING)
_NOT_FIRE = re.compile(lexicon.FAILSAFE_SMOKE_NOT_FIRE)
_COMPILED = tuple((family, service, Alternation(alternatives(rx))) for family, service, rx in HARMS)
_INDEX = PatternIndex([alt for _, _, alt in _COMPILED])


def _animal_subject(before: str) -> bool:
    """Whether the harm's nearest subject is an animal (我家猫卡在…): the last animal word comes after the last person."""
    animals = [m.end() for m in _ANIMAL_ONLY.finditer(before)]
    people = [m.end() for m in _PERSON.finditer(before)]
    return bool(animals) and (not people or animals[-1] > people[-1])


def plausible_danger(text: str) -> list[tuple[str, str, str]]:
    """(family, service, cue) for each harm cue that shares a sentence with a person word, in order."""
    if _ASKING.search(text):
        return []
    found: list[tuple[str, str, str]] = []
    sentences = [s for s in re.split(r"[。！？!?]", text) if s]
    for i, sentence in enumerate(sentences):
        window = sentence if i == 0 else sentences[i - 1] + "，" + sentence  # the person may be named just before
        live = _INDEX.live(sentence)
        if not live or not _PERSON.search(window):
            continue
        for i, patterns in live.items():
            family, service, harms = _COMPILED[i]
            m = next(harms.finditer(sentence, patterns), None)
            if family == "烟火" and _NOT_FIRE.search(text):
                continue
            if m and not _animal_subject(sentence[: m.start()]):
                found.append((family, service, m.group(0)))
    return found
