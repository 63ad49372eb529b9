"""`Quality` (质检): stores call records, inspects calls and replies as they happen, and the people's verdicts.

    intake / API / import ──attach_call──▶ CallRecordRow + an inspection of the call
    orders ──OrderChanged(REPLY | PEER_RESULT)──▶ on_order_event ──▶ an inspection of the reply
    supervisor / 质检员 ──verdict──▶ a finding confirmed or overridden (kept; precision per rule)
    supervisor ──reopen──▶ Orders.act(REOPEN): the failed reply goes back to the unit (重办)

Each inspection is written in the caller's transaction: a refused record leaves nothing behind.
Which inspections a person must read (抽查) is decided once, when it is written: every fail, and a share
of reviews and passes chosen by a hash of the order number, so the queue is reproducible.
"""

from __future__ import annotations

import zlib
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor, Role, require_role
from liandong.core.clock import as_cst
from liandong.core.errors import Conflict, InvalidInput, NotFound
from liandong.orders.events import OrderChanged, OrderEvent
from liandong.orders.model import ActionCommand
from liandong.orders.scope import require_view
from liandong.orders.service import Orders, get_order
from liandong.orders.states import Action
from liandong.orders.tables import OrderRow
from liandong.quality.copies import appeal_bigrams, appeal_similarity, fingerprint
from liandong.quality.inspector import Inspector
from liandong.quality.model import (
    CallRecord,
    Inspection,
    OrderFacts,
    Outcome,
    transcript_json,
)
from liandong.quality.replies import CopyHit
from liandong.quality.rules import RULES, QualityRules
from liandong.quality.tables import CallRecordRow, FindingRow, InspectionRow
from liandong.supervision.calendar import WorkingCalendar

REVIEWERS = (Role.SUPERVISOR, Role.INSPECTOR)  # who reads the queue and gives verdicts (admin as well)
REPLY_ACTIONS = (Action.REPLY, Action.PEER_RESULT)
VERDICTS = {"confirmed": "确认", "overridden": "推翻"}


def _share_key(key: str) -> float:
    return zlib.crc32(key.encode()) % 10_000 / 10_000


