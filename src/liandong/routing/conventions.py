"""Service conventions (派单惯例): who else acts once the emergency services are known.

Plain rules over the decided services and the text, applied last in `policy.decide`:

- **A rescue with a casualty takes an ambulance** (119 → 119+120): a person buried, pinned, fallen into a shaft or
  pit, caught in a machine (绞进去, 夹在里面), unresponsive, moaning or bleeding while fire and rescue free them
  needs treatment as soon as they are out. A person merely shut in (电梯困人, 门打不开) does not.
- **Self-harm already done takes an ambulance** (pills or pesticide swallowed, a wrist cut → +120): the police
  come for the person's safety, the ambulance for the poisoning or the wound.
- **Toxic exposure with symptoms takes an ambulance** (a leak, a chemical, smoke or fumes, and people coughing,
  dizzy, unable to breathe or open their eyes → +120): the emergency services deal with the source, the
  people breathing it need treatment.
"""

from __future__ import annotations

import re

from liandong.routing import danger, lexicon

# What the trapped person suffers: buried or pinned, fallen down a shaft or pit, not answering, bleeding, hurt.
_CASUALTY = re.compile(
    r"埋(了|在|着|住)|被[^，。！？]{0,3}埋|压(住|着|在)|被[^，。！？]{0,4}压|"
    r"(掉|摔|跌|栽|滑)(进|到|下)?[^，。！？]{0,4}(井|坑|沟|池|窖|下水道|洞)|(井|坑|沟|池|窖|下水道|洞)[^，。！？]{0,4}(掉|摔|跌)(下去|进去)|"
    r"没(有)?动静|没(有)?声音|没(有)?反应|叫不醒|喊不醒|不省人事|一动不动|昏|晕|"
    r"流血|出血|是血|有血|见血|头破|骨折|断了|受伤|伤得|动不了|不能动|不会动|喊疼|疼得|"
    r"夹(住|在|着|到)|被[^，。！？]{0,4}夹|绞(进|住|到|了)|卷(进|到)(去|了|里)|别住|哼|呻吟|越来越(小|弱)|喘(气|不上|不过)|没(有)?上来"
)
_PERSON = re.compile(danger.PERSON)
_ANIMAL_ONLY = re.compile(danger.ANIMAL + r"(?!.*" + danger.PERSON + r")")
_NO_HARM = re.compile(lexicon.NEGATED_INJURY)


def rescue_casualty(text: str, services: set[str]) -> str | None:
    """The cue that makes a rescue (119 without 120) also an ambulance call, or None."""
    if "119" not in services or "120" in services or _NO_HARM.search(text):
        return None
    return _said_of_a_person(_CASUALTY, text)


_EXPOSURE = ("hazchem", "explosion", "gas_leak", "fire")
_SYMPTOM = re.compile(r"咳个不停|喘不(上|过)(来)?气|呼吸困难|睁不开(眼)?|头晕|恶心|想吐|吐了|呕吐|晕倒|晕过去|昏|嘴唇发紫")  # not a mere cough


def exposure_casualty(text: str, services: set[str], active: list[str]) -> str | None:
    """The symptom that makes a leak, a chemical, smoke or fumes also an ambulance call, or None."""
    if "120" in services or not any(s in active for s in _EXPOSURE) or _NO_HARM.search(text):
        return None
    return _said_of_a_person(_SYMPTOM, text)


def _said_of_a_person(cue: re.Pattern, text: str) -> str | None:
    """The cue's words, when the text names a person and no animal alone is the subject before the cue."""
    m = cue.search(text)
    if not m or not _PERSON.search(text) or _ANIMAL_ONLY.search(text[: m.start()]):
        return None
    return m.group(0)


_SELF_HARM_DONE = re.compile(r"(吃|喝|吞|服)(了|下)[^，。！？]{0,6}(药|农药|百草枯|敌敌畏|老鼠药)|喝了(农药|百草枯|敌敌畏|老鼠药)|割了(手腕|腕|脉|动脉)|"
                             r"(已经|刚)(吃|喝|割|跳)")


def self_harm_casualty(text: str, services: set[str], active: list[str]) -> str | None:
    """The act that makes a self-harm call also an ambulance call, or None."""
    if "120" in services or "self_harm" not in active:
        return None
    m = _SELF_HARM_DONE.search(text)
    return m.group(0) if m else None
