"""The characters a regular expression can start a match with — a cheap pre-filter for the lexicons."""

from __future__ import annotations

import re

try:
    from re import _constants as C  # noqa: N812 — Python 3.11+
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as C  # noqa: N812
    import sre_parse


def _first(items) -> tuple[set[str] | None, bool]:
    """(first characters or None for 'any', whether the sequence can match empty)."""
    out: set[str] = set()
    for op, av in items:
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue
        if op is C.LITERAL:
            out.add(chr(av))
            return out, False
        if op is C.IN:
            chars = set()
            for kind, val in av:
                if kind is C.LITERAL:
                    chars.add(chr(val))
                elif kind is C.CATEGORY and val is C.CATEGORY_DIGIT:
                    chars |= set("0123456789")
                elif kind is C.RANGE and val[1] - val[0] < 256:
                    chars |= {chr(x) for x in range(val[0], val[1] + 1)}
                else:
                    return None, False
            out |= chars
            return out, False
        if op is C.SUBPATTERN:
            sub, empty = _first(av[-1])
        elif op is C.BRANCH:
            sub, empty = set(), False
            for alt in av[1]:
                f, e = _first(alt)
                if f is None:
                    return None, False
                sub |= f
                empty = empty or e
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, _hi, body = av
            sub, empty = _first(body)
            empty = empty or lo == 0
        else:
            return None, False
        if sub is None:
            return None, False
        out |= sub
        if not empty:
            return out, False
    return out, True


def first_chars(pattern: str) -> frozenset[str] | None:
    """The set of characters any match must start with, or None if it could start with anything."""
    chars, empty = _first(sre_parse.parse(pattern))
    if chars is None or empty:
        return None
    return frozenset(chars)


def compile_gated(patterns: tuple[str, ...]) -> tuple[re.Pattern, frozenset[str] | None]:
    """One regex for all patterns, and the union of their first characters (None: always run)."""
    gates = [first_chars(p) for p in patterns]
    gate = None if any(g is None for g in gates) else frozenset().union(*gates)
    return re.compile("|".join(f"(?:{p})" for p in patterns)), gate
