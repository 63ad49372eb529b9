"""The phrase bank (话术库) of the demo appeal generator.

The tables are data, in `phrases.yaml` beside this file, read once at import: one `Matter`
(诉求事项) per kind of thing a caller rings about, grouped by scenario (`ROUTINE`, `POLICE`,
`EMERGENCY`, `REFER`, `BOUNCE`), the mass-complaint `CLUSTERS`, the `REPEATS` series, the
harassing caller, and the pieces `dress` adds to make a clean phrase sound as typed. The YAML
file's header explains the fields and the placeholders that `appeals.py` fills.

A `Matter` carries the reference-list items it illustrates (`refs`: Jincheng ids "A7"/"B122",
Tibet categories "T:公共设施类", see `reference.py`), the scenario kind, our best judgement of the
services that act on it (for summaries, not ground truth), where it happens and a few ways
callers say it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

KINDS = ("routine", "police", "emergency", "refer")
WHERES = ("home", "road", "rural", "any")
WHENS = ("day", "night", "any")
MAX_LEN = 120  # characters of an appeal text
MIN_LEN = 10
PHRASES_FILE = Path(__file__).resolve().with_name("phrases.yaml")


@dataclass(frozen=True)
class Matter:  # 诉求事项
    key: str
    refs: tuple[str, ...]
    kind: str  # routine (12345 business) / police / emergency / refer
    services: tuple[str, ...]  # among 110 119 120 12345; empty: refer elsewhere
    where: str  # home (a 小区) / road / rural / any
    texts: tuple[str, ...]
    weight: float = 1.0
    when: str = "day"  # hour profile: day (office hours peak) / night / any


SERVICE_ORDER = ("110", "119", "120", "12345")


def _m(key: str, refs: str, kind: str, services: str, where: str, *texts: str, w: float = 1.0, when: str = "day") -> Matter:
    ordered = tuple(sorted(services.split(), key=SERVICE_ORDER.index))
    return Matter(key, tuple(refs.split()), kind, ordered, where, texts, w, when)


def _matters(entries: list[dict], table: str) -> tuple[Matter, ...]:
    """One table of `matters:`; a matter's kind defaults to the table's name."""
    out = []
    for e in entries:
        matter = _m(e["key"], e["refs"], e.get("kind", table), e["services"], e["where"], *e["texts"],
                    w=e.get("weight", 1.0), when=e.get("when", "day"))
        if matter.kind not in KINDS or matter.where not in WHERES or matter.when not in WHENS:
            raise ValueError(f"{PHRASES_FILE.name}: matter {matter.key}: kind/where/when "
                             f"{matter.kind}/{matter.where}/{matter.when} not among {KINDS}/{WHERES}/{WHENS}")
        out.append(matter)
    return tuple(out)


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


_BANK = _load(PHRASES_FILE)
_DRESSING = {name: tuple(items) for name, items in _BANK["dressing"].items()}
_FILLERS = {name: tuple(items) for name, items in _BANK["fillers"].items()}

# ---------------------------------------------------------------- the matters, by scenario
ROUTINE = _matters(_BANK["matters"]["routine"], "routine")  # 12345 business (非警务诉求)
POLICE = _matters(_BANK["matters"]["police"], "police")  # 110 business (警务)
EMERGENCY = _matters(_BANK["matters"]["emergency"], "emergency")  # 119 / 120 / 联动
REFER = _matters(_BANK["matters"]["refer"], "refer")  # neither platform (引导解释)
BOUNCE = _matters(_BANK["matters"]["bounce"], "bounce")  # overlapping duties, likely to bounce (职责交叉，易推诿)

# ---------------------------------------------------------------- special scenarios
# A mass-complaint cluster (集中来电): (key, refs, services, night?, openers, cores, details, asks).
CLUSTERS: tuple[tuple[str, str, str, bool, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (c["key"], c["refs"], c["services"], c["night"], tuple(c["openers"]), tuple(c["cores"]), tuple(c["details"]), tuple(c["asks"]))
    for c in _BANK["clusters"]
)
# Repeat callers (重复来电): (key, refs, services, where, first calls, follow-ups).
REPEATS: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (r["key"], r["refs"], r["services"], r["where"], tuple(r["first_calls"]), tuple(r["follow_ups"]))
    for r in _BANK["repeats"]
)
# One harassing caller (恶意骚扰).
HARASS_REFS = tuple(_BANK["harass"]["refs"].split())
HARASS_TEXTS: tuple[str, ...] = tuple(_BANK["harass"]["texts"])

# Colloquial dressing (口语化).
OPENERS = _DRESSING["openers"]
COMPLAINT_OPENERS = _DRESSING["complaint_openers"]
QUESTION_OPENERS = _DRESSING["question_openers"]
QUESTION_CLOSERS = _DRESSING["question_closers"]
QUESTION_MARKERS = _DRESSING["question_markers"]
CLOSERS = _DRESSING["closers"]
URGENT_OPENERS = _DRESSING["urgent_openers"]
URGENT_CLOSERS = _DRESSING["urgent_closers"]
OPERATOR_FRAMES = _DRESSING["operator_frames"]
POLICE_FRAMES = _DRESSING["police_frames"]  # as the 110 接警员 types it
BACKSTORIES = _DRESSING["backstories"]  # what callers say before getting to the point
AFTERWORDS = _DRESSING["afterwords"]  # what they add once the point is made
OPERATOR_NOTES = _DRESSING["operator_notes"]
WRITTEN_OPENERS = _DRESSING["written_openers"]
WRITTEN_CLOSERS = _DRESSING["written_closers"]
WRITTEN_QUESTION_CLOSERS = _DRESSING["written_question_closers"]
FOLLOWUP_TIMES = _DRESSING["followup_times"]
MIX_JOINERS = _DRESSING["mix_joiners"]
TYPOS: tuple[tuple[str, str], ...] = tuple((right, wrong) for right, wrong in _BANK["typos"])  # homophone slips

SHOPS = _FILLERS["shops"]
VENUES = _FILLERS["venues"]  # 办卡/充值的店
GYMS = _FILLERS["gyms"]
COMPANIES = _FILLERS["companies"]


# ---------------------------------------------------------------- dressing a phrase as typed


def fill(template: str, ctx: dict[str, str]) -> str:
    return template.format_map(ctx)


def ago(days: int, rng: random.Random) -> str:
    """How a repeat caller refers back to a call `days` ago."""
    if days == 1:
        return "昨天"
    if days == 2:
        return rng.choice(("前天", "两天前"))
    return rng.choice(("大前天", "三天前", "前几天"))


def dress(text: str, rng: random.Random, style: str) -> str:
    """Make a clean phrase sound as typed: openers, 语气词, an operator's frame, a typo.

    style: "call" / "call110" (a call as typed at the 12345 / 110 desk), "urgent" (an
    emergency call), "written" (web/app/微信, the citizen's own words).
    """
    asking = any(m in text for m in QUESTION_MARKERS)
    if style == "urgent":
        out = rng.choice(URGENT_OPENERS) + text + rng.choice(URGENT_CLOSERS)
    elif style == "written":
        out = rng.choice(WRITTEN_OPENERS) + text.rstrip("。") + rng.choice(WRITTEN_QUESTION_CLOSERS if asking else WRITTEN_CLOSERS)
    else:
        out = text
        if rng.random() < 0.12 and len(text) < MAX_LEN - 40:
            out = rng.choice(BACKSTORIES) + out
        opened = rng.random() < 0.35
        if opened:
            out = rng.choice(OPENERS + (QUESTION_OPENERS if asking else COMPLAINT_OPENERS)) + out
        if rng.random() < 0.4:
            closer = rng.choice(QUESTION_CLOSERS if asking else CLOSERS)
            if not (len(closer) == 1 and out[-1] in "吗呢啊吧嘛了"):  # no 吗呢 pile-ups
                out = out.rstrip("。，") + closer
        for _ in range(0 if asking else (2 if rng.random() < 0.3 else 1)):
            if rng.random() < 0.22:
                out = out.rstrip("。，") + rng.choice(AFTERWORDS)
        if rng.random() < 0.07:
            out = out.rstrip("。，") + "。" + rng.choice(OPERATOR_NOTES)
        if not opened and rng.random() < 0.1:
            out = rng.choice(POLICE_FRAMES if style == "call110" else OPERATOR_FRAMES) + out
        if rng.random() < 0.07:
            right, wrong = rng.choice(TYPOS)
            out = out.replace(right, wrong, 1)
    if len(out) > MAX_LEN:
        out = text
    if len(out) < MIN_LEN:
        out = rng.choice(("喂，你好，", "你好，我想说一下，", "那个，我跟你说，")) + out
    return out
