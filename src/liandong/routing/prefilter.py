"""Run only the lexicon patterns a text could match (预筛), with the matches one big regex would give.

The lexicons are alternations of hundreds of patterns. As one regex, every branch is tried at every position of
every appeal, which was half of the router's time. Here each pattern is compiled alone, so the engine's own
literal-prefix search applies, and a pattern runs only when the text holds, for each of its *clauses*, one of
the clause's characters: a clause is a set of characters one of which every match contains (`流血` needs {流}
and {血}; `(就|要|想)喝` needs {就, 要, 想} and {喝}). One clause per pattern is indexed by character, so finding
the patterns worth running costs a dictionary lookup per distinct character of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from operator import add

try:
    from re import _constants as C  # noqa: N812 — Python 3.11+
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as C  # noqa: N812
    import sre_parse

Clauses = tuple[frozenset[str], ...]
_CASELESS = C.SRE_FLAG_IGNORECASE | C.SRE_FLAG_LOCALE
_WIDE_CLASS = 64  # a character class wider than this says nothing useful
# The commonest characters of written Chinese (and of appeals): a clause made of them selects nothing, so
# another clause of the pattern is indexed instead.
COMMON = frozenset(
    "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然"
    "于心学么之都好看起发当没成只如事把还用第样道想作种开总从无情己面最女但现前些所同日手又行意动方期它头经长儿"
    "回位分老因很给名法间知世什两次使身者被高已其进此话常与活正感见明问力理尔点文几定本公特做外孩相西果走将月十"
    "实向声车全信重三机工物气每并别真打太新比才便夫再书部水像眼等体却加电主界门利海受听表德少克代员许先口由死安"
    "写性马光白或住难望教命花结乐色更拉东神记处让母父应直字场平报友关放至张认接告入笑内英军候民岁往何度山觉路带"
    "万男边风解叫任金快原吃妈变通师立象数四失满战远格士音轻目条呢，。、！？"
)


def _class_chars(items) -> frozenset[str] | None:
    out: set[str] = set()
    for kind, val in items:
        if kind is C.LITERAL:
            out.add(chr(val))
        elif kind is C.RANGE and val[1] - val[0] < _WIDE_CLASS:
            out |= {chr(x) for x in range(val[0], val[1] + 1)}
        else:  # NEGATE, categories, wide ranges
            return None
    return frozenset(out) if len(out) <= _WIDE_CLASS else None


def _clauses(items) -> list[frozenset[str]]:
    """Clauses every match of the parsed sequence satisfies (fewer is always safe, none means 'unknown').

    A clause holds characters, or two-character strings where two literals follow each other (不答应 needs 不答
    and 答应 — rarer than 不 alone)."""
    out: list[frozenset[str]] = []
    previous = None  # the literal just before, while literals follow each other
    for op, av in items:
        if op is C.LITERAL:
            ch = chr(av)
            out.append(frozenset(ch))
            if previous is not None:
                out.append(frozenset((previous + ch,)))
            previous = ch
            continue
        previous = None
        if op is C.IN:
            chars = _class_chars(av)
            if chars:
                out.append(chars)
        elif op is C.SUBPATTERN:
            if not av[1] & _CASELESS:
                out += _clauses(av[-1])
        elif op is C.BRANCH:
            alts = [_clauses(alt) for alt in av[1]]
            if alts and all(alts):  # whichever branch matched, one member of its narrowest clause is there
                out.append(frozenset().union(*(min(a, key=_cost) for a in alts)))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
            out += _clauses(av[2])
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out += _clauses(av)
    return out


def clauses(pattern: str) -> Clauses:
    """What any match of `pattern` must contain: for each clause, one of its characters."""
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & _CASELESS:
        return ()
    return tuple(sorted(set(_clauses(parsed)), key=lambda c: (len(c), sorted(c))))


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of `pattern` (`(a|b)|c` → `a`, `b`, `c`), one outer group unwrapped."""
    def split(p: str) -> list[str]:
        parts, depth, start, i, in_class = [], 0, 0, 0, False
        while i < len(p):
            ch = p[i]
            if ch == "\\":
                i += 2
                continue
            if in_class:
                in_class = ch != "]"
            elif ch == "[":
                in_class = True
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "|" and depth == 0:
                parts.append(p[start:i])
                start = i + 1
            i += 1
        return parts + [p[start:]]

    out = []
    for part in split(pattern):
        inner = part[1:-1] if part.startswith("(") and not part.startswith("(?") and part.endswith(")") else None
        if inner is not None and _balanced(inner):
            out += split(inner)
        else:
            out.append(part)
    return out


