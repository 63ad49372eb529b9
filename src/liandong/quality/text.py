"""Text helpers of the inspection: clauses with their offsets, content bigrams, and the forbidden-word matcher.

Overlap is measured on Chinese character bigrams, not on jieba words: the rules compare a reply with the
appeal it answers, where names of places and things (景蓉华苑, 潇楚南路) are what matters and a word
segmenter splits them unpredictably; bigrams need no dictionary and cost microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import ahocorasick

_CLAUSE = re.compile(r"[^。！？!?；;，,\s：:]+[。！？!?；;，,\s：:]*")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_STOP = frozenset(  # bigrams that say nothing about the matter itself
    "反映 问题 咨询 请求 投诉 关于 希望 建议 举报 一下 的问题 我们 你们 领导 尊敬 您好 你好 现在 没有 什么 "
    "怎么 为什么 是否 能否 可以 一个 这个 那个 情况 相关 有关 部门 政府 严重 解决 办理 一事 事宜 呼吁 强烈 "
    "市民 居民 群众 老百姓 业主 谢谢 感谢".split())


_SKIP = frozenset(" \t\n\r\u3000，,。.、；;：:！!？?…—-~·“”\"'‘’（）()")


def clauses(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, clause) for each clause, split on Chinese and Western punctuation."""
    for m in _CLAUSE.finditer(text):
        body = m.group().strip()
        if body:
            yield m.start(), m.end(), body


def bigrams(text: str) -> set[str]:
    found: set[str] = set()
    for run in _HAN.findall(text):
        found.update(run[i:i + 2] for i in range(len(run) - 1))
    return found - _STOP


def share(needles: set[str], haystack: set[str]) -> float:
    """The share of `needles` found in `haystack` (1.0 when there is nothing to look for)."""
    return len(needles & haystack) / len(needles) if needles else 1.0


def find_phrase(text: str, phrases: Iterable[str]) -> tuple[int, int] | None:
    best = None
    for phrase in phrases:
        i = text.find(phrase)
        if i >= 0 and (best is None or i < best[0]):
            best = (i, i + len(phrase))
    return best


def find_pattern(text: str, patterns: Iterable[re.Pattern]) -> tuple[int, int] | None:
    for pattern in patterns:
        m = pattern.search(text)
        if m:
            return m.start(), m.end()
    return None


class WordMatcher:
    """Every occurrence of any of a list of words in one pass (Aho–Corasick), for 服务禁语."""

    def __init__(self, words: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for word in dict.fromkeys(w for w in words if w):
            bare = "".join(ch for ch in word if ch not in _SKIP)
            if bare:
                self._automaton.add_word(bare, (len(bare), word))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of each match in `text`, leftmost first; overlapping matches are all reported.
        Punctuation and spaces are skipped while matching ("你问我，我问谁" is "你问我我问谁": a transcript's
        commas are the recogniser's guess), and the offsets are those of the original text."""
        if self._empty or not text:
            return []
        kept = [i for i, ch in enumerate(text) if ch not in _SKIP]
        bare = "".join(text[i] for i in kept)
        hits = [(kept[end - size + 1], kept[end] + 1, word) for end, (size, word) in self._automaton.iter(bare)]
        return sorted(hits)
