"""Near-duplicate search over appeal texts (相似诉求检索), sized for a large city's history.

Design
    Text → content and places. `analyse` folds what differs between call takers: NFKC (full-width
    forms), case, Chinese numerals → digits (三号楼 = 3号楼), a small synonym table (号楼/幢 → 栋,
    噪声 → 噪音, 没水 → 停水 …), opening and closing formulas (市民来电反映：, 您好, 请尽快处理) and
    street names (they repeat the region the appeal is filed under, and some call takers omit them).
    It also pulls out *place keys* — two characters before a place suffix (锦绣花园, 解放路, 建筑公司).
    Only the first `MAX_CHARS` characters count: the matter is told first, and memory stays bounded.

    Content → features. Character bigrams plus single characters, hashed to 32 bits. No word
    segmenter is needed (jieba costs about 1 ms per appeal); a typo breaks two bigrams and one
    character, not the matter; single characters let short retellings that share few bigrams meet.

    Features → score. TF-IDF cosine: sublinear term frequency × inverse document frequency, the
    document frequencies kept online in a hashed table of 2^22 counters, so common pieces (小区, 反映,
    问题) weigh little and place names and problem words weigh much. Then one rule about places: if
    both texts name places and share none, the score is multiplied by `PLACE_MISMATCH` (0.1). Without
    it, "供暖不达标" in two different compounds, told with the same stock phrases, scored 0.9.
    On the labelled set (tests/data/appeal_pairs.py) same-matter pairs score 0.22–1.0 and look-alike
    pairs (same place other problem, same problem other place) mostly below 0.25; at the thresholds
    below, recall is 0.998 with 0.7 % false matches (see docs/performance.md for the full history).

    Blocking instead of LSH. Both questions supervision asks are already narrow: a *repeat call*
    (重复来电) is by the same caller, so candidates are that caller's earlier appeals in the window;
    a *mass complaint* (群诉) is about one place, so candidates are the appeals of that region (pass
    the street / 街道 code) within the time window. Exact cosine over such a block (a few to a few
    hundred appeals) is cheaper and more accurate than MinHash/LSH, whose banding would need many
    short bands to catch paraphrases (bigram Jaccard 0.2–0.4) and would then drown in false candidates.

    Storage is columnar (`appeal_columns.AppealColumns`, which `SimilarityIndex` extends): features,
    counts and place keys of all appeals in a few numpy arrays, and per caller / per region row numbers
    in time order. Scoring gathers the block's rows and computes all cosines in a few numpy calls.

Operating it: in a desk the index is transient. `related_candidates` builds one per intake batch from the
candidates read from the database (`related_store`: features stored with each appeal), sharing the
document frequencies of a bounded sample (`frequencies=`, `related_service`); nothing of the history stays
in the process. Standalone (bench/similarity.py, tuning), load a history with `add_many` and ask it
directly. It is not thread-safe: keep one writer, or guard `add` and the checks with one lock.

Known limits: a typo inside a place name makes the names differ (score × 0.1); two compounds whose
names differ only in their first characters share a key; thresholds were tuned on generated text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.supervision.appeal_columns import DF_MASK, AppealColumns, DocumentFrequencies, GrowingArray, epoch
from liandong.supervision.appeal_text import analyse, batch_features, features, normalize, prepared

PLACE_MISMATCH = 0.1  # both texts name places and share none: most likely another matter
REPEAT_THRESHOLD = 0.25  # recall 0.998, false-positive rate 0.7 % on the labelled set (tests/data/appeal_pairs.py)
MASS_THRESHOLD = 0.25  # the same; a cluster further needs several distinct callers
_LOG_TF = (1.0 + np.log(np.maximum(np.arange(256, dtype=np.float64), 1.0))).astype(np.float32)

_NO_ROWS = np.empty(0, np.int64)


@dataclass(frozen=True)
class _Query:
    feats: np.ndarray
    weights: np.ndarray
    norm: float
    places: np.ndarray


@dataclass(frozen=True)
class Match:  # 相似诉求
    appeal_id: str
    score: float
    at: datetime
    caller_key: str
    region: str


class SimilarityIndex(AppealColumns):  # 相似诉求索引
    """Holds appeal texts as features; answers repeat and mass questions by blocking + cosine."""

    def __init__(self, frequencies: DocumentFrequencies | None = None) -> None:
        super().__init__(frequencies)
        self._norm = GrowingArray(np.float32)
        self._norm_version = GrowingArray(np.int32)

    # -- scoring ------------------------------------------------------------------------------------

    def _idf(self, feats: np.ndarray) -> np.ndarray:
        """IDF of features from the document frequencies' snapshot (refreshed at 2 % growth; row norms follow)."""
        return self._freq.idf(feats & DF_MASK)

    def _norms(self, rows: np.ndarray) -> np.ndarray:
        """TF-IDF norms of rows, cached per IDF version (a check reuses almost all of them)."""
        self._freq.idf(np.zeros(0, np.int64))  # the snapshot refreshed first, so `version` is the one used below
        version = self._freq.version
        if self._norm.size < len(self._ids):
            missing = len(self._ids) - self._norm.size
            self._norm.extend(np.zeros(missing, np.float32))
            self._norm_version.extend(np.full(missing, -1, np.int32))
        stale = rows[self._norm_version.data[rows] != version]
        if stale.size:
            idx, seg, _ = self._gather(self._ptr.data, stale)
            w = _LOG_TF[self._tf.data[idx]] * self._idf(self._feat.data[idx])
            self._norm.data[stale] = np.sqrt(np.bincount(seg, weights=w * w, minlength=stale.size))
            self._norm_version.data[stale] = version
        return self._norm.data[rows]

    def _query(self, text: str) -> _Query:
        feats, counts, places = prepared(text)
        weights = _LOG_TF[counts] * self._idf(feats)
        return _Query(feats, weights, float(np.sqrt(np.dot(weights, weights))), places)

    def _scores(self, query: _Query, rows: np.ndarray) -> np.ndarray:
        if rows.size == 0 or query.norm == 0.0:
            return np.zeros(rows.size, np.float64)
        qf, qw = query.feats, query.weights
        norms = self._norms(rows)
        idx, seg, _ = self._gather(self._ptr.data, rows)
        f = self._feat.data[idx]
        pos = np.minimum(np.searchsorted(qf, f), qf.size - 1)
        hit = np.flatnonzero(qf[pos] == f)  # weights only where the query has the feature too
        w = _LOG_TF[self._tf.data[idx[hit]]] * self._idf(f[hit])
        dots = np.bincount(seg[hit], weights=w * qw[pos[hit]], minlength=rows.size)
        scores = dots / (np.where(norms > 0, norms, 1.0) * query.norm)  # an empty row has dot 0
        if query.places.size:
            pptr = self._pptr.data
            plens = pptr[rows + 1] - pptr[rows]
            if plens.any():
                pidx, pseg, _ = self._gather(pptr, rows)
                same = np.isin(self._place.data[pidx], query.places, kind="sort")
                shared = np.bincount(pseg[same], minlength=rows.size)
                scores[(plens > 0) & (shared == 0)] *= PLACE_MISMATCH
        return scores

    def _matches(self, rows: np.ndarray, scores: np.ndarray, threshold: float, exclude: str | None) -> list[Match]:
        keep = np.nonzero(scores >= threshold)[0]
        out = []
        for i in keep[np.argsort(-scores[keep], kind="stable")]:
            row = int(rows[i])
            if self._ids[row] == exclude:
                continue
            out.append(
                Match(
                    self._ids[row],
                    round(float(scores[i]), 4),
                    datetime.fromtimestamp(int(self._at.data[row]), CST),
                    self._caller_names[int(self._caller.data[row])],
                    self._region_names[int(self._region.data[row])],
                )
            )
        return out

    def similarity(self, a: str, b: str) -> float:
        """Cosine of two texts under the index's current document frequencies (for tests and tuning)."""
        qa, qb = self._query(a), self._query(b)
        if qa.norm == 0.0 or qb.norm == 0.0:
            return 0.0
        common, ia, ib = np.intersect1d(qa.feats, qb.feats, assume_unique=True, return_indices=True)
        score = float(np.dot(qa.weights[ia], qb.weights[ib]) / (qa.norm * qb.norm)) if common.size else 0.0
        if qa.places.size and qb.places.size and not np.intersect1d(qa.places, qb.places).size:
            score *= PLACE_MISMATCH
        return score

    # -- questions ----------------------------------------------------------------------------------

    def find_repeats(
        self, text: str, caller_key: str, at: datetime, *, window_days: float = 30, threshold: float = REPEAT_THRESHOLD, exclude_id: str | None = None
    ) -> list[Match]:
        """重复来电: the same caller's appeals in [at − window_days, at] about the same matter, best first."""
        _check_window(window_days, "重复来电时间窗（天）", 366)
        number = self._caller_no.get(caller_key or "")
        if number is None:
            return []
        hi = epoch(at)
        rows = self._window(self._by_caller.get(number), hi - int(window_days * 86400), hi)
        return self._matches(rows, self._scores(self._query(text), rows), threshold, exclude_id)

    def find_similar_in_region(
        self, text: str, region: str, at: datetime, *, window_hours: float = 72, threshold: float = MASS_THRESHOLD, exclude_id: str | None = None
    ) -> list[Match]:
        """Appeals of `region` in [at − window, at + window] about the same matter, any caller, best first."""
        _check_window(window_hours, "群诉时间窗（小时）", 24 * 92)
        number = self._region_no.get(region or "")
        if number is None:
            return []
        mid, span = epoch(at), int(window_hours * 3600)
        rows = self._window(self._by_region.get(number), mid - span, mid + span)
        return self._matches(rows, self._scores(self._query(text), rows), threshold, exclude_id)

    def find_cluster(
        self,
        text: str,
        region: str,
        at: datetime,
        *,
        window_hours: float = 72,
        min_callers: int = 3,
        threshold: float = MASS_THRESHOLD,
        caller_key: str | None = None,
        exclude_id: str | None = None,
    ) -> list[Match]:
        """群诉/群发: similar appeals of the region and window if, with the asking caller, at least
        `min_callers` distinct callers raised the matter; otherwise an empty list."""
        if isinstance(min_callers, bool) or not isinstance(min_callers, int) or min_callers < 2:
            raise InvalidInput("群诉最少来电人数必须是不小于 2 的整数")
        found = self.find_similar_in_region(text, region, at, window_hours=window_hours, threshold=threshold, exclude_id=exclude_id)
        callers = {m.caller_key for m in found if m.caller_key} | ({caller_key} if caller_key else set())
        return found if len(callers) >= min_callers else []

    def check(
        self,
        text: str,
        caller_key: str,
        region: str,
        at: datetime,
        *,
        window_days: float = 30,
        window_hours: float = 72,
        repeat_threshold: float = REPEAT_THRESHOLD,
        mass_threshold: float = MASS_THRESHOLD,
        exclude_id: str | None = None,
    ) -> tuple[list[Match], list[Match]]:
        """Both questions in one pass (one analysis, one scoring): (repeats, similar appeals of the region).

        Same windows and meaning as `find_repeats` and `find_similar_in_region`.
        """
        _check_window(window_days, "重复来电时间窗（天）", 366)
        _check_window(window_hours, "群诉时间窗（小时）", 24 * 92)
        moment = epoch(at)
        caller = self._caller_no.get(caller_key or "")
        place = self._region_no.get(region or "")
        mine = self._window(self._by_caller.get(caller), moment - int(window_days * 86400), moment) if caller is not None else _NO_ROWS
        span = int(window_hours * 3600)
        near = self._window(self._by_region.get(place), moment - span, moment + span) if place is not None else _NO_ROWS
        if mine.size + near.size == 0:
            return [], []
        scores = self._scores(self._query(text), np.concatenate([mine, near]))
        return (
            self._matches(mine, scores[: mine.size], repeat_threshold, exclude_id),
            self._matches(near, scores[mine.size :], mass_threshold, exclude_id),
        )

    def calls_by(self, caller_key: str, since: datetime, until: datetime) -> int:
        """How many appeals the caller made in [since, until]."""
        number = self._caller_no.get(caller_key or "")
        if number is None:
            return 0
        return int(self._window(self._by_caller.get(number), epoch(since), epoch(until)).size)

    # -- memory -------------------------------------------------------------------------------------

    def _columns(self) -> tuple[GrowingArray, ...]:
        return super()._columns() + (self._norm, self._norm_version)  # the cached row norms are columns too

    def memory_bytes(self) -> int:
        """Bytes held in the numpy columns, block arrays, document frequencies and IDF table
        (Python ids and dicts not included)."""
        idf = self._freq.memory_bytes() - self._freq.df.nbytes if self._own_frequencies else 0
        return super().memory_bytes() + idf


def _check_window(value: float, what: str, limit: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise InvalidInput(f"{what}必须是正数，收到：{value!r}")
    if value > limit:
        raise InvalidInput(f"{what}过大：{value}")


__all__ = ["DocumentFrequencies", "Match", "SimilarityIndex", "analyse", "batch_features", "features", "normalize"]
