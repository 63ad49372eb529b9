"""Demo call records on the demo desk's orders (演示来电记录): `make demo` attaches one to most 12345 orders.

Each transcript is about the order's own words at its own address; about a third of each element is
faulty (no 工号, no read-back, a forbidden word, a long pause, the operator hanging up first…), so the
质检台 has fails, reviews and passes to show. The operator's number comes from the user who took it.
"""

from __future__ import annotations

import random

from sqlalchemy import select

from liandong.appeals.tables import AppealRow
from liandong.core.actors import SYSTEM
from liandong.core.types import Platform
from liandong.demo.quality_calls import generate_call
from liandong.orders.tables import OrderRow
from liandong.quality.model import CallRecord, Speaker, parse_transcript
from liandong.quality.tables import CallRecordRow


def seed_call_records(ctx, *, seed: int = 7, share: float = 0.8, limit: int = 500) -> str:
    """Attach generated call records to the 12345 orders that have none; the line to print."""
    rng = random.Random(seed)
    with ctx.write() as session:
        rows = session.execute(
            select(OrderRow, AppealRow).join(AppealRow, AppealRow.id == OrderRow.appeal_id)
            .outerjoin(CallRecordRow, CallRecordRow.order_id == OrderRow.id)
            .where(OrderRow.platform == Platform.GOV, CallRecordRow.id.is_(None))
            .order_by(OrderRow.id).limit(limit)).all()
        outcomes: dict[str, int] = {}
        for order, appeal in rows:
            if rng.random() > share:
                continue
            call = generate_call(rng, operator_no=str(3000 + rng.randrange(40)), place=appeal.address or None,
                                 issue=appeal.text[:80], kind=order.kind, bad_share=0.15)
            record = CallRecord(parse_transcript(call.transcript), hangup_by=Speaker(call.hangup_by),
                                operator=appeal.created_by)
            row = ctx.quality.attach_call(session, number=order.number, record=record, actor=SYSTEM,
                                          platform=Platform.GOV, now=ctx.clock.now(), source="import")
            outcomes[row.outcome] = outcomes.get(row.outcome, 0) + 1
    return (f"质检：为 {sum(outcomes.values())} 张工单生成来电记录并质检——合格 {outcomes.get('pass', 0)}、"
            f"待复核 {outcomes.get('review', 0)}、不合格 {outcomes.get('fail', 0)}（见控制台「质检台」）")
