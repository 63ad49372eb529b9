"""Ranked search over the served entries (知识检索): BM25 (`bm25s`) on three token views, fused.

For each view v (words, character bigrams, pinyin bigrams of the question, its other phrasings and its
keywords; words of the answer) an entry's BM25 score is divided by the query's own ceiling in that view —
the sum of the IDF of its distinct tokens, where a token the index has never seen counts as the rarest —
scaled by (1 + k1), the score of a token seen once in an entry of average length, so every view scores in [0, 1] and a query made mostly of words no entry uses scores low in all of them.
(The answer view is off at the tuned weights: answers repeat the question's subject and add words like
办理 that match everything.)
The fused score is the weighted sum; below `threshold` the answer is "no answer" (暂无口径) rather than
a guess. Region: with a caller's region, entries of other districts are left out and the district's own
wording ranks first; expired, not yet effective and withdrawn entries are never offered (masks over the
arrays, checked at each search against `now`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime

import bm25s
import numpy as np

from liandong.knowledge.entry import normal_question
from liandong.knowledge.speech import INTENTS, absolute_years, expand, intents, subject
from liandong.knowledge.text import Segmenter, char_grams, pinyin_grams

WEIGHTS = {"words": 0.30, "chars": 0.20, "pinyin": 0.50, "answer": 0.0}  # tuned on the labelled set
THRESHOLD = 0.20  # on the coverage gate: the most Recall@3 with "no answer" ≥ 0.95 on the old set and half A of the callers' set
K1 = 1.2
OUT_OF_FORCE_MARGIN = 0.1  # an entry not in force matched this much better than any in force: "no answer"
INTENT_WEIGHT = 0.15  # an entry that answers what is asked (时限, 收费…) before its siblings
OWN_REGION_BOOST = 1.3  # a district's own wording before the city-wide one
OTHER_REGION_FACTOR = 0.85  # without a caller region, district entries rank below city-wide ones
FAR_FUTURE = date(9999, 12, 31).toordinal()
CLAUSES = re.compile(r"[，,。；;！!？?]")  # a run-on call: each clause is also matched on its own


@dataclass(frozen=True)
class KnowledgeHit:  # 检索结果
    entry_id: str
    version: int
    question: str
    answer: str
    score: float
    region: str | None = None
    unit: str | None = None
    basis: str = ""
    document: str = ""
    public: bool = False

    def to_dict(self) -> dict:
        return {"entry_id": self.entry_id, "version": self.version, "question": self.question,
                "answer": self.answer, "score": self.score}


@dataclass(frozen=True)
class IndexDoc:  # 一条在用的知识（被检索的版本）
    entry_id: str
    version: int
    question: str
    answer: str
    phrasings: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    region: str | None = None
    unit: str | None = None
    public: bool = False
    effective_from: date | None = None
    expires_on: date | None = None
    basis: str = ""
    document: str = ""


class _View:
    def __init__(self, corpus: list[list[str]]) -> None:
        self.bm25 = bm25s.BM25(method="lucene", k1=K1, b=0.5)
        self.bm25.index(corpus or [[""]], show_progress=False)
        self.vocab = self.bm25.vocab_dict
        n = max(len(corpus), 1)
        df: dict[str, int] = {}
        for tokens in corpus:
            for t in set(tokens):
                df[t] = df.get(t, 0) + 1
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.unseen = math.log(1 + (n - 1 + 0.5) / 1.5)
        self.size = len(corpus)

    def scores(self, tokens: list[str]) -> np.ndarray:
        distinct = list(dict.fromkeys(tokens))
        ceiling = sum(self.idf.get(t, self.unseen) for t in distinct)
        known = [t for t in distinct if t in self.vocab and t in self.idf]
        if not known or ceiling <= 0 or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.minimum(self.bm25.get_scores(known) * ((1 + K1) / ceiling), 1.0)

    def coverage(self, tokens: list[str]) -> np.ndarray:
        """The share of the query's weight (IDF over its distinct tokens, unseen ones as the rarest) each
        entry contains — however often: the gate for "no answer", which BM25's term frequency would let a
        word an entry repeats (孩子, 老年人) pass on its own."""
        distinct = list(dict.fromkeys(tokens))
        ceiling = sum(self.idf.get(t, self.unseen) for t in distinct)
        out = np.zeros(self.size, dtype=np.float32)
        if ceiling <= 0 or not self.size:
            return out
        indptr, indices = self.bm25.scores["indptr"], self.bm25.scores["indices"]
        for t in distinct:
            col = self.vocab.get(t)
            if col is not None and t in self.idf and col + 1 < len(indptr):
                out[indices[indptr[col]:indptr[col + 1]]] += self.idf[t] / ceiling
        return out


class KnowledgeIndex:
    """An immutable index of the served entries; rebuilt (not patched) when the knowledge base changes."""

    def __init__(self, docs: list[IndexDoc], segmenter: Segmenter, *, city_region: str | None = None,
                 weights: dict[str, float] | None = None, threshold: float = THRESHOLD) -> None:
        self.docs = docs
        self.seg = segmenter
        self.city_region = city_region
        self.weights = weights or WEIGHTS
        self.threshold = threshold
        self.gate = "coverage"
        self.regions = [self._own(d.region) for d in docs]
        wording = _wording(docs, self.regions)
        titles = [" ".join(expand(t) for t in texts) for texts in wording]
        build = {
            "words": lambda: [segmenter.words(t) for t in titles],
            "chars": lambda: [_grams(texts, char_grams) for texts in wording],
            "pinyin": lambda: [_grams(texts, pinyin_grams) for texts in wording],
            "answer": lambda: [segmenter.words(d.answer) for d in docs],
        }
        self.views = {name: _View(build[name]()) for name, weight in self.weights.items() if weight}
        self.public = np.array([d.public for d in docs], dtype=bool)
        self.starts = np.array([d.effective_from.toordinal() if d.effective_from else 0 for d in docs], dtype=np.int64)
        self.ends = np.array([d.expires_on.toordinal() if d.expires_on else FAR_FUTURE for d in docs], dtype=np.int64)
        self.intents = np.array([_asks(d) for d in docs], dtype=np.float32).reshape(len(docs), len(INTENTS))
        self._region_masks: dict[str | None, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.docs)

    def _own(self, region: str | None) -> str | None:
        return None if region in (None, "", self.city_region) else region

    def search(self, text: str, *, region: str | None = None, public_only: bool = False, limit: int = 3,
               now: datetime | date | None = None) -> list[KnowledgeHit]:
        if not self.docs or not text.strip():
            return []
        today = now.date() if isinstance(now, datetime) else now or date.today()
        scores, subject = self.fused(absolute_years(text, today.year))
        day = today.toordinal()
        live = (self.starts <= day) & (day < self.ends)
        if public_only:
            live &= self.public
        allowed, own = self._region_mask(region)
        if self._out_of_force(subject, live, allowed):
            return []
        scores = np.where(live & allowed & (subject >= self.threshold), scores * own, 0.0)
        k = min(max(limit, 0), len(scores))
        if k == 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]
        return [self._hit(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def _out_of_force(self, subject: np.ndarray, live: np.ndarray, allowed: np.ndarray) -> bool:
        """Whether the question is about an entry not in force (expired, not yet effective): its best match
        is such an entry, clearly better than any in force — "2025年冬季供暖补贴" is not answered by 供暖缴费."""
        dated = ~live & allowed & (self.starts > 0) | ~live & allowed & (self.ends < FAR_FUTURE)
        if not dated.any():
            return False
        gone = float(subject[dated].max())
        return gone >= self.threshold and gone - float(np.max(subject, where=live & allowed, initial=0.0)) >= OUT_OF_FORCE_MARGIN

    def fused(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(rank score, subject score) of every entry for `text`, before masks and region.

        The subject score matches what the question is about, with what it asks (时限, 收费…: `text.INTENTS`)
        taken out: "要多少钱" must not make a question about patents look answered by an entry about a fee,
        nor "得花多少天" dilute the match of 公积金; each clause of a run-on question is matched too and the
        best match kept. The rank adds how well the entry answers what is asked."""
        matched, covered = self._matched(subject(text))
        for clause in CLAUSES.split(text):  # "我刚来上班，社保卡咋弄": the clause about it, undiluted by the rest
            about = subject(clause)
            if len(about.strip()) >= 2 and clause.strip() != text.strip():
                more, cover = self._matched(about)
                matched, covered = np.maximum(matched, more), np.maximum(covered, cover)
        gate = covered if self.gate == "coverage" else matched
        asked = [i for i, name in enumerate(INTENTS) if name in intents(text)]
        if not asked:
            return matched, gate
        answers = self.intents[:, asked].sum(axis=1) / len(asked)
        return matched + INTENT_WEIGHT * answers, gate

    def _matched(self, about: str) -> tuple[np.ndarray, np.ndarray]:
        """The weighted sums of the views' normalised BM25 scores and coverages of `about` (a subject)."""
        words = self.seg.words(about)
        tokens = {"words": words, "chars": char_grams(about), "pinyin": pinyin_grams(about), "answer": words}
        matched = np.zeros(len(self.docs), dtype=np.float32)
        covered = np.zeros(len(self.docs), dtype=np.float32)
        for name, weight in self.weights.items():
            if weight:
                matched += weight * self.views[name].scores(tokens[name])
                covered += weight * self.views[name].coverage(tokens[name])
        return matched, covered

    def _region_mask(self, region: str | None) -> tuple[np.ndarray, np.ndarray]:
        """(which entries apply, the factor on each) for a caller's region code."""
        region = self._own(region)
        if region not in self._region_masks:
            if len(self._region_masks) > 512:
                self._region_masks.clear()
            if region is None:
                allowed = np.ones(len(self.docs), dtype=bool)
                own = np.array([1.0 if r is None else OTHER_REGION_FACTOR for r in self.regions], dtype=np.float32)
            else:
                allowed = np.array([r is None or region.startswith(r) for r in self.regions], dtype=bool)
                own = np.array([OWN_REGION_BOOST if r is not None and region.startswith(r) else 1.0
                                for r in self.regions], dtype=np.float32)
            self._region_masks[region] = (allowed, own)
        return self._region_masks[region]

    def _hit(self, i: int, score: float) -> KnowledgeHit:
        d = self.docs[i]
        return KnowledgeHit(d.entry_id, d.version, d.question, d.answer, round(min(score, 1.0), 4), d.region, d.unit,
                            d.basis, d.document, d.public)


