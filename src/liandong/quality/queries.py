"""Reading inspections (质检查询): the sampling queue, one order's findings, roll-ups and precision per rule.

Every figure is one SQL aggregate over `quality_inspections` (grouped on the columns copied there at
inspection time) or `quality_findings`; every listing is scoped by `orders.scope.scope_filter`.
"""

from __future__ import annotations

import re

from sqlalchemy import Float, case, cast, exists, func, select
from sqlalchemy.orm import Session

from liandong.core.actors import ROLE_LABELS, Actor, Role
from liandong.core.errors import InvalidInput
from liandong.orders.scope import require_view, scope_filter
from liandong.orders.service import get_order
from liandong.orders.states import Action, Status, table_for
from liandong.orders.tables import OrderRow
from liandong.quality.model import OUTCOME_LABELS, Outcome
from liandong.quality.rules import RULES
from liandong.quality.tables import CallRecordRow, FindingRow, InspectionRow

GROUPS = {"operator": InspectionRow.operator, "unit": InspectionRow.unit, "category": InspectionRow.category,
          "day": InspectionRow.day, "month": InspectionRow.month}
GROUP_LABELS = {"operator": "话务员", "unit": "承办单位", "category": "分类", "day": "日", "month": "月"}
_OUTCOME_ORDER = case((InspectionRow.outcome == "fail", 0), (InspectionRow.outcome == "review", 1), else_=2)


def _inspection_json(row: InspectionRow, number: str, title: str, open_findings: int | None = None) -> dict:
    return {"id": row.id, "order": number, "title": title, "record": row.record, "template": row.template,
            "score": row.score, "outcome": row.outcome, "outcome_label": OUTCOME_LABELS[Outcome(row.outcome)],
            "operator": row.operator, "unit": row.unit, "category": row.category,
            "inspected_at": row.inspected_at.isoformat(), "reviewed_by": row.reviewed_by,
            "reviewed_at": row.reviewed_at.isoformat() if row.reviewed_at else None, "reopened": row.reopened,
            "current": row.current, **({"open_findings": open_findings} if open_findings is not None else {})}


def queue(session: Session, actor: Actor, platform: str, *, record: str | None = None, limit: int = 50,
          offset: int = 0) -> dict:
    """抽查队列: sampled, not yet read — fails first, then reviews, then passes; oldest first within each."""
    cond = [InspectionRow.sampled.is_(True), InspectionRow.reviewed_at.is_(None), InspectionRow.current.is_(True),
            scope_filter(actor, platform)]
    if record is not None:
        if record not in ("call", "reply"):
            raise InvalidInput("record 只能是 call（来电）或 reply（答复）")
        cond.append(InspectionRow.record == record)
    base = select(InspectionRow.id).join(OrderRow, OrderRow.id == InspectionRow.order_id).where(*cond)
    total = session.scalar(select(func.count()).select_from(base.subquery()))
    open_count = (select(func.count(FindingRow.id)).where(FindingRow.inspection_id == InspectionRow.id,
                                                          FindingRow.verdict.is_(None)).scalar_subquery())
    rows = session.execute(
        select(InspectionRow, OrderRow.number, OrderRow.title, open_count)
        .join(OrderRow, OrderRow.id == InspectionRow.order_id).where(*cond)
        .order_by(_OUTCOME_ORDER, InspectionRow.inspected_at, InspectionRow.id).limit(limit).offset(offset)).all()
    return {"total": total, "items": [_inspection_json(r, n, t, c) for r, n, t, c in rows]}


def awaiting_reopen(session: Session, actor: Actor, platform: str, *, limit: int = 50, offset: int = 0) -> dict:
    """待重办: failed current replies whose machine finding a person has upheld (at least one finding
    confirmed), not yet sent back, on orders still 已答复. A 质检员 confirms but may not send back (the
    lifecycle's 重办 row is the dispatcher's and supervisor's): this is where their verdict reaches the
    supervisor once the record has left the sampling queue."""
    upheld = exists().where(FindingRow.inspection_id == InspectionRow.id, FindingRow.verdict == "confirmed")
    cond = [InspectionRow.record == "reply", InspectionRow.outcome == "fail", InspectionRow.current.is_(True),
            InspectionRow.reopened.is_(False), upheld, OrderRow.status == Status.REPLIED.value,
            scope_filter(actor, platform)]
    base = select(InspectionRow.id).join(OrderRow, OrderRow.id == InspectionRow.order_id).where(*cond)
    total = session.scalar(select(func.count()).select_from(base.subquery()))
    rows = session.execute(
        select(InspectionRow, OrderRow.number, OrderRow.title).join(OrderRow, OrderRow.id == InspectionRow.order_id)
        .where(*cond).order_by(InspectionRow.inspected_at, InspectionRow.id).limit(limit).offset(offset)).all()
    return {"total": total, "items": [_inspection_json(r, n, t) for r, n, t in rows]}


def reopen_roles(order: OrderRow) -> list[Role]:
    """Who may send this order back (重办) where it stands now — read from the lifecycle's table, the one
    place that says it (the system's automatic reopening of a bad rating left out)."""
    rule = table_for(order.platform).get((Status(order.status), Action.REOPEN))
    return [] if rule is None else [r for r in Role if r in rule.roles and r is not Role.SYSTEM]


