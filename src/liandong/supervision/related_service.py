"""Repeat calls (重复来电) and mass complaints (群诉) at intake, over the stored history.

Each process keeps a `SimilarityIndex` of the recent appeals (the widest window the city uses) and
tops it up from the database before each check, so appeals taken by other worker processes are
seen too. The index holds texts, opaque caller keys (keyed hashes, never phone numbers), regions
and times.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.clock import Clock
from liandong.orders.service import opened_here
from liandong.orders.tables import OrderRow, RepeatCall
from liandong.supervision.first_orders import FirstOrders
from liandong.supervision.related import RelatedPolicy, RelatedReport, Relation, RelationKind, relate
from liandong.supervision.similarity import SimilarityIndex

log = logging.getLogger("liandong.supervision")
OVERLAP = timedelta(seconds=10)  # re-read this much before the watermark: commits land out of order
MASS_CATEGORY_HOURS = 24
SYNC_EVERY = 0.5  # seconds
RESYNC_EVERY = 2.0
MASS_SHOWN = 10  # members of a cluster listed on a new order (the latest); the count covers all


@dataclass
class RelatedOutcome:  # 关联研判：写在新工单上的结论
    related: list[dict] = field(default_factory=list)  # [{order_id, relation}]
    repeat_call: RepeatCall | None = None  # 重复来电 (未解决)
    mass: bool = False  # 群诉 member
    harass: bool = False  # 疑似骚扰
    lead_order: str | None = None
    to_supervisor: bool = False
    notes: list[str] = field(default_factory=list)


class RelatedFinder:
    def __init__(self, policy: RelatedPolicy | None = None) -> None:
        self.policy = policy or RelatedPolicy()
        self.index = SimilarityIndex()
        self.first_orders = FirstOrders()  # what a finding names; `remember` what this process committed
        self._seen: set[str] = set()
        self._watermark: datetime | None = None
        self._synced = self._resynced = 0.0
        self._lock = threading.Lock()  # the index and its side tables
        self._sync_lock = threading.Lock()  # one look at the database at a time
        self._looker: threading.Thread | None = None
        self._stop_looking = threading.Event()
        self._looked = threading.Condition()
        self.looks = 0  # looks taken by the background thread
        self._by_matter: dict[tuple[str, str], list[tuple[datetime, str, str]]] = {}  # (region, item) → calls
        self._batch = threading.local()  # caller keys whose earlier appeals this thread's batch has read

    def _horizon(self, now: datetime) -> datetime:
        return now - timedelta(days=self.policy.repeat_window_days)

    def look_in_background(self, read: Callable[[], AbstractContextManager[Session]], clock: Clock) -> None:
        """Look at the database from a thread of this finder's own, so that intake never waits for a
        look (measured: a look held the intake writer 5–10 ms, four times a second, per worker)."""
        if self._looker is not None:
            return
        self._stop_looking.clear()

        def loop() -> None:
            while not self._stop_looking.wait(SYNC_EVERY):
                try:
                    with read() as session:
                        self.sync(session, clock.now(), force=True)
                except Exception:  # noqa: BLE001 — the next look tries again; intake goes on meanwhile
                    log.warning("repeat/mass index: a look at the database failed", exc_info=True)
                with self._looked:
                    self.looks += 1
                    self._looked.notify_all()

        self._looker = threading.Thread(target=loop, name="related-look", daemon=True)
        self._looker.start()

    def wait_for_looks(self, count: int, timeout: float) -> bool:
        """Block until the background thread has taken `count` looks in all (False on timeout)."""
        with self._looked:
            return self._looked.wait_for(lambda: self.looks >= count, timeout)

    def stop_looking(self) -> None:
        if self._looker is not None:
            self._stop_looking.set()
            self._looker.join(10)
            self._looker = None

    def sync(self, session: Session, now: datetime, *, force: bool = False) -> None:
        """Bring the index up to date with appeals stored since the last look (by any process).

        At most once every `SYNC_EVERY` seconds: this process's own appeals enter the index as they
        are committed (`add`), so only other workers' appeals wait that long to be seen. A look reads
        what is newer than the watermark; every `RESYNC_EVERY` seconds it reads back `OVERLAP` as well,
        for appeals whose transaction committed after a later one. A serving process looks from a
        thread of its own (`look_in_background`); elsewhere `examine` looks before it checks."""
        with self._sync_lock:
            self._sync(session, now, force)

    def _sync(self, session: Session, now: datetime, force: bool) -> None:
        clock = time.monotonic()
        if self._watermark is not None and not force and clock - self._synced < SYNC_EVERY:
            return
        self._synced = clock
        if self._watermark is None:
            since, self._resynced = self._horizon(now), clock
        elif clock - self._resynced >= RESYNC_EVERY:
            since, self._resynced = self._watermark - OVERLAP, clock
        else:
            since = self._watermark
        columns = (AppealRow.id, AppealRow.text, AppealRow.caller_key, AppealRow.region, AppealRow.received_at,
                   AppealRow.routing, AppealRow.created_at)
        with session.no_autoflush:  # this process's own unstored appeals are in the index already
            newest = session.scalar(select(func.max(AppealRow.created_at)).where(AppealRow.created_at >= since))
            if self._watermark is None:  # first look: the whole window at once
                rows = session.execute(select(*columns).where(AppealRow.created_at >= since)).all()
            else:  # the overlap is re-read as bare ids (no per-row time conversion); texts only for what is new
                table = AppealRow.__table__  # Core, not the ORM: thousands of ids a second under load
                ids = session.connection().execute(select(table.c.id).where(table.c.created_at >= since)).scalars().all()
                with self._lock:
                    unseen = [i for i in ids if i not in self._seen]
                rows = []
                for start in range(0, len(unseen), 500):
                    rows += session.execute(select(*columns).where(AppealRow.id.in_(unseen[start:start + 500]))).all()
        with self._lock:
            self._file_unseen(rows)
            if newest is not None:
                self._watermark = max(self._watermark or newest, newest)
            elif self._watermark is None:
                self._watermark = now

    def forget_all(self) -> None:
        """Drop the index; the next check rebuilds it from the database. For when appeals entered it
        inside a transaction that then rolled back (the index cannot remove one appeal)."""
        with self._sync_lock, self._lock:
            self.index = SimilarityIndex()
            self._seen.clear()
            self._by_matter.clear()
            self._watermark = None

    def add(self, appeal: AppealRow) -> None:
        with self._lock:
            if appeal.id not in self._seen:
                self.index.add(appeal.id, appeal.text, appeal.caller_key or "", appeal.region or "", appeal.received_at)
                self._seen.add(appeal.id)
                self._file_matter(appeal.id, appeal.routing, appeal.region, appeal.caller_key, appeal.received_at)

    def _file_matter(self, appeal_id: str, routing: dict | None, region: str | None, caller_key: str | None,
                     at: datetime) -> None:
        key = _matter(routing, region)
        if key is None:
            return
        calls = self._by_matter.setdefault(key, [])
        if any(a == appeal_id for _, _, a in calls):
            return
        calls.append((at, caller_key or "", appeal_id))
        if len(calls) > 256:  # keep the block small: a cluster lives hours, not weeks
            newest = max(c[0] for c in calls)
            calls[:] = [c for c in calls if c[0] >= newest - timedelta(days=2)]

    def examine(self, session: Session, appeal: AppealRow, now: datetime) -> RelatedOutcome:
        """What the new appeal is related to, and what that means for its order."""
        if self._looker is None or self._watermark is None:
            self.sync(session, now)
        self._top_up_caller(session, appeal)
        with self._lock:
            report = relate(self.index, appeal_id=appeal.id, text=appeal.text, caller_key=appeal.caller_key or "",
                            region=appeal.region or "", at=appeal.received_at, policy=self.policy)
        if not report.mass:
            report = self._same_matter_same_place(appeal, report)
        return _outcome(session, report, self.first_orders)

    def _top_up_caller(self, session: Session, appeal: AppealRow) -> None:
        """The caller's own earlier appeals, read from the database whatever the index has seen: a repeat
        taken a moment ago by another worker is not yet in this worker's index (its look comes every
        `SYNC_EVERY` s, a fresh desk's first look may precede the commit). One look-up on the caller
        index (ix_appeals_caller_key_received), Core so that the intake batch is not flushed."""
        if not appeal.caller_key:
            return
        if appeal.caller_key in getattr(self._batch, "keys", ()) and appeal.received_at >= self._batch.since:
            return
        self._read_callers(session, [appeal.caller_key], appeal.received_at, exclude=appeal.id)

    def prefetch_callers(self, session: Session, calls: list[tuple[str, datetime]]) -> None:
        """Read the earlier appeals of a whole batch's callers in one query (`calls`: caller key and time of
        each appeal), so that `examine` needs no look-up of its own for them; `end_batch` forgets them.
        Measured: the per-appeal look-up was a fifth of the intake writer's time on PostgreSQL."""
        keys = sorted({k for k, _ in calls if k})
        if not keys:
            return
        earliest = min(at for k, at in calls if k)
        self._read_callers(session, keys, earliest)
        self._batch.keys, self._batch.since = frozenset(keys), earliest

    def end_batch(self) -> None:
        self._batch.keys = frozenset()

    def _read_callers(self, session: Session, keys: list[str], at: datetime, exclude: str = "") -> None:
        t = AppealRow.__table__
        since = at - timedelta(days=self.policy.repeat_window_days)
        rows = []
        for start in range(0, len(keys), 500):
            rows += session.connection().execute(
                select(t.c.id, t.c.text, t.c.caller_key, t.c.region, t.c.received_at, t.c.routing)
                .where(t.c.caller_key.in_(keys[start:start + 500]), t.c.received_at >= since, t.c.id != exclude)).all()
        with self._lock:
            self._file_unseen(rows)

    def _file_unseen(self, rows) -> None:
        """Index the rows (id, text, caller_key, region, received_at, routing) not seen yet; the lock is held."""
        fresh = sorted((r for r in rows if r.id not in self._seen), key=lambda r: r.received_at)
        if fresh:
            self.index.add_many([(r.id, r.text, r.caller_key or "", r.region or "", r.received_at) for r in fresh])
            self._seen.update(r.id for r in fresh)
            for r in fresh:
                self._file_matter(r.id, r.routing, r.region, r.caller_key, r.received_at)

    def _same_matter_same_place(self, appeal: AppealRow, report: RelatedReport) -> RelatedReport:
        """群诉 told in many words: the same reference-list item, in the same community (or street),
        from several callers within `MASS_CATEGORY_HOURS` — text similarity alone misses these."""
        key = _matter(appeal.routing, appeal.region)
        if key is None:
            return report
        window = timedelta(hours=MASS_CATEGORY_HOURS)
        with self._lock:
            calls = list(self._by_matter.get(key, ()))
        others = {a: (at, ck) for at, ck, a in calls
                  if a != appeal.id and ck != (appeal.caller_key or "") and abs(at - appeal.received_at) <= window}
        callers = {ck for _, ck in others.values()} | {appeal.caller_key or ""}
        if len(callers) < self.policy.mass_min_callers:
            return report
        mass = tuple(Relation(RelationKind.MASS, a, 0.0, at, ck) for a, (at, ck) in others.items())
        return RelatedReport(report.relations + mass, len(callers), report.caller_flag)


