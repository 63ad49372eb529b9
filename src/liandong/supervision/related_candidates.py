"""The candidates of an intake batch (候选诉求), read from the database in a few queries for all its appeals.

A repeat (重复来电) is by the same caller within the repeat window; a mass complaint (群诉) is in the same
region within the mass window, and either similar in text (then it shares a place key with the new appeal
or names none: `related_store`) or of the same reference-list item within `MASS_CATEGORY_HOURS`. A
`Candidates` reads those rows for a list of `Probe`s (one per appeal) — one query per question, not one per
appeal — into a `SimilarityIndex` that shares the finder's document frequencies, and keeps the (region,
matter) calls. The batch's own appeals are added to it as they are examined, so a later appeal of the same
batch meets an earlier one. The intake writer keeps it for its next batches (`RelatedFinder._kept`, bounded
in rows and time; dropped when a transaction rolls back): each batch reads what its appeals need again —
other processes commit meanwhile — but decodes and indexes only rows it has not seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session

from liandong.supervision.related import RelatedPolicy
from liandong.supervision.related_store import NO_PLACE, AppealFeatureRow, AppealPlaceRow, decode
from liandong.supervision.similarity import PLACE_MISMATCH, DocumentFrequencies, SimilarityIndex

MASS_CATEGORY_HOURS = 24
CHUNK = 500  # keys per IN list
SLACK = timedelta(minutes=10)  # read this far past the batch's latest appeal: its appeals' clocks differ by ms


@dataclass(frozen=True)
class Probe:  # what one appeal needs read
    caller_key: str | None
    region: str | None
    matter: str | None
    places: tuple[int, ...]
    at: datetime


@dataclass
class _Read:  # what one read covered
    callers: frozenset[str] = frozenset()
    callers_since: datetime | None = None
    pairs: frozenset[tuple[str, int]] = frozenset()  # (region, place key) in [lo, hi]
    whole: frozenset[str] = frozenset()  # regions read whole in [lo, hi]
    lo: datetime | None = None
    hi: datetime | None = None
    matters: frozenset[tuple[str, str]] = frozenset()  # (region, matter) in [mlo, mhi]
    mlo: datetime | None = None
    mhi: datetime | None = None


@dataclass
class Candidates:
    frequencies: DocumentFrequencies
    policy: RelatedPolicy
    index: SimilarityIndex = field(init=False)
    calls: dict[tuple[str, str], dict[str, tuple[datetime, str]]] = field(default_factory=dict)  # → id → (at, caller)
    reads: list[_Read] = field(default_factory=list)  # this batch's

    def __post_init__(self) -> None:
        self.index = SimilarityIndex(self.frequencies)

    def new_batch(self) -> None:
        """What earlier batches read stays indexed (a stored row never changes) but covers nothing now:
        other processes may have committed appeals since."""
        self.reads = []

    # -- what a probe needs -------------------------------------------------------------------------
    def _prune(self) -> bool:
        """Place pruning is exact only while a place mismatch keeps a score under the mass threshold."""
        return self.policy.mass_threshold > PLACE_MISMATCH

    def _spans(self, probe: Probe) -> tuple[datetime, timedelta, timedelta, timedelta]:
        return (probe.at, timedelta(days=self.policy.repeat_window_days), timedelta(hours=self.policy.mass_window_hours),
                timedelta(hours=MASS_CATEGORY_HOURS))

    def covers(self, probe: Probe) -> bool:
        at, repeat, mass, matter = self._spans(probe)
        need_caller = bool(probe.caller_key)
        need_region = bool(probe.region)
        need_matter = bool(probe.region and probe.matter)
        for r in self.reads:
            if need_caller and probe.caller_key in r.callers and r.callers_since <= at - repeat:
                need_caller = False
            if need_region and r.lo is not None and r.lo <= at - mass and at + mass <= r.hi and (
                    probe.region in r.whole or (probe.places and self._prune()
                                                and {(probe.region, p) for p in probe.places + (NO_PLACE,)} <= r.pairs)):
                need_region = False
            if need_matter and (probe.region, probe.matter) in r.matters and r.mlo <= at - matter and at + matter <= r.mhi:
                need_matter = False
        return not (need_caller or need_region or need_matter)

    # -- reading ------------------------------------------------------------------------------------
    def read(self, session: Session, probes: list[Probe]) -> int:
        """The candidates of `probes` from the database: the ids of those each question covers (at most three
        queries, more only past `CHUNK` keys), then the features of the ids not indexed yet; the number of
        candidate ids. A busy desk's batches ask again about the same streets every few milliseconds: the
        rows earlier batches brought are not sent again (a stored row never changes).
        Core on the session's connection, so that the intake batch is not flushed by a read."""
        if not probes:
            return 0
        conn = session.connection()
        f, pl = AppealFeatureRow.__table__, AppealPlaceRow.__table__
        columns = (f.c.appeal_id, f.c.caller_key, f.c.region, f.c.received_at, f.c.feats, f.c.counts, f.c.places)
        read = _Read()
        found: set[str] = set()
        keyed = [p for p in probes if p.caller_key]
        if keyed:
            keys = sorted({p.caller_key for p in keyed})
            since = min(p.at for p in keyed) - timedelta(days=self.policy.repeat_window_days)
            for start in range(0, len(keys), CHUNK):
                found.update(conn.execute(select(f.c.appeal_id).where(f.c.caller_key.in_(keys[start:start + CHUNK]),
                                                                    f.c.received_at >= since)).scalars())
            read.callers, read.callers_since = frozenset(keys), since
        placed = [p for p in probes if p.region]
        if placed:
            span = timedelta(hours=self.policy.mass_window_hours)
            lo, hi = min(p.at for p in placed) - span, max(p.at for p in placed) + span + SLACK
            whole = {p.region for p in placed if not p.places or not self._prune()}
            pairs = {(p.region, k) for p in placed if p.region not in whole for k in p.places + (NO_PLACE,)}
            ids = select(pl.c.appeal_id).where(tuple_(pl.c.region, pl.c.place).in_(sorted(pairs)),
                                               pl.c.received_at >= lo, pl.c.received_at <= hi) if pairs else None
            wanted = [c for c in (f.c.appeal_id.in_(ids) if ids is not None else None,
                                  f.c.region.in_(sorted(whole)) if whole else None) if c is not None]
            found.update(conn.execute(select(f.c.appeal_id).where(f.c.received_at >= lo, f.c.received_at <= hi,
                                                                or_(*wanted))).scalars())
            read.pairs, read.whole, read.lo, read.hi = frozenset(pairs), frozenset(whole), lo, hi
        grouped = [p for p in placed if p.matter]
        if grouped:
            span = timedelta(hours=MASS_CATEGORY_HOURS)
            mlo, mhi = min(p.at for p in grouped) - span, max(p.at for p in grouped) + span + SLACK
            matters = sorted({(p.region, p.matter) for p in grouped})
            for row in conn.execute(select(f.c.appeal_id, f.c.caller_key, f.c.region, f.c.matter, f.c.received_at)
                                    .where(tuple_(f.c.region, f.c.matter).in_(matters),
                                           f.c.received_at >= mlo, f.c.received_at <= mhi)):
                self.calls.setdefault((row.region, row.matter), {})[row.appeal_id] = (row.received_at, row.caller_key or "")
            read.matters, read.mlo, read.mhi = frozenset(matters), mlo, mhi
        self.reads.append(read)
        unseen = sorted(i for i in found if not self.index.has(i))
        rows = []
        for start in range(0, len(unseen), CHUNK):
            rows += conn.execute(select(*columns).where(f.c.appeal_id.in_(unseen[start:start + CHUNK]))).all()
        self._index(rows)
        return len(found)

    def _index(self, rows) -> None:
        fresh, seen = [], set()
        for r in rows:
            if r.appeal_id not in seen and not self.index.has(r.appeal_id):
                seen.add(r.appeal_id)
                fresh.append(r)
        if not fresh:
            return
        fresh.sort(key=lambda r: r.received_at)
        feats, counts, places = decode(b"".join(r.feats for r in fresh), b"".join(r.counts for r in fresh),
                                       b"".join(r.places for r in fresh))  # one array each, then split
        cut = np.cumsum([len(r.counts) for r in fresh])[:-1]
        pcut = np.cumsum([len(r.places) // 4 for r in fresh])[:-1]
        self.index.add_prepared([(r.appeal_id, f, c, p, r.caller_key or "", r.region or "", r.received_at)
                                 for r, f, c, p in zip(fresh, np.split(feats, cut), np.split(counts, cut),
                                                       np.split(places, pcut))])

    # -- the batch's own appeals --------------------------------------------------------------------
    def add_own(self, appeal_id: str, feats: np.ndarray, counts: np.ndarray, places: np.ndarray, caller_key: str | None,
                region: str | None, matter: str | None, at: datetime) -> None:
        """An appeal of this batch, once examined: later appeals of the batch meet it."""
        if not self.index.has(appeal_id):
            self.index.add_prepared([(appeal_id, feats, counts, places, caller_key or "", region or "", at)])
        if region and matter:
            self.calls.setdefault((region, matter), {})[appeal_id] = (at, caller_key or "")

    def matter_calls(self, region: str, matter: str) -> dict[str, tuple[datetime, str]]:
        return self.calls.get((region, matter), {})
