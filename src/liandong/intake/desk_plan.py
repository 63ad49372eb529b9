"""The order plan between separate desks (平台互通): which orders stay here, which peers are told.

`plan_orders` (pure) assumes one process holds 12345 and 110. When a platform is a peer desk
instead, `desk_plan` keeps the orders this desk holds and turns the rest into transfers with a
purpose (linkage rules, `cities/<city>/linkage.yaml`):

    4 emergencies at 12345      12345 dispatches departments; transfer to 110 (handle: 110 acts first)
    4 emergencies at 110        110 acts; transfer to 12345 (coordinate: departments in parallel)
    119 / 120 beside            transfer (notify) to each configured emergency desk
    较大 and above (分级响应)    110 acts first, 12345 is notified to coordinate — whichever is missing
    重大 / 特别重大              an escalation notice to the city command, recorded on the order
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from liandong.intake.plan import OrderPlan
from liandong.orders import exchange_out as out
from liandong.orders.model import Actor
from liandong.orders.tables import OrderRow


@dataclass(frozen=True)
class PeerSend:  # 通报对端
    target: str
    purpose: str  # handle | coordinate | notify | mediation
    reason: str


def desk_plan(plan: OrderPlan, ctx, *, level: str) -> tuple[OrderPlan, list[PeerSend], bool]:
    """(the plan of this desk's orders, transfers to send from its primary order, whether to escalate)."""
    ex = out.exchange_of(ctx)
    if ex is None:
        return plan, [], False
    local, sends = ctx.local_platforms, []
    if plan.parallel and plan.primary not in local and out.can_send(ctx, plan.primary):
        sends.append(PeerSend(plan.primary, "handle", "突发事件，110先行处置，12345同步派单职能部门"))
        plan = replace(plan, primary=plan.parallel, parallel=None)
    elif plan.parallel and plan.parallel not in local and out.can_send(ctx, plan.parallel):
        sends.append(PeerSend(plan.parallel, "coordinate", "突发事件，110先行处置，请12345同步派单职能部门联合处置"))
        plan = replace(plan, parallel=None)
    told = tuple(p for p in plan.notify if out.can_send(ctx, p))
    if told:
        sends += [PeerSend(p, "notify", "紧急救助事项，请先行处置") for p in told]
        plan = replace(plan, notify=tuple(p for p in plan.notify if p not in told))
    rule = ex.rules.levels[out.LEVELS.get(level, out.LEVELS["一般"])]
    involved = {plan.primary, plan.transfer_to, plan.parallel} | {s.target for s in sends}
    if rule.police_first and "110" not in involved and out.can_send(ctx, "110"):
        sends.append(PeerSend("110", "handle", f"{level}事件，由110先行处置"))
    if rule.notify_12345 and "12345" not in involved and out.can_send(ctx, "12345"):
        sends.append(PeerSend("12345", "coordinate", f"{level}事件，通知12345协调有关部门联合处置"))
    return plan, sends, rule.escalate


def send_to_peers(session: Session, ctx, *, order: OrderRow, sends: list[PeerSend], escalate: bool, actor: Actor,
                  now: datetime) -> None:
    """Queue the plan's transfers and escalation from `order`, in the intake transaction."""
    for s in sends:
        out.send_notice_transfer(session, ctx, order=order, target=s.target, purpose=s.purpose, actor=actor, now=now,
                                 reason=s.reason)
    if escalate:
        out.escalate(session, ctx, order=order, now=now, actor=actor, summary=order.title)