def _matter(routing: dict | None, region: str | None) -> tuple[str, str] | None:
    """The (place, reference-list item) a mass complaint is grouped by; none for referrals."""
    category = (routing or {}).get("category_code")
    if not category or not region or (routing or {}).get("category_list") == "引导解释":
        return None
    return region, category


def _outcome(session: Session, report: RelatedReport, known: FirstOrders) -> RelatedOutcome:
    """The orders behind the related appeals. A cluster can hold hundreds of calls: only its first few
    (to find the lead) and its latest `MASS_SHOWN` are looked up (`known`, else read) and listed; the
    count covers the rest."""
    out = RelatedOutcome()
    mass = sorted(report.mass, key=lambda r: r.at)
    repeats = {r.appeal_id for r in report.repeats}  # read: their `satisfied` matters and changes
    wanted = repeats | {r.appeal_id for r in mass[:3] + mass[-MASS_SHOWN:]}
    if wanted:
        rows: list = list(known.known(wanted - repeats).values())
        ask = wanted - {o.appeal_id for o in rows}
        if ask:
            with session.no_autoflush:  # flushing the intake batch here would split its INSERTs
                read = session.execute(
                    select(OrderRow.id, OrderRow.appeal_id, OrderRow.number, OrderRow.satisfied, OrderRow.created_at,
                           OrderRow.lead_order).where(OrderRow.appeal_id.in_(ask))).all()
            known.remember(read)
            rows += read
        rows += [o for o in opened_here(session) if o.appeal_id in wanted]  # this batch's, perhaps not yet stored
        first_order = {}
        for o in sorted(rows, key=lambda o: o.id):
            first_order.setdefault(o.appeal_id, o)
        for r in report.repeats:
            o = first_order.get(r.appeal_id)
            if o is None:
                continue
            out.related.append({"order_id": o.number, "relation": "repeat"})
            if o.satisfied is False:  # closed, and the citizen said it was not resolved
                out.to_supervisor = True
        if out.related:
            out.repeat_call = RepeatCall.REPEAT
            out.notes.append(f"重复来电：同一来电人此前 {len(out.related)} 次反映同一事项")
        if out.to_supervisor:
            out.repeat_call = RepeatCall.UNRESOLVED
            out.notes.append("重复来电未解决：此前工单回访不满意，转督办员研判")
        members = [first_order[r.appeal_id] for r in mass if r.appeal_id in first_order]
        if members:
            for o in members[-MASS_SHOWN:]:
                out.related.append({"order_id": o.number, "relation": "mass"})
            lead = min(members, key=lambda o: o.created_at)
            out.lead_order = lead.lead_order or lead.number
            out.mass = True
            out.notes.append(f"群诉：{report.mass_callers} 位来电人在同一地点反映同一事项，并入主单 {out.lead_order}")
    if report.caller_flag.flagged:
        out.harass = True
        out.notes.append("疑似恶意骚扰（仅提示，不拦截）：" + "；".join(report.caller_flag.reasons))
    return out
