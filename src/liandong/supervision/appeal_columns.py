"""The columnar store of indexed appeals (the storage half of the similarity index).

Storage is columnar: one uint32 array of features and one uint8 array of counts for all appeals
(CSR-style offsets), the place keys likewise, int64 times, int32 caller and region numbers, and
per caller / per region arrays of row numbers in time order. Per appeal, only its id is a Python
object. Document frequencies are counted as appeals come in, in a hashed table of 2^22 counters
(`DF_BITS`, `DocumentFrequencies`) — or, for a transient index of candidates read from the database, kept
outside it and shared (`frequencies=`). `AppealColumns` writes all of it and reads rows back (`_gather`,
`_window`); the scoring and the questions are `liandong.supervision.similarity.SimilarityIndex`, built on it.
"""

from __future__ import annotations

import bisect
import threading
from array import array
from collections.abc import Iterable
from datetime import datetime

import numpy as np

from liandong.core.clock import as_cst
from liandong.core.errors import InvalidInput
from liandong.supervision.appeal_text import analyse, batch_features, place_hashes, prepared

DF_BITS = 22
DF_MASK = (1 << DF_BITS) - 1


def epoch(at: datetime) -> int:
    return int(as_cst(at).timestamp())


class GrowingArray:
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

    def trim(self) -> None:
        self.data = self.data[: self.size].copy()


class DocumentFrequencies:
    """Document frequencies of hashed features (2^`DF_BITS` counters) and the IDF they give, frozen in a
    snapshot that is refreshed when the count of documents has grown by 2 % (`version` tells cached norms
    to follow).

    IDF = log((n + 1) / (df + 1)) + 1 = A − log(df + 1): the snapshot keeps A and a table of log(df + 1), and a
    refresh recomputes the logarithm only for the buckets counted since the last one — a fresh desk, whose
    count grows by 2 % every few dozen appeals, no longer rewrites the 4M-entry table each time."""

    def __init__(self) -> None:
        self.df = np.zeros(1 << DF_BITS, np.int32)
        self.documents = 0
        self.version = 0
        self._log_df = np.zeros(1 << DF_BITS, np.float32)  # log(df + 1) as of the snapshot
        self._a = np.float32(0.0)
        self._snapshot_n = -1
        self._touched: list[np.ndarray] | None = []  # buckets counted since the snapshot; None: all of them
        self._lock = threading.Lock()

    def count(self, feats: np.ndarray, documents: int) -> None:
        buckets = (feats & DF_MASK).astype(np.int64)
        with self._lock:
            if buckets.size > self.df.size // 16:
                self.df += np.bincount(buckets, minlength=self.df.size).astype(np.int32)
                self._touched = None
            else:
                np.add.at(self.df, buckets, 1)
                if self._touched is not None:
                    self._touched.append(buckets)
            self.documents += documents

    def idf(self, buckets: np.ndarray) -> np.ndarray:
        """The snapshot's IDF of these buckets (float32)."""
        self._refresh()
        return self._a - self._log_df[buckets]

    def _refresh(self) -> None:
        with self._lock:
            n = self.documents
            if self._snapshot_n >= 0 and n <= self._snapshot_n * 1.02 + 10:
                return
            if self._touched is None:
                np.log1p(self.df, out=self._log_df, dtype=np.float32)
            elif self._touched:
                changed = np.unique(np.concatenate(self._touched))
                self._log_df[changed] = np.log1p(self.df[changed].astype(np.float32))
            self._touched = []
            self._a = np.float32(np.log(np.float32(n + 1.0)) + 1.0)
            self._snapshot_n = n
            self.version += 1

    def memory_bytes(self) -> int:
        return self.df.nbytes + self._log_df.nbytes


