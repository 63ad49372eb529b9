"""Knowledge gaps (知识点下派): consultations nothing answered well, clustered into questions to write.

A gap is a consultation answered on the call without an entry, or from an entry the caller said did not
solve it (回访不满意). Gaps of one category are clustered greedily by character-bigram overlap with the
cluster's first question: cheap, explainable, and enough to put "five callers asked about X" in one task.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from liandong.knowledge.text import char_grams

SIMILAR = 0.35  # overlap of character bigrams (shared / the shorter question's), robust to a long rambling call
MIN_SIZE = 2  # a single question is not yet a gap worth a department's time


@dataclass(frozen=True)
class GapItem:  # 待补口径的咨询
    order: str
    text: str
    category: str | None
    unit_function: str | None
    reason: str  # no_entry / unsolved


@dataclass
class GapCluster:
    category: str | None
    unit_function: str | None
    items: list[GapItem] = field(default_factory=list)
    _grams: frozenset = field(default=frozenset(), repr=False)

    @property
    def question(self) -> str:
        return self.items[0].text


def _grams(text: str) -> frozenset:
    return frozenset(char_grams(text))


def cluster(items: list[GapItem], *, similar: float = SIMILAR, min_size: int = MIN_SIZE) -> list[GapCluster]:
    """Clusters of at least `min_size` similar questions of one category, largest first."""
    clusters: list[GapCluster] = []
    for item in items:
        grams = _grams(item.text)
        best, best_score = None, similar
        for c in clusters:
            if c.category != item.category:
                continue
            shorter = min(len(grams), len(c._grams))
            score = len(grams & c._grams) / shorter if shorter else 0.0
            if score >= best_score:
                best, best_score = c, score
        if best is None:
            best = GapCluster(item.category, item.unit_function, _grams=grams)
            clusters.append(best)
        best.items.append(item)
    kept = [c for c in clusters if len(c.items) >= min_size]
    return sorted(kept, key=lambda c: (-len(c.items), c.question))
