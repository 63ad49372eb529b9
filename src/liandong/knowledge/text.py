"""Tokens for knowledge search (检索分词): jieba words, character bigrams and pinyin bigrams.

Three views of the same text, because callers' words reach us three ways: typed by an operator (typos of
the right sound through a pinyin IME), transcribed from speech (homophones: 公鸡金 for 公积金), or said in
other words. Words carry meaning; character bigrams survive one wrong character; toneless pinyin bigrams,
with the finals and initials southern speakers merge (zh/z, ch/c, sh/s, -ng/-n, n/l) folded, survive a
wrong character of the same sound.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Iterable

import jieba
from pypinyin import Style, lazy_pinyin

from liandong.knowledge.speech import fold, reading

jieba.setLogLevel(logging.WARNING)

# words that carry no meaning in a caller's question (口语填充词, hesitations included) — removed before any view is made
FILLERS = re.compile(
    # who is asking and when (家人、这边、刚才…): the caller situating the question, not what it is about
    "我妈|我爸|我老婆|我老公|我媳妇|我对象|我儿子|我女儿|我闺女|我奶奶|我爷爷|我外婆|我外公|我姥姥|我姥爷|家里人|"
    "我们这边|我们那边|这边|那边|现在|刚才|刚刚|最近|前几天|是这样的|是这样|怎么说呢|然后|反正|对了|"
    "打听一下|打听下|了解一下|我想了解|想了解|问问|同志|师傅|"
    "请问一下|请问|问一下|问下|我想问|想问问|想问|想咨询一下|想咨询|咨询一下|咨询下|我咨询|你好|您好|喂|麻烦你|麻烦您|麻烦|"
    "帮我查一下|帮我看看|帮忙|谢谢|那个|就是说|就是|这个事|这个|一下子|一下|的话|我们家|我家里|我家|我们|我|你们|您|你|他们|"
    "呢|吗|吧|啊|呀|嘛|哦|噢|呃|嗯|额|唉|诶")
_HAN = re.compile(r"[\u3400-\u9fff]")
_KEEP = re.compile(r"[\u3400-\u9fff]+|[A-Za-z0-9]+")  # a run of Han characters, or of letters and digits (2025年: 2025, 年)
# function characters that join no name (的, 了, 被…): the character and sound views split a run at them, so
# that "我车被拍了违章" is not 车被, 被拍, 拍了, 了违 — bigrams no entry has, which would dilute what it has
_FUNCTION = re.compile("[的了被把吗呢吧啊呀嘛]")


def _runs(text: str) -> list[str]:
    return _KEEP.findall(_FUNCTION.sub(" ", normalise(text)))
STOPWORDS = frozenset("的 了 得 地 么 是 在 有 和 与 及 或 也 都 就 还 又 要 会 能 可以 可 去 到 把 被 给 让 对 从 向 为 以 等 个 些 多 怎么 怎样 如何 什么 哪里 哪儿 哪 吗 呢".split())


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, fillers removed."""
    return FILLERS.sub(" ", fold(text))


class Segmenter:
    """jieba with the city's dictionary (keywords, region and unit names), on its own tokenizer so the
    routing model's segmentation is untouched."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._added: set[str] = set()
        self.add(reading().members)
        self.add(words)

    def add(self, words: Iterable[str]) -> None:
        fresh = False
        for word in words:
            word = normalise(word).strip()
            if len(word) >= 2 and " " not in word and word not in self._added:
                self._added.add(word)
                self._jieba.add_word(word, freq=2000)
                fresh = True
        if fresh:
            self._words.cache_clear()

    def words(self, text: str) -> list[str]:
        return list(self._words(text))

    @lru_cache(maxsize=200_000)  # noqa: B019 — one Segmenter per city and process (service.shared_segmenter)
    def _words(self, text: str) -> tuple[str, ...]:
        """Cached so that rebuilding the index after one edit segments only the new texts."""
        out = []
        for chunk in _KEEP.findall(normalise(text)):
            out.extend(w for w in self._jieba.lcut(chunk, HMM=False) if w not in STOPWORDS)
        return tuple(out)


def char_grams(text: str) -> list[str]:
    """Character bigrams of each run of Han characters (single characters for a one-character run)."""
    out = []
    for run in _runs(text):
        if _HAN.match(run):
            out.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
        else:
            out.append(run)
    return out


_FOLD = ((re.compile(r"^([zcs])h"), r"\1"), (re.compile(r"ng$"), "n"), (re.compile(r"^l"), "n"),
         (re.compile(r"^f"), "h"))


def _fold(syllable: str) -> str:
    for pattern, repl in _FOLD:
        syllable = pattern.sub(repl, syllable)
    return syllable


@lru_cache(maxsize=65536)
def syllable(ch: str) -> str:
    """A character's most common reading, toneless and folded. Read per character, not per phrase: a
    polyphone (行, 重) gets one reading everywhere, the same in entries and queries, and pypinyin's phrase
    matching, five times slower than everything else in building the index, is skipped."""
    found = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
    return _fold(found[0]) if found else ch


def pinyin_grams(text: str) -> list[str]:
    """Toneless, folded pinyin syllable bigrams of each run of Han characters."""
    out = []
    for run in _runs(text):
        if not _HAN.match(run):
            continue
        syllables = [syllable(ch) for ch in run]
        out.extend(syllables if len(syllables) == 1 else [f"{a}_{b}" for a, b in zip(syllables, syllables[1:])])
    return out
