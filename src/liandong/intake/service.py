"""Intake (受理): check an appeal, route it, store it and open its orders, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow, add_appeal
from liandong.core.actors import SYSTEM, Actor
from liandong.core.clock import as_cst
from liandong.core.errors import InvalidInput
from liandong.core.ids import new_id
from liandong.core.masking import caller_key
from liandong.intake.schemas import LATEST_AHEAD_S, AppealCreate, sane_received_at
from liandong.linkage.service import Linkage
from liandong.orders.model import ActionCommand
from liandong.orders.service import Orders, get_order, opened_order
from liandong.orders.states import Action, Status, allowed_actions
from liandong.orders.tables import OrderRow
from liandong.regions.places import Gazetteer
from liandong.regions.registry import CityRegistry
from liandong.routing.decision import RoutingDecision
from liandong.routing.text import validate
from liandong.storage.ids import this_transaction
from liandong.supervision.related_service import RelatedFinder, RelatedOutcome, probe


class Router(Protocol):  # 分流引擎
    def route_many(self, items: list[dict]) -> list[RoutingDecision]: ...


class Suggester(Protocol):  # 知识库 (knowledge.service.Knowledge)
    def search(self, text: str, *, region: str | None = None, public_only: bool = False, limit: int = 3,
               now=None) -> list: ...

    def record_use(self, session: Session, entry_id: str, version: int): ...


class SurgeDesk(Protocol):  # 话务激增 (knowledge.surge_service.Surge)
    def on_intake(self, session: Session, *, channel: str, services, kind: str, text: str, region: str | None,
                  now: datetime): ...


CONSULTATION = "咨询"


@dataclass
class Intake:  # 受理
    city: CityRegistry
    router: Router
    orders: Orders
    linkage: Linkage
    related: RelatedFinder
    phone_salt: str
    places: Gazetteer  # 地名库 for 属地 when the operator gives no region code
    knowledge: Suggester | None = None  # 即问即答: suggestions stored with the routing of a consultation
    surge: SurgeDesk | None = None  # 话务激增: link to the incident, answer self-service consultations
    _leads_marked: set[str] = field(default_factory=set, init=False, repr=False)  # committed 群诉 leads

    def committed(self, orders: list[OrderRow]) -> None:
        """After a commit: what the next appeals need not read again — the first order of each new appeal
        (what a repeat or 群诉 finding names) and the 群诉 leads now marked (a mark is never taken back)."""
        self.related.first_orders.remember(orders)
        if len(self._leads_marked) > 100_000:
            self._leads_marked.clear()
        self._leads_marked.update(o.lead_order for o in orders if o.lead_order)
        self._leads_marked.update(o.number for o in orders if o.mass_lead)

    def check(self, body: AppealCreate, *, now: datetime) -> None:
        """Everything that can refuse an appeal (422), checked before it is queued or stored."""
        if body.region:
            self.city.region(body.region)
        if body.received_at and (as_cst(body.received_at) - now).total_seconds() > LATEST_AHEAD_S:
            raise InvalidInput(f"受理时间不能晚于当前时间（最多允许超前 {LATEST_AHEAD_S // 60} 分钟）")
        if body.received_at:
            sane_received_at(body.received_at)  # a body built in code, not parsed, gets the same bound
        validate(body.text, body.channel.value)

    def route(self, bodies: list[AppealCreate]) -> list[RoutingDecision]:
        """Route checked appeals in one model call, each with the unit that serves its place."""
        decisions = self.router.route_many([{"text": b.text, "channel": b.channel.value, "region": b.region}
                                            for b in bodies])
        out = []
        for body, decision in zip(bodies, decisions):
            place = None if body.region else self.places.resolve(body.text, body.address)
            region = body.region or (place.region if place else None)
            unit = self.city.unit_for(decision.unit_function, region) if decision.unit_function else None
            out.append(decision.with_unit(unit.code if unit else None, place.to_dict() if place else None))
        return out

    def prefetch_related(self, session: Session, bodies: list[AppealCreate], now: datetime,
                         routings: list[RoutingDecision]) -> None:
        """Before a batch: its appeals' repeat/mass candidates in a few queries (see `RelatedFinder.prefetch`)."""
        self.related.prefetch(session, [
            probe(b.text, caller_key(b.caller.phone, self.phone_salt), b.region or (r.place or {}).get("region"),
                  {"category_code": r.category_code, "category_list": r.category_list},
                  as_cst(b.received_at) if b.received_at else now)
            for b, r in zip(bodies, routings)])

    def submit(self, session: Session, body: AppealCreate, *, actor: Actor, platform: str, now: datetime,
               routing: RoutingDecision | None = None, appeal_id: str | None = None) -> tuple[AppealRow, list[OrderRow]]:
        """Store the appeal and open its orders; `routing` comes from `route` (routed here if absent)."""
        if routing is None:
            self.check(body, now=now)
            routing = self.route([body])[0]
        stored = routing.to_dict()
        if self.knowledge is not None and routing.kind == CONSULTATION:
            region = body.region or (routing.place or {}).get("region")
            stored["knowledge"] = [h.to_dict() for h in self.knowledge.search(body.text, region=region, now=now)]
        appeal = AppealRow(
            id=appeal_id or new_id(), channel=body.channel.value,
            received_at=as_cst(body.received_at) if body.received_at else now, caller_name=body.caller.name,
            caller_phone=body.caller.phone, caller_key=caller_key(body.caller.phone, self.phone_salt), text=body.text,
            address=body.address, region=body.region or (routing.place or {}).get("region"), attachments=[a.model_dump() for a in body.attachments],
            routing=stored, created_by=actor.name, created_at=now,
        )
        add_appeal(session, appeal)
        related = self.related.examine(session, appeal, now)
        if related.related:
            appeal.routing = {**stored, "related": related.related}
        plan = self.linkage.plan(routing.services, platform, level=routing.level,
                                 review=routing.review or related.to_supervisor, now=now)
        orders = plan.orders
        answer = (body.answer or "").strip()
        entry = (body.knowledge_entry, body.knowledge_version) if body.knowledge_entry else None
        lead, hit = (None, None) if self.surge is None else self.surge.on_intake(
            session, channel=body.channel.value, services=routing.services, kind=routing.kind, text=body.text,
            region=appeal.region, now=now)
        if hit is not None and not answer and _answerable(orders, plan, actor):  # 话务激增：自动答复
            answer, entry = hit.answer, (hit.entry_id, hit.version)
        if answer:
            _check_answerable(orders, plan, actor)
        primary = self.orders.open(session, appeal=appeal, platform=orders.primary, routing=routing, actor=actor, now=now)
        opened = [primary]
        primary.notified = list(orders.notify)
        if orders.transfer_to:
            self.orders.act(session, number=primary.number, platform=platform, now=now, actor=SYSTEM,
                            check_scope=False, order=primary,
                            cmd=ActionCommand(Action.TRANSFER, target=orders.transfer_to, note="按分流结果一键转办"))
            if primary.peer_order_id:
                opened.append(get_order(session, primary.peer_order_id))
        if orders.parallel:
            parallel = self.orders.open(session, appeal=appeal, platform=orders.parallel, routing=routing, actor=actor,
                                        now=now, note=f"紧急事项：110先期处置，同步派发相关部门（关联{primary.number}）")
            parallel.linked_order = primary.number
            primary.linked_order = parallel.number
            opened.append(parallel)
        _mark_related(session, opened, related, self._leads_marked)
        if lead and lead != primary.number:  # 话务激增: the incident's appeals on its lead order
            primary.lead_order, primary.mass = lead, True
        if answer and entry and self.knowledge is not None:  # answered from this entry's version
            self.knowledge.record_use(session, *entry)
            primary.knowledge_entry, primary.knowledge_version = entry
        if answer:  # 即问即答: answered on the call, RECEIVED → REPLY, nothing to dispatch
            self.orders.act(session, number=primary.number, platform=platform, now=now, actor=actor, order=primary,
                            check_scope=False, cmd=ActionCommand(Action.REPLY, note=answer))
        elif orders.auto_dispatch:
            for order in opened:
                if order.status == Status.RECEIVED.value:
                    self.orders.auto_dispatch(session, order, routing.unit_function, now)
        if plan.sends or plan.escalate:
            self.linkage.send_plan(session, order=primary, plan=plan, actor=actor, now=now)
        return appeal, opened


