"""Supervisors' views (督办): warnings, overdue, chases, bounces, repeats, mass complaints; one check on demand."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from liandong.api.contract import errors
from liandong.api.deps import Ctx, CurrentCaller
from liandong.api.paging import Paging
from liandong.appeals.tables import AppealRow
from liandong.core.actors import Role, require_role
from liandong.orders import present
from liandong.orders import service as orders
from liandong.orders.schemas import OrderPage
from liandong.orders.scope import require_view
from liandong.supervision import queries
from liandong.supervision.bounces import detect_bounce
from liandong.supervision.service import bounce_chain

router = APIRouter(tags=["督办 supervision"], responses=errors(403))  # by role, or an order out of scope
SUPERVISING = (Role.SUPERVISOR, Role.DISPATCHER)


@router.get("/supervision/orders", response_model=OrderPage, summary="督办清单：预警、超期、催办、推诿、重复来电、群诉、骚扰")
def supervision_list(ctx: Ctx, caller: CurrentCaller, kind: queries.Kind, paged: Paging) -> OrderPage:
    require_role(caller.actor, *SUPERVISING)
    with ctx.read() as session:
        rows, total = queries.list_kind(session, caller.actor, caller.platform, kind, page=paged.page,
                                        page_size=paged.page_size)
        items = [present.summary(o, a, ctx.city) for o, a in rows]
    return OrderPage(items=items, total=total, page=paged.page, page_size=paged.page_size)


@router.get("/supervision/overview", summary="督办概览")
def overview(ctx: Ctx, caller: CurrentCaller) -> dict:
    require_role(caller.actor, *SUPERVISING)
    with ctx.read() as session:
        return queries.overview(session, caller.actor, caller.platform)


@router.get("/orders/{number}/chain", summary="流转链（推诿研判）")
def order_chain(number: str, ctx: Ctx, caller: CurrentCaller) -> dict:
    with ctx.read() as session:
        order = orders.get_order(session, number)
        require_view(caller.actor, caller.platform, order)
        b = ctx.time_policy.bounce
        report = detect_bounce(bounce_chain(session, order), max_transfers=b.max_transfers, max_returns=b.max_returns)
    units = ctx.city.units
    return {
        "order_id": number, "flagged": report.flagged, "transfers": report.transfers, "returns": report.returns,
        "reasons": list(report.reasons),
        "chain": [{"step": link.step, "kind": link.event.kind.value, "unit": link.event.unit,
                   "unit_name": units[link.event.unit].name if link.event.unit in units else link.event.unit,
                   "at": link.event.at.isoformat(), "transfer": link.transfer, "note": link.event.note}
                  for link in report.chain],
    }


@router.get("/orders/{number}/related", summary="关联工单：群诉主单与成员、重复来电")
def order_related(number: str, ctx: Ctx, caller: CurrentCaller) -> dict:
    with ctx.read() as session:
        order = orders.get_order(session, number)
        require_view(caller.actor, caller.platform, order)
        appeal = session.get(AppealRow, order.appeal_id)
        return {"order_id": number, **queries.related_of(session, order, appeal), "flags": present.marks(order)}


@router.post("/supervision/run", summary="立即执行一轮督办检查（预警、催办、督办）")
def run_now(ctx: Ctx, caller: CurrentCaller) -> dict:
    require_role(caller.actor, Role.SUPERVISOR)
    return asdict(ctx.supervision.run_checks(ctx.write, ctx.clock.now()))
