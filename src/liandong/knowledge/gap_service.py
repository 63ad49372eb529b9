"""知识点下派 as work: gaps found in the orders, clustered, each sent to its department as a work order.

The task is an ordinary 12345 work order opened through intake and dispatched to the unit serving the
category, so the supervision machinery's working-day deadlines, warnings and chasing apply unchanged;
the department answers it by drafting an entry (`gap_id`), which enters review at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor
from liandong.core.errors import Conflict, Forbidden, NotFound
from liandong.core.types import Channel
from liandong.intake.schemas import AppealCreate
from liandong.intake.service import Intake
from liandong.knowledge.gaps import GapItem, cluster
from liandong.knowledge.tables import KnowledgeGapOrderRow, KnowledgeGapRow
from liandong.orders.tables import OrderRow
from liandong.routing.decision import RoutingDecision

CONSULTATION = "咨询"
TASK_CATEGORY = "知识点下派"


def gap_items(session: Session, *, since: datetime) -> list[GapItem]:
    """Consultations since `since` answered on the call without an entry, or from one that did not solve it."""
    no_entry = and_(OrderRow.knowledge_entry.is_(None), OrderRow.dispatched_at.is_(None),
                    OrderRow.replied_at.is_not(None))
    unsolved = and_(OrderRow.knowledge_entry.is_not(None), OrderRow.satisfied.is_(False))
    rows = session.execute(
        select(OrderRow.number, AppealRow.text, OrderRow.category_name, OrderRow.unit_function,
               OrderRow.knowledge_entry)
        .join(AppealRow, AppealRow.id == OrderRow.appeal_id)
        .outerjoin(KnowledgeGapOrderRow, KnowledgeGapOrderRow.order_number == OrderRow.number)
        .where(OrderRow.kind == CONSULTATION, OrderRow.created_at >= since, KnowledgeGapOrderRow.gap_id.is_(None),
               or_(no_entry, unsolved))
        .order_by(OrderRow.created_at, OrderRow.id)).all()
    return [GapItem(r.number, r.text, r.category_name, r.unit_function, "unsolved" if r.knowledge_entry else "no_entry")
            for r in rows]


def dispatch_gaps(session: Session, intake: Intake, *, since: datetime, actor: Actor, platform: str,
                  now: datetime) -> list[KnowledgeGapRow]:
    """One task (a work order dispatched to the department) per cluster of gaps; returns the new tasks."""
    made = []
    for c in cluster(gap_items(session, since=since)):
        questions = [i.text[:200] for i in c.items]
        text = (f"【知识点下派】{len(questions)} 位来电人咨询的以下问题，知识库暂无有效口径，请起草答复口径并提交审核：\n"
                + "\n".join(f"{n}. {q}" for n, q in enumerate(questions[:10], 1)))
        routing = RoutingDecision(services=("12345",), category_code=None, category_name=TASK_CATEGORY,
                                  category_group=c.category, category_list="12345", kind="建议",
                                  unit_function=c.unit_function, level="一般", confidence=1.0,
                                  reasons=[f"知识点下派：{c.category or '未分类'}"])
        body = AppealCreate(channel=Channel.DESK_12345, text=text[:5000])
        routing = routing.with_unit(_unit(intake, c.unit_function) if c.unit_function else None)
        _, orders = intake.submit(session, body, actor=actor, platform=platform, now=now, routing=routing)
        gap = KnowledgeGapRow(order_number=orders[0].number, unit=orders[0].unit or routing.unit, category=c.category,
                              questions=questions, size=len(questions), state="open", created_at=now)
        session.add(gap)
        session.flush()
        session.add_all(KnowledgeGapOrderRow(order_number=i.order, gap_id=gap.id) for i in c.items)
        made.append(gap)
    return made


def _unit(intake: Intake, function: str) -> str | None:
    unit = intake.city.unit_for(function, None)
    return unit.code if unit else None


def list_gaps(session: Session, *, state: str | None = None, limit: int = 200) -> list[KnowledgeGapRow]:
    stmt = select(KnowledgeGapRow).order_by(KnowledgeGapRow.id.desc()).limit(limit)
    return list(session.scalars(stmt.where(KnowledgeGapRow.state == state) if state else stmt))


def take_gap(session: Session, gap_id: int, actor: Actor) -> KnowledgeGapRow:
    """The open gap a draft answers; only its department (or a reviewer) may answer it."""
    gap = session.get(KnowledgeGapRow, gap_id, with_for_update=True)
    if gap is None:
        raise NotFound(f"知识点下派任务 {gap_id} 不存在")
    if gap.state != "open":
        raise Conflict(f"知识点下派任务 {gap_id} 已有口径草稿（条目 {gap.entry_id}）")
    if actor.unit is not None and gap.unit is not None and actor.unit != gap.unit:
        raise Forbidden("该知识点下派任务不属于本单位")
    return gap
