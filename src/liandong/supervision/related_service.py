"""Repeat calls (重复来电) and mass complaints (群诉) at intake, over the stored history.

No process holds the history: every stored appeal has its candidate rows in PostgreSQL (or SQLite) —
caller key, region, matter, time, hashed text features (`related_store`, written in the appeal's own
transaction). An intake batch reads its appeals' candidates in a few queries (`related_candidates`) and
scores them here with the similarity functions of `similarity.py`. The IDF of those scores comes from a
bounded sample: the features of the latest `IDF_SAMPLE` appeals, read again every `IDF_REFRESH_S`
seconds, plus the appeals this process examines in between (two tables of 2^22 cells, 32 MB); the intake
writer keeps the rows it read decoded for its next batches, at most `KEPT_ROWS` — bounded memory whatever
the size of the history. Appeals taken by other processes or hosts are seen as soon as they are committed:
every batch reads its appeals' candidates again.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.orders.service import opened_here
from liandong.orders.tables import OrderRow, RepeatCall
from liandong.supervision.appeal_text import prepared
from liandong.supervision.first_orders import FirstOrders
from liandong.supervision.related import RelatedPolicy, RelatedReport, Relation, RelationKind, relate
from liandong.supervision.related_candidates import MASS_CATEGORY_HOURS, Candidates, Probe
from liandong.supervision.related_store import AppealFeatureRow, matter_of
from liandong.supervision.similarity import DocumentFrequencies

log = logging.getLogger("liandong.supervision")
MASS_SHOWN = 10  # members of a cluster listed on a new order (the latest); the count covers all
IDF_SAMPLE = 20_000  # appeals whose features give the document frequencies
IDF_REFRESH_S = 600.0
KEPT_ROWS = 300_000  # candidate rows a writer thread keeps decoded between its batches (≈ 150 MB at most)
KEPT_S = 3600.0  # and for at most this long: then they are read again, and what fell out of the windows is gone

__all__ = ["MASS_CATEGORY_HOURS", "RelatedFinder", "RelatedOutcome", "probe"]


@dataclass
class RelatedOutcome:  # 关联研判：写在新工单上的结论
    related: list[dict] = field(default_factory=list)  # [{order_id, relation}]
    repeat_call: RepeatCall | None = None  # 重复来电 (未解决)
    mass: bool = False  # 群诉 member
    harass: bool = False  # 疑似骚扰
    lead_order: str | None = None
    to_supervisor: bool = False
    notes: list[str] = field(default_factory=list)


def probe(text: str, caller_key: str | None, region: str | None, routing: dict | None, at: datetime) -> Probe:
    """What the search of one appeal needs read (its text's features are cached for its check)."""
    return Probe(caller_key or None, region or None, matter_of(routing, region),
                 tuple(int(p) for p in prepared(text or "")[2]), at)


class RelatedFinder:
    def __init__(self, policy: RelatedPolicy | None = None) -> None:
        self.policy = policy or RelatedPolicy()
        self.frequencies = DocumentFrequencies()
        self.first_orders = FirstOrders()  # what a finding names; `remember` what this process committed
        self._sampled: float | None = None  # monotonic time of the last sample
        self._sample_lock = threading.Lock()
        self._batch = threading.local()  # this thread's intake batch: its `Candidates`
        self.rows_read = 0  # candidate rows read, all batches (for tests and the bench)

    # -- document frequencies -----------------------------------------------------------------------
    def warm_up(self, session: Session) -> None:
        """Read the IDF sample now rather than at the first appeal."""
        self._sample(session, force=True)

    def _sample(self, session: Session, force: bool = False) -> None:
        with self._sample_lock:
            if not force and self._sampled is not None and time.monotonic() - self._sampled < IDF_REFRESH_S:
                return
            t = AppealFeatureRow.__table__
            rows = session.connection().execute(
                select(t.c.feats).order_by(t.c.received_at.desc()).limit(IDF_SAMPLE)).scalars().all()
            fresh = DocumentFrequencies()
            if rows:
                fresh.count(np.concatenate([np.frombuffer(r, "<u4") for r in rows]).astype(np.uint32), len(rows))
            self.frequencies, self._sampled = fresh, time.monotonic()

    # -- batches ------------------------------------------------------------------------------------
    def prefetch(self, session: Session, probes: list[Probe]) -> None:
        """Read the candidates of a whole batch's appeals at once, so that `examine` needs no query of its
        own for them. Measured: per-appeal look-ups dominated the intake writer.

        The rows read are kept decoded and indexed between this thread's batches (`_kept`): a stored row
        never changes, and each batch still reads what its appeals need — only the rows it has not seen
        are decoded and indexed. Measured: rebuilding a batch's index from all the rows read was a fifth of
        the writer's time with a large history."""
        self._sample(session)
        batch = self._kept()
        self.rows_read += batch.read(session, probes)
        self._batch.candidates = batch

    def _kept(self) -> Candidates:
        kept = getattr(self._batch, "kept", None)
        if (kept is None or kept.frequencies is not self.frequencies or len(kept.index) > KEPT_ROWS
                or time.monotonic() - self._batch.kept_since > KEPT_S):
            kept = self._batch.kept = Candidates(self.frequencies, self.policy)
            self._batch.kept_since = time.monotonic()
        kept.new_batch()
        return kept

    def end_batch(self) -> None:
        self._batch.candidates = None

    def forget_all(self) -> None:
        """Drop this thread's candidates (after a transaction rolled back: its appeals must not be met)."""
        self._batch.candidates = self._batch.kept = None

    def examine(self, session: Session, appeal: AppealRow, now: datetime) -> RelatedOutcome:
        """What the new appeal is related to, and what that means for its order."""
        return _outcome(session, self.report(session, appeal), self.first_orders)

    def report(self, session: Session, appeal: AppealRow) -> RelatedReport:
        """The relations of a new appeal (not yet stored); later appeals of the same batch meet it."""
        batch = getattr(self._batch, "candidates", None)
        single = batch is None
        if single:  # not in a prefetched batch: a batch of one
            self._sample(session)
            batch = Candidates(self.frequencies, self.policy)
        p = probe(appeal.text, appeal.caller_key, appeal.region, appeal.routing, appeal.received_at)
        if not batch.covers(p):
            self.rows_read += batch.read(session, [p])
        report = relate(batch.index, appeal_id=appeal.id, text=appeal.text, caller_key=appeal.caller_key or "",
                        region=appeal.region or "", at=appeal.received_at, policy=self.policy)
        if not report.mass:
            report = self._same_matter_same_place(batch, appeal, p, report)
        feats, counts, places = prepared(appeal.text or "")
        batch.add_own(appeal.id, feats, counts, places, appeal.caller_key, appeal.region, p.matter, appeal.received_at)
        self.frequencies.count(feats, 1)
        return report

    def _same_matter_same_place(self, batch: Candidates, appeal: AppealRow, p: Probe,
                                report: RelatedReport) -> RelatedReport:
        """群诉 told in many words: the same reference-list item, in the same community (or street),
        from several callers within `MASS_CATEGORY_HOURS` — text similarity alone misses these."""
        if p.matter is None or not p.region:
            return report
        window = timedelta(hours=MASS_CATEGORY_HOURS)
        others = {a: (at, ck) for a, (at, ck) in batch.matter_calls(p.region, p.matter).items()
                  if a != appeal.id and ck != (appeal.caller_key or "") and abs(at - appeal.received_at) <= window}
        callers = {ck for _, ck in others.values()} | {appeal.caller_key or ""}
        if len(callers) < self.policy.mass_min_callers:
            return report
        mass = tuple(Relation(RelationKind.MASS, a, 0.0, at, ck) for a, (at, ck) in others.items())
        return RelatedReport(report.relations + mass, len(callers), report.caller_flag)


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
            lead = min(members, key=lambda o: (o.created_at, o.id))  # the first opened: times tie within a batch
            out.lead_order = lead.lead_order or lead.number
            out.mass = True
            out.notes.append(f"群诉：{report.mass_callers} 位来电人在同一地点反映同一事项，并入主单 {out.lead_order}")
    if report.caller_flag.flagged:
        out.harass = True
        out.notes.append("疑似恶意骚扰（仅提示，不拦截）：" + "；".join(report.caller_flag.reasons))
    return out
