"""The lexicons' pre-filter must give exactly the matches of the one big regex it replaces."""

import json
import re

from liandong.routing import signals
from liandong.routing.prefilter import Alternation, PatternIndex, alternatives, clauses, satisfies, tokens
from liandong.routing.text import normalise

from .conftest import CASES


def test_clauses_name_what_every_match_contains():
    assert set(clauses("流血")) == {frozenset("流"), frozenset("血"), frozenset({"流血"})}  # two literals in a row: their pair too
    assert frozenset("就要想") in clauses("(就|要|想)喝")
    assert frozenset("喝") in clauses("(就|要|想)喝")
    assert clauses("(被)?打") == (frozenset("打"),)  # an optional part needs nothing
    assert clauses("[^，。]{0,3}伤") == (frozenset("伤"),)
    assert clauses("(?i)ktv") == ()  # caseless: letters may come in either case
    assert clauses(".{2}") == ()


def test_a_text_without_a_needed_character_cannot_match():
    for pattern, text in [("流血", "流了好多"), ("(就|要|想)喝农药", "喝农药"), ("被.{0,3}打", "打人了")]:
        need = clauses(pattern)
        assert not satisfies(tokens(text), need)
        assert re.search(pattern, text) is None


def _spans(alt: Alternation, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in alt.finditer(text)]


def test_leftmost_match_wins_and_the_earlier_pattern_on_a_tie():
    alt = Alternation(["打人", "打人了", "人了就跑", "(?<=被)打"])
    for text in ["他打人了就跑", "我被打了", "打人了人了就跑打人", "没有", "被打人了"]:
        assert _spans(alt, text) == [m.span() for m in alt.whole.finditer(text)], text
    assert [m.group(0) for m in alt.finditer("他打人了")] == ["打人"]  # not 打人了: the first pattern wins at a tie


def test_a_pattern_that_can_match_empty_is_left_to_the_engine():
    alt = Alternation(["a*", "b"])
    assert alt.matches_empty
    assert _spans(alt, "xab") == [m.span() for m in alt.whole.finditer("xab")]


def _texts() -> list[str]:
    texts = []
    for name in ("routing_cases.jsonl", "routing_blind.jsonl", "routing_blind2.jsonl", "routing_dev_danger.jsonl"):
        path = CASES.with_name(name)
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [normalise(t) for t in texts]


def test_the_shipped_lexicons_find_what_the_one_regex_finds():
    texts = _texts()
    assert len(texts) > 1000
    differ = []
    for text in texts:
        live = signals._INDEX.live(text)
        for i, c in enumerate(signals._COMPILED):
            want = [m.span() for m in c.pattern.whole.finditer(text)]
            got = [m.span() for m in c.pattern.finditer(text, live[i])] if i in live else []
            if want != got:
                differ.append((c.spec.id, text))
    assert differ == []


def test_the_index_offers_exactly_the_patterns_whose_clauses_hold():
    alts = [Alternation(["流血", "(受|重)伤", "昏迷"]), Alternation(["[^，]{0,3}", "着火"]), Alternation([".{0,2}打人"])]
    index = PatternIndex(alts)
    for text in ["头上流血了", "受伤昏迷", "着火了", "有人打人", "一切正常"]:
        chars = tokens(text)
        brute = {a: [p for p, need in enumerate(alt.needs) if alt.matches_empty or satisfies(chars, need)]
                 for a, alt in enumerate(alts)}
        assert index.live(text) == {a: ps for a, ps in brute.items() if ps}, text


def test_alternatives_split_at_the_top_level_only():
    assert alternatives("(a|b)c|d") == ["(a|b)c", "d"]
    assert alternatives("(a|b)") == ["a", "b"]
    assert alternatives("(a)(b)") == ["(a)(b)"]
    assert alternatives("[|]|x") == ["[|]", "x"]
    assert alternatives(r"a\|b|c") == [r"a\|b", "c"]
    assert alternatives("(?:a|b)") == ["(?:a|b)"]


def test_the_fail_safe_harm_cues_find_what_their_one_regex_finds():
    from liandong.routing import failsafe, lexicon

    texts = _texts()
    for (family, _, whole), (_, _, alt) in zip(lexicon.FAILSAFE_HARMS, failsafe._COMPILED):
        one = re.compile(whole)
        for text in texts:
            m = one.search(text)
            got = next(alt.finditer(text), None)
            assert (m and m.span()) == (got and got.span()), (family, text)