def _wording(docs: list[IndexDoc], regions: list[str | None]) -> list[tuple[str, ...]]:
    """Each entry's searched texts: question, other phrasings, keywords. A district's entry also carries the
    phrasings and keywords of the city-wide entries with the same standard question, so that the district's
    own wording, often written shorter, is found by the same words and then ranks first (region factor)."""
    citywide: dict[str, list[str]] = {}
    for d, region in zip(docs, regions):
        if region is None:
            citywide.setdefault(normal_question(d.question), []).extend((*d.phrasings, *d.keywords))
    out = []
    for d, region in zip(docs, regions):
        inherited = citywide.get(normal_question(d.question), []) if region is not None else []
        out.append(tuple(dict.fromkeys((d.question, *d.phrasings, *d.keywords, *inherited))))
    return out


def _grams(texts: tuple[str, ...], grams) -> list[str]:
    out: list[str] = []
    for text in texts:
        out.extend(grams(expand(text)))
    return out


def _asks(d: IndexDoc) -> list[float]:
    """How much of what an entry's wording asks is each intent: the share of its standard question (counted
    twice) and other phrasings that ask it."""
    texts = (d.question, d.question, *d.phrasings)
    found = [set(intents(t)) for t in texts]
    return [sum(name in f for f in found) / len(texts) for name in INTENTS]