class AppealColumns:
    """Appeals as columns of features, places, times, callers and regions, with per-caller and
    per-region blocks of rows in time order; written by `add` / `add_many` (texts) or `add_prepared`
    (features already computed). Document frequencies are counted here unless `frequencies` is given."""

    def __init__(self, frequencies: DocumentFrequencies | None = None) -> None:
        self._own_frequencies = frequencies is None
        self._freq = frequencies if frequencies is not None else DocumentFrequencies()
        self._feat = GrowingArray(np.uint32, 1 << 16)
        self._tf = GrowingArray(np.uint8, 1 << 16)
        self._ptr = GrowingArray(np.int64)
        self._ptr.extend(np.zeros(1, np.int64))
        self._place = GrowingArray(np.uint32)
        self._pptr = GrowingArray(np.int64)
        self._pptr.extend(np.zeros(1, np.int64))
        self._at = GrowingArray(np.int64)
        self._caller = GrowingArray(np.int32)
        self._region = GrowingArray(np.int32)
        self._ids: list[str] = []
        self._row_of: dict[str, int] = {}
        self._caller_names: list[str] = []
        self._caller_no: dict[str, int] = {}
        self._region_names: list[str] = []
        self._region_no: dict[str, int] = {}
        self._by_caller: dict[int, tuple[array, array]] = {}  # caller → (times, rows) in time order
        self._by_region: dict[int, tuple[array, array]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def has(self, appeal_id: str) -> bool:
        return appeal_id in self._row_of

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
        whens = self._validate(batch)
        if len(batch) == 1:  # an appeal just taken: its check has computed (and cached) these already
            feats, counts, one = prepared(batch[0][1])
            lens, hashes = np.array([feats.size], np.int64), [one]
        else:
            analysed = [analyse(text) for _, text, _, _, _ in batch]
            feats, counts, lens = batch_features([content for content, _ in analysed])
            hashes = [place_hashes(places) for _, places in analysed]
        return self._append(batch, whens, feats, counts, lens, hashes)

    def add_prepared(self, rows: Iterable[tuple[str, np.ndarray, np.ndarray, np.ndarray, str, str, datetime]]) -> int:
        """Index appeals whose features are computed already: (id, features, counts, place hashes, caller_key,
        region, at), e.g. candidates read from the database (`related_store`). Returns the count."""
        rows = list(rows)
        if not rows:
            return 0
        batch = [(appeal_id, "", caller, region, at) for appeal_id, _, _, _, caller, region, at in rows]
        whens = self._validate(batch)
        feats = np.concatenate([r[1] for r in rows])
        counts = np.concatenate([r[2] for r in rows])
        lens = np.array([r[1].size for r in rows], np.int64)
        return self._append(batch, whens, feats, counts, lens, [r[3] for r in rows])

    def _validate(self, batch: list[tuple[str, str, str, str, datetime]]) -> list[int]:
        seen: set[str] = set()
        whens = []
        for appeal_id, _, _, _, at in batch:  # validate all first: a chunk goes in whole or not at all
            if not appeal_id:
                raise InvalidInput("诉求编号不能为空")
            if appeal_id in self._row_of or appeal_id in seen:
                raise InvalidInput(f"诉求 {appeal_id} 已在索引中")
            if not isinstance(at, datetime):
                raise InvalidInput(f"诉求 {appeal_id} 的时间无效：{at!r}")
            seen.add(appeal_id)
            whens.append(epoch(at))
        return whens

    def _append(self, batch, whens: list[int], feats: np.ndarray, counts: np.ndarray, lens: np.ndarray,
                hashes: list[np.ndarray]) -> int:
        first = len(self._ids)
        self._feat.extend(feats)
        self._tf.extend(counts)
        self._ptr.extend(self._feat.size - feats.size + np.cumsum(lens))
        self._place.extend(np.concatenate(hashes))
        self._pptr.extend(self._place.size - sum(h.size for h in hashes) + np.cumsum([h.size for h in hashes]))
        if self._own_frequencies:
            self._freq.count(feats, len(batch))
        callers, regions = [], []
        for offset, (appeal_id, _, caller_key, region, _) in enumerate(batch):
            row, when = first + offset, whens[offset]
            caller = self._number(caller_key or "", self._caller_names, self._caller_no)
            place = self._number(region or "", self._region_names, self._region_no)
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

    # -- reading rows -------------------------------------------------------------------------------

    @staticmethod
    def _gather(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(positions into the column, segment number of each, length of each row) for CSR rows."""
        starts, lens = ptr[rows], ptr[rows + 1] - ptr[rows]
        total = int(lens.sum())
        seg = np.repeat(np.arange(rows.size), lens)
        idx = np.arange(total) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
        return idx, seg, lens

    @staticmethod
    def _window(block: tuple[array, array] | None, lo: int, hi: int) -> np.ndarray:
        if block is None:
            return np.empty(0, np.int64)
        times, rows = block
        a, b = bisect.bisect_left(times, lo), bisect.bisect_right(times, hi)
        return np.frombuffer(rows[a:b], dtype=np.int64)  # a copy: the block may grow later

    def compact(self) -> None:
        """Give back the spare capacity of the columns (call after loading the history)."""
        for column in self._columns():
            column.trim()

    def _columns(self) -> tuple[GrowingArray, ...]:
        return (self._feat, self._tf, self._ptr, self._place, self._pptr, self._at, self._caller, self._region)

    def memory_bytes(self) -> int:
        """Bytes held in the numpy columns, block arrays and document frequencies (Python ids and dicts not included)."""
        arrays = sum(g.data.nbytes for g in self._columns())
        blocks = sum(t.itemsize * len(t) * 2 for block in (self._by_caller, self._by_region) for t, _ in block.values())
        return arrays + blocks + (self._freq.df.nbytes if self._own_frequencies else 0)
