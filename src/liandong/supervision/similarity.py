"""Near-duplicate search over appeal texts (相似诉求检索), sized for a large city's history.

Design
    Text → features. Text is normalised (NFKC folds full-width forms; case; Chinese numerals before
    号/栋/楼… become digits; a few transcriber habits such as "市民来电反映" and greetings are dropped;
    a small synonym table folds variants such as 噪声/噪音), then cut into overlapping character
    bigrams. Bigrams need no word segmenter (jieba would cost ~1 ms per appeal), survive typos
    (a wrong character breaks two bigrams, not the matter) and keep place names and problem words.
    Each bigram is hashed to 32 bits. Only the first `MAX_CHARS` characters count: the matter is
    told first, and the bound keeps memory per appeal bounded.

    Features → score. TF-IDF cosine: sublinear term frequency × inverse document frequency, the
    document frequencies kept online in a hashed table (2^22 counters), so common bigrams (小区, 反映,
    问题) weigh little and place names and specific problem words weigh much. Paraphrases of one
    matter score about 0.3–0.8; unrelated appeals near 0–0.15; the hard case, the same street with a
    different problem, about 0.1–0.3 (the labelled set in tests/data measures this; see
    docs/performance.md).

    Blocking instead of LSH. Both questions supervision asks are already narrow: a *repeat call*
    (重复来电) is by the same caller, so candidates are that caller's earlier appeals in the window;
    a *mass complaint* (群诉) is about one place, so candidates are the appeals of that region (pass
    the street / 街道 code) within the time window. Exact cosine over such a block (tens to a few
    hundred appeals) is cheaper and more accurate than MinHash/LSH, whose banding would need many
    short bands to catch paraphrases (bigram Jaccard 0.2–0.4) and then drowns in false candidates.

    Storage is columnar: one uint32 array of features and one uint8 array of term counts for all
    appeals (CSR-style offsets), int64 times, int32 caller and region numbers, and per caller / per
    region arrays of row numbers in time order. A million appeals take about 0.5 GB (measured in
    docs/performance.md); nothing is kept per appeal in Python objects except its id.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import unicodedata
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from liandong.core.clock import CST, as_cst
from liandong.core.errors import InvalidInput

MAX_CHARS = 400
PLACE_MISMATCH = 0.1  # both texts name places and share none: most likely another matter
REPEAT_THRESHOLD = 0.25  # recall 0.998, false-positive rate 0.7 % on the labelled set (tests/data/appeal_pairs.py)
MASS_THRESHOLD = 0.25  # the same; a cluster further needs several distinct callers
_DF_BITS = 22
_DF_MASK = (1 << _DF_BITS) - 1
_MULT = np.uint64(0x9E3779B97F4A7C15)
_LOG_TF = (1.0 + np.log(np.maximum(np.arange(256, dtype=np.float64), 1.0))).astype(np.float32)

_BOILERPLATE = re.compile(
    r"(市民|群众|来电人|来电者|诉求人|热线)?(来电|致电)?(反映|反应|称|表示|咨询|投诉|举报)[：:，,]"
    r"|尊敬的[^，。,.!！]{0,6}[：:，,]?|您好|你好|谢谢|麻烦(你们|您|了)?|望(领导)?(重视|回复)|请(相关部门|尽快)?(处理|解决)"
)
_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十]+")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SYNONYMS = (
    ("噪声", "噪音"), ("号楼", "栋"), ("幢", "栋"), ("吵闹", "噪音"), ("很吵", "噪音"), ("太吵", "噪音"),
    ("物业公司", "物业"), ("业主", "居民"), ("住户", "居民"), ("夜里", "夜间"), ("晚上", "夜间"),
    ("没有水", "停水"), ("没水", "停水"), ("断水", "停水"), ("不发工资", "拖欠工资"), ("欠薪", "拖欠工资"),
    ("电瓶车", "电动车"), ("反应", "反映"), ("股份有限公司", "公司"), ("有限责任公司", "公司"), ("有限公司", "公司"),
)
_SYNONYM_MAP = dict(_SYNONYMS)
_SYNONYM_RE = re.compile("|".join(sorted(map(re.escape, _SYNONYM_MAP), key=len, reverse=True)))
_KEEP = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
# Street-level names repeat the region the appeal is filed under, and transcribers add or omit them.
_STREET = re.compile(r"[\u4e00-\u9fff]{2}(?:街道|镇|乡)")
# A place key is the two characters before a place suffix: 锦绣花园, 解放路, 宏达建筑公司 → 建筑公司.
_PLACE = re.compile(r"([\u4e00-\u9fff]{2})(小区|花园|新村|家园|公寓|名邸|华庭|大厦|公司|大道|苑|路(?![边面人况线费过口灯])|街(?![道边上头])|厂)")
_NOT_A_PLACE = set("走在的了过修这那条有个到回半出道是与去从满")
_GENERIC = {"供水", "供电", "电力", "热力", "燃气", "物业", "保洁", "快递", "公交", "出租", "房产", "开发", "装修", "家政", "保险", "银行", "自来"}
_SEP = " "


def _cn_number(text: str) -> str:
    if "十" not in text:
        return "".join(str(_DIGITS[c]) for c in text)
    tens, _, ones = text.partition("十")
    return str((_DIGITS.get(tens[-1:], 1) if tens else 1) * 10 + (_DIGITS.get(ones[:1], 0) if ones else 0))


def analyse(text: str) -> tuple[str, tuple[str, ...]]:
    """Fold the differences between transcribers; return (content text, place keys).

    Place names stay in the content (they are part of the matter) and are also returned as keys,
    so that two appeals naming different places can be told apart (see PLACE_MISMATCH).
    """
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _BOILERPLATE.sub("", text)
    text = _NUMERAL.sub(lambda m: _cn_number(m.group()), text)
    text = _SYNONYM_RE.sub(lambda m: _SYNONYM_MAP[m.group()], text)
    content = _STREET.sub(_SEP, _KEEP.sub(_SEP, text))[:MAX_CHARS]
    places = [
        m.group()
        for m in _PLACE.finditer(content)
        if _NOT_A_PLACE.isdisjoint(m.group(1)) and m.group(1) not in _GENERIC
    ]
    return content, tuple(dict.fromkeys(places))


def normalize(text: str) -> str:
    """The content text of `analyse`, separators removed (for display and tests)."""
    return analyse(text)[0].replace(_SEP, "")


_SEP_CP = np.uint64(ord(_SEP))


def batch_features(contents: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of many analysed content texts at once: (features, counts, features per text).

    Per text: the sorted unique 32-bit hashes of its bigrams (no bigram spans a separator) and of its
    characters (unigrams help short retellings that share few bigrams), with their counts.
    """
    n = len(contents)
    if n == 0:
        return np.empty(0, np.uint32), np.empty(0, np.uint8), np.zeros(0, np.int64)
    joined = _SEP.join(contents) + _SEP
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    doc = np.repeat(np.arange(n, dtype=np.uint64), [len(c) + 1 for c in contents])
    kept = cp != _SEP_CP
    pair = kept[:-1] & kept[1:]
    keys = np.concatenate([((cp[:-1] << np.uint64(21)) | cp[1:])[pair], cp[kept]])
    docs = np.concatenate([doc[:-1][pair], doc[kept]])
    hashed = (keys * _MULT) >> np.uint64(32)
    uniq, counts = np.unique((docs << np.uint64(32)) | hashed, return_counts=True)
    lens = np.bincount((uniq >> np.uint64(32)).astype(np.int64), minlength=n).astype(np.int64)
    return (uniq & np.uint64(0xFFFFFFFF)).astype(np.uint32), np.minimum(counts, 255).astype(np.uint8), lens