class Quality:  # 质检
    def __init__(self, rules: QualityRules, calendar: WorkingCalendar, orders: Orders) -> None:
        self.rules = rules
        self.inspector = Inspector(rules, calendar)
        self.orders = orders

    # -- what the order records -------------------------------------------------------------------
    @staticmethod
    def facts(session: Session, order: OrderRow, replied_at: datetime | None = None) -> OrderFacts:
        appeal = session.get(AppealRow, order.appeal_id)
        return OrderFacts(kind=order.kind, subject=order.title or "", text=appeal.text if appeal else "",
                          address=(appeal.address or "") if appeal else "", category=order.category_name or "",
                          received_at=appeal.received_at if appeal else order.created_at, replied_at=replied_at)

    # -- call records ------------------------------------------------------------------------------
    def attach_call(self, session: Session, *, number: str, record: CallRecord, actor: Actor, platform: str,
                    now: datetime, source: str = "api") -> InspectionRow:
        """Store the call's record on the order and inspect it; an order keeps one call record."""
        if not record.turns and not record.notes.strip():
            raise InvalidInput("来电记录需要通话转写或话务员记录，两者不能都为空")
        order = get_order(session, number)
        require_view(actor, platform, order)
        if session.scalar(select(CallRecordRow.id).where(CallRecordRow.order_id == order.id)) is not None:
            raise Conflict(f"工单 {number} 已有来电记录")
        appeal = session.get(AppealRow, order.appeal_id)
        operator = record.operator or (appeal.created_by if appeal else None)
        session.add(CallRecordRow(order_id=order.id, transcript=transcript_json(record.turns), notes=record.notes,
                                  hangup_by=record.hangup_by.value if record.hangup_by else None,
                                  operator=operator, source=source, created_by=actor.name, created_at=now))
        return self._store(session, order, self.inspector.call(record, self.facts(session, order)), now,
                           operator=operator)

    def import_calls(self, session: Session, items: list[tuple[str, CallRecord]], *, actor: Actor, platform: str,
                     now: datetime) -> list[InspectionRow]:
        """成批导入: all the records or none (a bad one names its place in the batch)."""
        out = []
        for i, (number, record) in enumerate(items, start=1):
            try:
                out.append(self.attach_call(session, number=number, record=record, actor=actor, platform=platform,
                                            now=now, source="import"))
            except (InvalidInput, NotFound, Conflict) as exc:
                raise type(exc)(f"第 {i} 条（工单 {number}）：{exc.message}") from None
        return out

    # -- replies -----------------------------------------------------------------------------------
    def on_order_event(self, session: Session, event: OrderEvent) -> None:
        if isinstance(event, OrderChanged) and event.action in REPLY_ACTIONS and (event.cmd.note or "").strip():
            self.inspect_reply(session, event.order, event.cmd.note, event.now)

    def inspect_reply(self, session: Session, order: OrderRow, reply: str, now: datetime) -> InspectionRow:
        facts = self.facts(session, order, replied_at=now)
        inspection = self.inspector.reply(reply, facts, copy=self._copy_of(session, order, reply))
        return self._store(session, order, inspection, now, text=reply, fingerprint=fingerprint(reply))

    def _copy_of(self, session: Session, order: OrderRow, reply: str) -> CopyHit | None:
        """The same reply (digits and punctuation aside) stored for another order with a different subject."""
        rows = session.execute(
            select(OrderRow.number, OrderRow.title, AppealRow.text)
            .join(InspectionRow, InspectionRow.order_id == OrderRow.id).join(AppealRow, AppealRow.id == OrderRow.appeal_id)
            .where(InspectionRow.fingerprint == fingerprint(reply), InspectionRow.order_id != order.id)
            .limit(20)).all()
        facts = self.facts(session, order)
        mine = appeal_bigrams(facts.subject, facts.text)
        for number, title, text in rows:
            similarity = appeal_similarity(mine, appeal_bigrams(title or "", text or ""))
            if similarity <= self.rules.params["reply.copy_paste"].max_appeal_similarity:
                return CopyHit(number, 1.0, similarity)
        return None

    # -- storing -----------------------------------------------------------------------------------
    def _store(self, session: Session, order: OrderRow, inspection: Inspection, now: datetime, *,
               operator: str | None = None, text: str = "", fingerprint: str | None = None) -> InspectionRow:
        session.execute(update(InspectionRow).where(InspectionRow.order_id == order.id,
                                                    InspectionRow.record == inspection.record,
                                                    InspectionRow.current.is_(True)).values(current=False))
        local = as_cst(now)
        row = InspectionRow(
            order_id=order.id, record=inspection.record, template=inspection.template, score=inspection.score,
            outcome=inspection.outcome.value, current=True, text=text, fingerprint=fingerprint,
            applied=list(inspection.applied), operator=operator, unit=order.unit if inspection.record == "reply"
            else None, category=order.category_name, region=order.region, day=f"{local:%Y-%m-%d}",
            month=f"{local:%Y-%m}", inspected_at=now, reopened=False,
            sampled=self._sampled(inspection.outcome, f"{order.number}:{inspection.record}:{now.isoformat()}"))
        session.add(row)
        session.flush()
        session.add_all(FindingRow(inspection_id=row.id, rule=f.rule, message=f.message, weight=f.weight,
                                   spans=[span_json(s) for s in f.spans]) for f in inspection.findings)
        return row

    def _sampled(self, outcome: Outcome, key: str) -> bool:
        if outcome is Outcome.FAIL:
            return True
        share = self.rules.review_share if outcome is Outcome.REVIEW else self.rules.pass_share
        return _share_key(key) < share

    # -- people ------------------------------------------------------------------------------------
    def verdict(self, session: Session, *, finding_id: int, verdict: str, note: str | None, actor: Actor,
                platform: str, now: datetime) -> FindingRow:
        """A person confirms (确认) or overrides (推翻) one finding; the last word stands, the finding stays."""
        require_role(actor, *REVIEWERS)
        if verdict not in VERDICTS:
            raise InvalidInput(f"结论只能是 confirmed（确认）或 overridden（推翻），不是「{verdict}」")
        finding = session.get(FindingRow, finding_id)
        if finding is None:
            raise NotFound(f"没有编号为 {finding_id} 的质检发现")
        inspection = session.get(InspectionRow, finding.inspection_id)
        require_view(actor, platform, session.get(OrderRow, inspection.order_id))
        if verdict == "overridden" and not (note or "").strip():
            raise InvalidInput("推翻机器的质检发现时请写明理由")
        finding.verdict, finding.verdict_by, finding.verdict_at, finding.verdict_note = verdict, actor.name, now, note
        open_left = session.scalar(select(FindingRow.id).where(FindingRow.inspection_id == inspection.id,
                                                               FindingRow.verdict.is_(None),
                                                               FindingRow.id != finding.id).limit(1))
        if open_left is None:
            inspection.reviewed_by, inspection.reviewed_at = actor.name, now
        return finding

    def mark_reviewed(self, session: Session, *, inspection_id: int, actor: Actor, platform: str,
                      now: datetime) -> InspectionRow:
        """A sampled record with no findings (or all judged) is marked read."""
        require_role(actor, *REVIEWERS)
        inspection = self._inspection(session, inspection_id, actor, platform)
        inspection.reviewed_by, inspection.reviewed_at = actor.name, now
        return inspection

    def reopen(self, session: Session, *, inspection_id: int, reason: str | None, actor: Actor, platform: str,
               now: datetime) -> OrderRow:
        """重办: a failed reply goes back to its unit through the ordinary lifecycle (the REOPEN row)."""
        inspection = self._inspection(session, inspection_id, actor, platform)
        if inspection.record != "reply":
            raise InvalidInput("只有答复的质检可以退回重办")
        if inspection.outcome != Outcome.FAIL.value:
            raise Conflict("只有质检不合格的答复可以退回重办")
        if not inspection.current:
            raise Conflict("这份答复已被新的答复取代，不能再退回重办")
        if inspection.reopened:
            raise Conflict("这份答复已退回重办")
        rules = session.scalars(select(FindingRow.rule).where(FindingRow.inspection_id == inspection.id,
                                                              FindingRow.verdict.is_distinct_from("overridden")))
        labels = "、".join(dict.fromkeys(RULES[r].label for r in rules)) or "质检不合格"
        note = f"质检不合格退回重办：{labels}" + (f"；{reason.strip()}" if reason and reason.strip() else "")
        order = session.get(OrderRow, inspection.order_id)
        changed = self.orders.act(session, number=order.number, cmd=ActionCommand(Action.REOPEN, note=note,
                                                                                  reason=note), actor=actor,
                                  platform=platform, now=now)
        inspection.reopened = True
        inspection.reviewed_by, inspection.reviewed_at = inspection.reviewed_by or actor.name, \
            inspection.reviewed_at or now
        return changed

    @staticmethod
    def _inspection(session: Session, inspection_id: int, actor: Actor, platform: str) -> InspectionRow:
        inspection = session.get(InspectionRow, inspection_id)
        if inspection is None:
            raise NotFound(f"没有编号为 {inspection_id} 的质检记录")
        require_view(actor, platform, session.get(OrderRow, inspection.order_id))
        return inspection


def span_json(span) -> dict:
    out = {"source": span.source, "start": span.start, "end": span.end, "quote": span.quote}
    if span.turn is not None:
        out["turn"] = span.turn
    return out