def _may_reopen(row: InspectionRow, roles: list[Role], actor: Actor) -> bool:
    return (row.record == "reply" and row.outcome == Outcome.FAIL.value and row.current and not row.reopened
            and actor.role in roles)


def _findings(session: Session, inspection_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {i: [] for i in inspection_ids}
    for f in session.scalars(select(FindingRow).where(FindingRow.inspection_id.in_(inspection_ids))
                             .order_by(FindingRow.id)):
        out[f.inspection_id].append({
            "id": f.id, "rule": f.rule, "label": RULES[f.rule].label if f.rule in RULES else f.rule,
            "message": f.message, "weight": f.weight, "spans": f.spans, "verdict": f.verdict,
            "verdict_by": f.verdict_by, "verdict_note": f.verdict_note})
    return out


def order_quality(session: Session, actor: Actor, platform: str, number: str) -> dict:
    """One order's call record and current inspections with their findings (and the history's size)."""
    order = get_order(session, number)
    require_view(actor, platform, order)
    call = session.scalar(select(CallRecordRow).where(CallRecordRow.order_id == order.id))
    rows = list(session.scalars(select(InspectionRow).where(InspectionRow.order_id == order.id)
                                .order_by(InspectionRow.inspected_at.desc(), InspectionRow.id.desc())))
    current = [r for r in rows if r.current]
    findings = _findings(session, [r.id for r in current])
    roles = reopen_roles(order)
    return {
        "order": order.number, "title": order.title, "status": order.status,
        "reopen_by": "、".join(ROLE_LABELS[r] for r in roles),
        "call": None if call is None else {"transcript": call.transcript, "notes": call.notes,
                                           "hangup_by": call.hangup_by, "operator": call.operator,
                                           "source": call.source},
        "inspections": [_inspection_json(r, order.number, order.title) | {"text": r.text, "applied": r.applied,
                                                                          "findings": findings[r.id],
                                                                          "may_reopen": _may_reopen(r, roles, actor)}
                        for r in current],
        "history": len(rows) - len(current),
    }


def rollup(session: Session, actor: Actor, platform: str, *, by: str, record: str | None = None,
           since: str | None = None, until: str | None = None, limit: int = 100) -> list[dict]:
    """汇总: per operator / unit / category / day / month — count, mean score, fails, reviews, reopened."""
    if by not in GROUPS:
        raise InvalidInput(f"汇总维度只能是：{'、'.join(f'{k}（{v}）' for k, v in GROUP_LABELS.items())}")
    key = GROUPS[by]
    cond = [InspectionRow.current.is_(True), scope_filter(actor, platform), key.is_not(None)]
    if record is not None:
        cond.append(InspectionRow.record == record)
    if since:
        cond.append(InspectionRow.day >= since)
    if until:
        cond.append(InspectionRow.day <= until)
    fails = func.sum(case((InspectionRow.outcome == "fail", 1), else_=0))
    rows = session.execute(
        select(key, func.count(InspectionRow.id), func.avg(InspectionRow.score), fails,
               func.sum(case((InspectionRow.outcome == "review", 1), else_=0)),
               func.sum(case((InspectionRow.reopened.is_(True), 1), else_=0)))
        .join(OrderRow, OrderRow.id == InspectionRow.order_id).where(*cond).group_by(key)
        .order_by(func.avg(InspectionRow.score).desc(), key).limit(limit)).all()
    return [{"key": k, "count": n, "mean_score": round(float(avg), 1), "fails": int(f), "reviews": int(r),
             "fail_rate": round(int(f) / n, 3), "reopened": int(ro)} for k, n, avg, f, r, ro in rows]


def precision(session: Session, actor: Actor, platform: str) -> list[dict]:
    """The machine's precision per rule, from the people's verdicts: confirmed / (confirmed + overridden)."""
    confirmed = func.sum(case((FindingRow.verdict == "confirmed", 1), else_=0))
    judged = func.count(FindingRow.verdict)
    rows = session.execute(
        select(FindingRow.rule, func.count(FindingRow.id), judged, confirmed,
               cast(confirmed, Float) / func.nullif(judged, 0))
        .join(InspectionRow, InspectionRow.id == FindingRow.inspection_id)
        .join(OrderRow, OrderRow.id == InspectionRow.order_id)
        .where(scope_filter(actor, platform)).group_by(FindingRow.rule).order_by(FindingRow.rule)).all()
    return [{"rule": rule, "label": RULES[rule].label if rule in RULES else rule, "findings": n, "judged": j,
             "confirmed": int(c or 0), "overridden": j - int(c or 0),
             "precision": round(float(p), 3) if p is not None else None} for rule, n, j, c, p in rows]


_DIGITS = re.compile(r"\d{7,}")


def _mask(text: str) -> str:
    """A phone number read back in a call keeps its length (spans stay valid) but not its middle digits."""
    return _DIGITS.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 7) + m.group()[-4:], text)


def masked(view: dict) -> dict:
    """`order_quality` with citizens' numbers masked in the transcript, the notes, the replies and the quotes."""
    if view["call"] is not None:
        view["call"]["transcript"] = [t | {"text": _mask(t["text"])} for t in view["call"]["transcript"]]
        view["call"]["notes"] = _mask(view["call"]["notes"])
    for inspection in view["inspections"]:
        inspection["text"] = _mask(inspection["text"])
        for finding in inspection["findings"]:
            finding["spans"] = [s | {"quote": _mask(s["quote"])} for s in finding["spans"]]
    return view
