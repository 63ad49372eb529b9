"""Supervisors' views (督办): warnings, overdue, chases, bounces, repeats, mass complaints; one check on demand."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy import String, and_, cast, func, select

from liandong.api.deps import Ctx, CurrentCaller
from liandong.auth.service import require_role, require_view, scope_filter
from liandong.intake.tables import AppealRow
from liandong.orders import present
from liandong.orders import service as orders
from liandong.orders.schemas import OrderPage
from liandong.orders.states import Role
from liandong.orders.tables import OrderRow
from liandong.supervision.bounces import detect_bounce
from liandong.supervision.service import bounce_chain, run_checks

router = APIRouter(tags=["督办 supervision"])
SUPERVISING = (Role.SUPERVISOR, Role.DISPATCHER)
Kind = Literal["warning", "overdue", "chased", "supervised", "bounce", "repeat", "repeat_unresolved", "mass", "harass", "review"]


def _kind_filter(kind: str):
    flags = cast(OrderRow.flags, String)
    return {
        "warning": OrderRow.warning == "yellow",
        "overdue": OrderRow.warning == "red",
        "chased": OrderRow.urge_count > 0,
        "supervised": OrderRow.supervised.is_(True),
        "review": and_(OrderRow.review.is_(True), OrderRow.status == "received"),
    }.get(kind, flags.like(f'%"{kind}"%'))


@router.get("/supervision/orders", response_model=OrderPage, summary="督办清单：预警、超期、催办、推诿、重复来电、群诉、骚扰")
def supervision_list(ctx: Ctx, caller: CurrentCaller, kind: Kind,
                     page: Annotated[int, Query(ge=1)] = 1, page_size: Annotated[int, Query(ge=1, le=200)] = 20) -> OrderPage:
    require_role(caller.actor, *SUPERVISING)
    where = and_(scope_filter(caller.actor, caller.platform), _kind_filter(kind))
    with ctx.read() as session:
        total = session.scalar(select(func.count()).select_from(OrderRow).where(where)) or 0
        rows = session.execute(select(OrderRow, AppealRow).join(AppealRow, AppealRow.id == OrderRow.appeal_id).where(where)
                               .order_by(OrderRow.created_at.desc()).limit(page_size).offset((page - 1) * page_size)).all()
        items = [present.summary(o, a, ctx.city) for o, a in rows]
    return OrderPage(items=items, total=total, page=page, page_size=page_size)


@router.get("/supervision/overview", summary="督办概览")
def overview(ctx: Ctx, caller: CurrentCaller) -> dict:
    require_role(caller.actor, *SUPERVISING)
    scope = scope_filter(caller.actor, caller.platform)
    out = {}
    with ctx.read() as session:
        for kind in Kind.__args__:  # type: ignore[attr-defined]
            out[kind] = session.scalar(select(func.count()).select_from(OrderRow).where(and_(scope, _kind_filter(kind)))) or 0
    return out


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
        lead = order.lead_order or (order.number if "mass_lead" in (order.flags or []) else None)
        members = []
        if lead:
            members = list(session.scalars(select(OrderRow.number).where(OrderRow.lead_order == lead).order_by(OrderRow.id)))
        appeal = session.get(AppealRow, order.appeal_id)
        repeats = [r["order_id"] for r in (appeal.routing or {}).get("related", []) if r["relation"] == "repeat"]
    return {"order_id": number, "lead_order": lead, "mass_members": members, "mass_count": len(members) + (1 if lead else 0),
            "repeat_of": repeats, "flags": list(order.flags or [])}


@router.post("/supervision/run", summary="立即执行一轮督办检查（预警、催办、督办）")
def run_now(ctx: Ctx, caller: CurrentCaller) -> dict:
    require_role(caller.actor, Role.SUPERVISOR)
    return asdict(run_checks(ctx, ctx.clock.now()))