def features(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique hashed features (uint32) and their counts (uint8) of one analysed content text."""
    feats, counts, _ = batch_features([text])
    return feats, counts


def place_hashes(places: tuple[str, ...]) -> np.ndarray:
    return np.unique(np.array([zlib.crc32(p.encode("utf-8")) for p in places], np.uint32))


_NO_ROWS = np.empty(0, np.int64)


@functools.lru_cache(maxsize=256)
def _prepared(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of a text; cached because one check asks the repeat and the mass question."""
    content, places = analyse(text)
    feats, counts = features(content)
    for a in (feats, counts):
        a.flags.writeable = False
    hashes = place_hashes(places)
    hashes.flags.writeable = False
    return feats, counts, hashes


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


def _epoch(at: datetime) -> int:
    return int(as_cst(at).timestamp())


class _Grow:
    """A numpy array that grows by doubling (amortised O(1) append of a chunk)."""

    def __init__(self, dtype: type, capacity: int = 1024) -> None:
        self.data = np.empty(capacity, dtype)
        self.size = 0

    def extend(self, values: np.ndarray) -> None:
        end = self.size + values.size
        if end > self.data.size:
            grown = np.empty(max(end, 2 * self.data.size), self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : end] = values
        self.size = end

    def view(self) -> np.ndarray:
        return self.data[: self.size]


class SimilarityIndex:  # 相似诉求索引
    """Holds appeal texts as features; answers repeat and mass questions by blocking + cosine."""

    def __init__(self) -> None:
        self._feat = _Grow(np.uint32, 1 << 16)
        self._tf = _Grow(np.uint8, 1 << 16)
        self._ptr = _Grow(np.int64)
        self._ptr.extend(np.zeros(1, np.int64))
        self._place = _Grow(np.uint32)
        self._pptr = _Grow(np.int64)
        self._pptr.extend(np.zeros(1, np.int64))
        self._at = _Grow(np.int64)
        self._caller = _Grow(np.int32)
        self._region = _Grow(np.int32)
        self._ids: list[str] = []
        self._row_of: dict[str, int] = {}
        self._caller_names: list[str] = []
        self._caller_no: dict[str, int] = {}
        self._region_names: list[str] = []
        self._region_no: dict[str, int] = {}
        self._by_caller: dict[int, tuple[array, array]] = {}  # caller → (times, rows) in time order
        self._by_region: dict[int, tuple[array, array]] = {}
        self._df = np.zeros(1 << _DF_BITS, np.int32)
        self._idf: np.ndarray | None = None
        self._idf_n = 0

    def __len__(self) -> int:
        return len(self._ids)

    # -- writing ------------------------------------------------------------------------------------

    @staticmethod
    def _number(key: str, names: list[str], numbers: dict[str, int]) -> int:
        no = numbers.get(key)
        if no is None:
            no = numbers[key] = len(names)
            names.append(key)
        return no

    @staticmethod
    def _file(block: dict[int, tuple[array, array]], key: int, when: int, row: int) -> None:
        times, rows = block.setdefault(key, (array("q"), array("q")))
        if not times or times[-1] <= when:
            times.append(when)
            rows.append(row)
        else:  # back-filled history: keep time order
            pos = bisect.bisect_right(times, when)
            times.insert(pos, when)
            rows.insert(pos, row)

    def add(self, appeal_id: str, text: str, caller_key: str, region: str, at: datetime) -> None:
        """Index one appeal. Ids are unique; the caller key is opaque (e.g. a keyed hash of the number)."""
        self.add_many([(appeal_id, text, caller_key, region, at)])

    def add_many(self, appeals: Iterable[tuple[str, str, str, str, datetime]], *, chunk: int = 50_000) -> int:
        """Index many appeals (id, text, caller_key, region, at), e.g. the history at start-up; returns the count.

        Features are computed for a chunk at a time in numpy, several times faster than `add` in a loop.
        """
        total = 0
        batch: list[tuple[str, str, str, str, datetime]] = []
        for appeal in appeals:
            batch.append(appeal)
            if len(batch) >= chunk:
                total += self._add_chunk(batch)
                batch = []
        return total + (self._add_chunk(batch) if batch else 0)

    def _add_chunk(self, batch: list[tuple[str, str, str, str, datetime]]) -> int:
        seen: set[str] = set()
        for appeal_id, *_ in batch:
            if not appeal_id:
                raise InvalidInput("诉求编号不能为空")
            if appeal_id in self._row_of or appeal_id in seen:
                raise InvalidInput(f"诉求 {appeal_id} 已在索引中")
            seen.add(appeal_id)
        analysed = [analyse(text) for _, text, _, _, _ in batch]
        feats, counts, lens = batch_features([content for content, _ in analysed])
        hashes = [place_hashes(places) for _, places in analysed]
        first = len(self._ids)
        self._feat.extend(feats)
        self._tf.extend(counts)
        self._ptr.extend(self._feat.size - feats.size + np.cumsum(lens))
        self._place.extend(np.concatenate(hashes))
        self._pptr.extend(self._place.size - sum(h.size for h in hashes) + np.cumsum([h.size for h in hashes]))
        buckets = (feats & _DF_MASK).astype(np.int64)
        if buckets.size > self._df.size // 16:
            self._df += np.bincount(buckets, minlength=self._df.size).astype(np.int32)
        else:
            np.add.at(self._df, buckets, 1)
        whens, callers, regions = [], [], []
        for offset, (appeal_id, _, caller_key, region, at) in enumerate(batch):
            row, when = first + offset, _epoch(at)
            caller = self._number(caller_key or "", self._caller_names, self._caller_no)
            place = self._number(region or "", self._region_names, self._region_no)
            whens.append(when)
            callers.append(caller)
            regions.append(place)
            self._ids.append(appeal_id)
            self._row_of[appeal_id] = row
            if caller_key:
                self._file(self._by_caller, caller, when, row)
            if region:
                self._file(self._by_region, place, when, row)
        self._at.extend(np.array(whens, np.int64))
        self._caller.extend(np.array(callers, np.int32))
        self._region.extend(np.array(regions, np.int32))
        return len(batch)

    # -- reading ------------------------------------------------------------------------------------

    def _idf_table(self) -> np.ndarray:
        n = len(self._ids)
        if self._idf is None or n > self._idf_n * 1.02 + 10:
            self._idf = (np.log((n + 1.0) / (self._df + 1.0)) + 1.0).astype(np.float32)
            self._idf_n = n
        return self._idf

    def _query(self, text: str) -> _Query:
        feats, counts, places = _prepared(text)
        weights = _LOG_TF[counts] * self._idf_table()[feats & _DF_MASK]
        return _Query(feats, weights, float(np.sqrt(np.dot(weights, weights))), places)

    @staticmethod
    def _gather(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(positions into the column, segment number of each, length of each row) for CSR rows."""
        starts, lens = ptr[rows], ptr[rows + 1] - ptr[rows]
        total = int(lens.sum())
        seg = np.repeat(np.arange(rows.size), lens)
        idx = np.arange(total) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
        return idx, seg, lens

    def _scores(self, query: _Query, rows: np.ndarray) -> np.ndarray:
        if rows.size == 0 or query.norm == 0.0:
            return np.zeros(rows.size, np.float64)
        qf, qw = query.feats, query.weights
        idx, seg, _ = self._gather(self._ptr.data, rows)
        f = self._feat.data[idx]
        w = _LOG_TF[self._tf.data[idx]] * self._idf_table()[f & _DF_MASK]
        pos = np.minimum(np.searchsorted(qf, f), qf.size - 1)
        contrib = np.where(qf[pos] == f, w * qw[pos], 0.0)
        dots = np.bincount(seg, weights=contrib, minlength=rows.size)
        norms = np.sqrt(np.bincount(seg, weights=w * w, minlength=rows.size))
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = np.where(norms > 0, dots / (norms * query.norm), 0.0)
        if query.places.size:
            pidx, pseg, plens = self._gather(self._pptr.data, rows)
            hit = (self._place.data[pidx][:, None] == query.places[None, :]).any(axis=1)
            shared = np.bincount(pseg, weights=hit, minlength=rows.size)
            scores = np.where((plens > 0) & (shared == 0), scores * PLACE_MISMATCH, scores)
        return scores

    @staticmethod
    def _window(block: tuple[array, array] | None, lo: int, hi: int) -> np.ndarray:
        if block is None:
            return np.empty(0, np.int64)
        times, rows = block
        a, b = bisect.bisect_left(times, lo), bisect.bisect_right(times, hi)
        return np.frombuffer(rows[a:b], dtype=np.int64)  # a copy: the block may grow later

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

    def find_repeats(
        self, text: str, caller_key: str, at: datetime, *, window_days: float = 30, threshold: float = REPEAT_THRESHOLD, exclude_id: str | None = None
    ) -> list[Match]:
        """重复来电: the same caller's appeals in [at − window_days, at] about the same matter, best first."""
        _check_window(window_days, "重复来电时间窗（天）", 366)
        number = self._caller_no.get(caller_key or "")
        if number is None:
            return []
        hi = _epoch(at)
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
        mid, span = _epoch(at), int(window_hours * 3600)
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
        moment = _epoch(at)
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
        return int(self._window(self._by_caller.get(number), _epoch(since), _epoch(until)).size)

    def memory_bytes(self) -> int:
        """Bytes held in the numpy columns and block arrays (Python ids and dicts not included)."""
        columns = (self._feat, self._tf, self._ptr, self._place, self._pptr, self._at, self._caller, self._region)
        arrays = sum(g.data.nbytes for g in columns)
        blocks = sum(t.itemsize * len(t) * 2 for block in (self._by_caller, self._by_region) for t, _ in block.values())
        idf = self._idf.nbytes if self._idf is not None else 0
        return arrays + blocks + self._df.nbytes + idf


def _check_window(value: float, what: str, limit: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise InvalidInput(f"{what}必须是正数，收到：{value!r}")
    if value > limit:
        raise InvalidInput(f"{what}过大：{value}")


__all__ = ["Match", "SimilarityIndex", "features", "normalize"]