def _answerable(orders, plan, actor: Actor) -> bool:
    return not (orders.transfer_to or orders.parallel or plan.sends) and \
        Action.REPLY in allowed_actions(orders.primary, Status.RECEIVED, actor.role)


def _check_answerable(orders, plan, actor: Actor) -> None:
    """即问即答 only for an appeal that stays one live order here and that this role may answer (the table)."""
    if orders.transfer_to or orders.parallel or plan.sends:
        raise InvalidInput("该诉求需要派单或转办处置，不能当场答复：请提交后告知来电人工单编号")
    if Action.REPLY not in allowed_actions(orders.primary, Status.RECEIVED, actor.role):
        raise InvalidInput("当前平台或角色不能当场答复（即问即答）")


def _mark_related(session: Session, opened: list[OrderRow], related: RelatedOutcome, marked: set[str]) -> None:
    """Write the repeat / mass / harassment findings on the new orders (and the mass lead)."""
    for order in opened:
        order.repeat_call = related.repeat_call.value if related.repeat_call else order.repeat_call
        order.mass = order.mass or related.mass
        order.harass = order.harass or related.harass
        if related.to_supervisor:
            order.review = True
        if related.lead_order and related.lead_order != order.number:
            order.lead_order = related.lead_order
    if related.lead_order and related.lead_order not in marked:
        _mark_lead(session, related.lead_order)


def _mark_lead(session: Session, number: str) -> None:
    """Mark the 群诉 lead without touching its version: a system mark must neither fail this intake nor
    invalidate what a person is doing on the lead order. One UPDATE that matches nothing once the mark is
    set, sent once for all the leads of a transaction as it commits (a batch often holds several clusters);
    a lead this process has seen marked and committed (`Intake.committed`) is not asked again."""
    opened = opened_order(session, number)
    if opened is not None:  # opened in this very transaction (the same intake batch): not yet stored
        opened.mass_lead = True
        return
    this = this_transaction(session, "mass_leads_marked")
    if not this:
        event.listen(session, "before_commit", lambda s: _mark_leads(s, list(this)), once=True)
    this[number] = True


def _mark_leads(session: Session, numbers: list[str]) -> None:
    """The transaction's 群诉 leads in one UPDATE, as it commits (after the batch's INSERTs)."""
    session.execute(update(OrderRow).where(OrderRow.number.in_(numbers), OrderRow.mass_lead.is_not(True))
                    .values(mass_lead=True).execution_options(synchronize_session=False))
