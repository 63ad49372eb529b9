"""Words and character n-grams of a message (分词与特征), for `routing.classifier`.

Text is reduced to Chinese characters, digits and letters, so raw messages and pre-segmented,
stop-word-stripped ones look alike. Two ways to segment raw text: forward maximum matching over a domain
dictionary (the routing model: short appeals, fast, no 5 MB dictionary to load) or jieba itself (a city's
long historical messages, `liandong model train`).

Options for training on pre-segmented text and scoring raw text (the TipDM 2020 C setting; docs/routing.md):

- `known_only`: keep only words seen in training — stop words absent from the training text are dropped from
  raw text, so the two look alike;
- `given_tokens`: a text that is already segmented (space-separated short tokens) is taken as its own tokens
  rather than re-segmented; the known vocabulary is then exactly the training file's tokens;
- `hmm`: jieba with its HMM for new words, run on the raw text (with its punctuation), the way such
  training files are usually segmented;
- `title_words`: the first N words again, as title features (the subject leads each message).
"""

from __future__ import annotations

import logging
import threading

import jieba

from liandong.routing.text import content_chars

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
_SEGMENTED_MAX_MEAN = 4.5  # characters per space-separated token: above this a text is raw, not pre-segmented


def _default_tokenizer() -> jieba.Tokenizer:
    with _lock:
        jieba.dt.initialize()
    return jieba.dt


def given_tokens_of(text: str) -> list[str] | None:
    """The tokens of a pre-segmented text (3+ space-separated tokens, short on average), else None."""
    toks = text.split()
    if len(toks) < 3 or sum(map(len, toks)) > _SEGMENTED_MAX_MEAN * len(toks):
        return None
    return [c for c in map(content_chars, toks) if c]


class Analyzer:  # 分词与特征
    """Words (w:), character 1..n-grams (c:) and optionally title words (t:, tc:) of the content characters.

    With `words` (a domain dictionary drawn from jieba's, kept inside the pickle) text is segmented by
    forward maximum matching over that dictionary — about ten times faster than jieba's DAG on short
    appeals, and loading needs neither the 5 MB default dictionary nor a cache file. Without `words`,
    jieba itself segments with its default dictionary (used for a city's long historical messages).
    """

    def __init__(
        self, words: dict[str, int] | None = None, char_max: int = 2, word_bigrams: bool = False,
        known_only: bool = False, known: frozenset[str] | None = None, given_tokens: bool = False,
        hmm: bool = False, title_words: int = 0,
    ) -> None:
        self.words = words
        self.char_max = char_max
        self.word_bigrams = word_bigrams
        self.known_only = known_only  # keep only words seen in training: raw text then looks like stop-word-stripped text
        self.known = known
        self.given_tokens = given_tokens
        self.hmm = hmm
        self.title_words = title_words
        self._tok = None  # jieba's tokenizer, or (vocabulary, longest word) for max-matching

    def __getstate__(self) -> dict:
        return {"words": self.words, "char_max": self.char_max, "word_bigrams": self.word_bigrams,
                "known_only": self.known_only, "known": self.known, "given_tokens": self.given_tokens,
                "hmm": self.hmm, "title_words": self.title_words}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)  # older pickles lack the newer options: their defaults are the old behaviour

    def learn(self, texts: list[str]) -> None:
        """Remember the training vocabulary (for `known_only`)."""
        if self.known_only:
            self.known = None
            self.known = frozenset(w for t in texts for w in self.segment(t))

    def segment(self, text: str) -> list[str]:
        words = given_tokens_of(text) if self.given_tokens else None
        if words is None:
            if self.words is not None:
                words = self._max_match(content_chars(text))
            elif self.hmm:
                words = [c for c in map(content_chars, self.tokenizer().lcut(text, HMM=True)) if c]
            else:
                words = self.tokenizer().lcut(content_chars(text), HMM=False)
        if self.known is not None:
            words = [w for w in words if w in self.known]
        return words

    def _max_match(self, s: str) -> list[str]:
        if self._tok is None:
            longest: dict[str, int] = {}  # first two characters → longest word starting with them
            for w in self.words:
                longest[w[:2]] = max(longest.get(w[:2], 0), len(w))
            self._tok = (frozenset(self.words), longest)
        vocab, longest = self._tok
        out, i, n = [], 0, len(s)
        while i < n:
            top = longest.get(s[i : i + 2], 0)
            for k in range(min(top, n - i), 1, -1):
                if s[i : i + k] in vocab:
                    out.append(s[i : i + k])
                    i += k
                    break
            else:
                out.append(s[i])
                i += 1
        return out

    def tokenizer(self) -> jieba.Tokenizer:
        if self._tok is None:
            self._tok = _default_tokenizer()
        return self._tok

    def __call__(self, text: str) -> list[str]:
        words = self.segment(text)
        s = "".join(words) if self.known is not None else content_chars(text)
        feats = ["w:" + w for w in words if len(w) > 1]
        if self.word_bigrams:
            feats += ["b:" + a + b for a, b in zip(words, words[1:])]
        n = len(s)
        for k in range(1, self.char_max + 1):
            feats += ["c:" + s[i : i + k] for i in range(n - k + 1)]
        if self.title_words:
            head = words[: self.title_words]
            t = "".join(head)
            feats += ["t:" + w for w in head if len(w) > 1]
            feats += ["tc:" + t[i : i + 2] for i in range(len(t) - 1)]
        return feats


def domain_dictionary(texts: list[str], extra_words: list[str] = ()) -> dict[str, int]:
    """The words jieba's default dictionary finds in `texts`, with their frequencies, plus `extra_words`."""
    tok = _default_tokenizer()
    words: dict[str, int] = {}
    for t in texts:
        for w in tok.lcut(content_chars(t), HMM=False):
            if len(w) > 1:
                words[w] = tok.FREQ.get(w) or 3
    for w in extra_words:
        w = content_chars(w)
        if len(w) > 1:
            words.setdefault(w, max(tok.FREQ.get(w) or 0, 50))
    return words