def _balanced(p: str) -> bool:
    """Whether every group opened in `p` closes in it (so `(` … `)` around it was one group)."""
    try:
        re.compile(p)
    except re.error:
        return False
    return True


def _cost(clause: frozenset[str]) -> int:
    """How often a text holds a member of the clause, roughly: common characters weigh most, pairs least."""
    return sum((3 if all(ch in COMMON for ch in m) else 1) if len(m) > 1 else 30 if m in COMMON else 10 for m in clause)


def tokens(text: str) -> set[str]:
    """The characters of `text` and its two-character strings: what clauses are checked against."""
    out = set(text)
    out.update(map(add, text, text[1:]))
    return out


def satisfies(chars: set[str] | frozenset[str], need: Clauses) -> bool:
    for clause in need:
        if clause.isdisjoint(chars):
            return False
    return True


class Alternation:
    """`re.compile("|".join(patterns)).finditer(text)`: the same matches, from the patterns that can match.

    The leftmost match wins, the earlier pattern on a tie — what the one regex would have returned.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        self.whole = re.compile("|".join(f"(?:{p})" for p in patterns))
        self.parts = tuple(re.compile(p) for p in patterns)
        self.needs = tuple(clauses(p) for p in patterns)
        self.matches_empty = any(sre_parse.parse(p).getwidth()[0] == 0 for p in patterns)

    def finditer(self, text: str, live: Sequence[int] | None = None) -> Iterator[re.Match]:
        """Non-overlapping matches left to right; `live` are the indexes of the patterns worth running."""
        if self.matches_empty:  # an empty match changes how a scan advances: leave that to the engine
            yield from self.whole.finditer(text)
            return
        if live is None:
            chars = tokens(text)
            live = [i for i, need in enumerate(self.needs) if satisfies(chars, need)]
        if len(live) == 1:
            yield from self.parts[live[0]].finditer(text)
            return
        parts = [self.parts[i] for i in live]
        pending = [p.search(text) for p in parts]
        pos = 0
        while True:
            best = None
            for i, m in enumerate(pending):
                if m is not None and m.start() < pos:
                    m = pending[i] = parts[i].search(text, pos)
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return
            yield best
            pos = best.end()


class PatternIndex:
    """Which patterns of several alternations a text could match, found by the text's distinct characters."""

    def __init__(self, alternations: Sequence[Alternation]) -> None:
        self._by_char: dict[str, list[tuple[int, int]]] = {}
        self._always: list[tuple[int, int]] = []
        self._rest: dict[tuple[int, int], Clauses] = {}
        for a, alt in enumerate(alternations):
            for p, need in enumerate(alt.needs):
                if alt.matches_empty or not need:
                    self._always.append((a, p))
                    continue
                for ch in min(need, key=_cost):
                    self._by_char.setdefault(ch, []).append((a, p))
                if len(need) > 1:
                    key = min(need, key=_cost)
                    self._rest[(a, p)] = tuple(c for c in need if c is not key)
        self._chars = frozenset(self._by_char)

    def live(self, text: str) -> dict[int, list[int]]:
        """alternation index → the indexes of its patterns whose every clause the text satisfies, in order."""
        chars = tokens(text)
        by_char, rest = self._by_char, self._rest
        seen: set[tuple[int, int]] = set(self._always)
        for ch in chars & self._chars:
            seen.update(by_char[ch])
        out: dict[int, list[int]] = {}
        for key in sorted(seen):
            for clause in rest.get(key, ()):  # satisfies(), inlined: this loop runs for every appeal
                if clause.isdisjoint(chars):
                    break
            else:
                out.setdefault(key[0], []).append(key[1])
        return out
