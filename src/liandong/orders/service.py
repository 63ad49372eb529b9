"""Use cases on orders: open them for an appeal, act on them, note what happened on them, read them.

Every method takes the session of the caller's transaction; nothing here commits. A change of state,
its audit event and whatever the listeners do in reaction (`orders.events`) happen in that one
transaction. `_write_event` is the only writer of the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from datetime import datetime
from typing import Mapping, Protocol

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from liandong.appeals.tables import AppealRow
from liandong.core.actors import SYSTEM, Actor
from liandong.core.errors import NotFound, StaleUpdate
from liandong.core.ids import order_number
from liandong.core.types import Level
from liandong.orders import audit
from liandong.orders.events import Listener, OrderChanged, OrderEvent, OrderOpened
from liandong.orders.model import SATISFACTION_SCALE, ActionCommand, OrderFacts, SatisfactionLevel, decide, describe
from liandong.orders.scope import require_view
from liandong.orders.states import Action, Status, dispatch_function
from liandong.orders.tables import OrderEventRow, OrderRow
from liandong.regions.registry import CityRegistry
from liandong.routing.decision import RoutingDecision
from liandong.storage.ids import next_id, this_transaction
from liandong.storage.staged import stage

__all__ = ["SYSTEM", "Orders", "events_of", "find_order", "get_order", "opened_here", "opened_order"]
OPENED = "opened_orders"  # orders opened in the current transaction, by number
AUDIT_HEADS = "audit_heads"
RECEIVE = "receive"  # 受理: the event that opens an order (not a transition in the table)


class Category(Protocol):  # an item of the city's reference lists (`routing.lists.Item`)
    name: str
    group: str


@dataclass
class Orders:  # 工单/警单
    """The order book of one desk: the city it serves and who listens to what happens to its orders."""

    city: CityRegistry
    listeners: list[Listener] = field(default_factory=list)
    categories: Mapping[str, Category] = field(default_factory=dict)  # 分流转办事项清单: code → item (改分类)
    satisfaction: Mapping[str, SatisfactionLevel] = field(default_factory=lambda: dict(SATISFACTION_SCALE))  # 满意度

    def subscribe(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def _publish(self, session: Session, event: OrderEvent) -> None:
        for listener in self.listeners:
            listener(session, event)

    def open(self, session: Session, *, appeal: AppealRow, platform: str, routing: RoutingDecision, actor: Actor,
             now: datetime, note: str = "") -> OrderRow:
        """Open an order on `platform` for the appeal, status 已受理, with its first audit event.

        `created_at` is the 受理 moment: when the appeal was received (a transcript keyed in later keeps
        the time of the call), which is where the reply and close limits start."""
        opened_at = min(appeal.received_at, now) if appeal.received_at else now
        order_id = next_id(session, OrderRow.__table__)
        order = OrderRow(
            id=order_id, number=order_number(platform, appeal.region or self.city.city.code,
                                              opened_at.strftime("%Y%m%d"), order_id),
            platform=platform, appeal_id=appeal.id, status=Status.RECEIVED.value, title=_title(appeal.text),
            category_code=routing.category_code, category_name=routing.category_name,
            category_group=routing.category_group, kind=routing.kind, level=Level.of(routing.level).value,
            services=list(routing.services), unit_function=routing.unit_function, region=appeal.region,
            review=routing.review, extension_days=0, return_count=0, transfer_count=0, urge_count=0,
            supervised=False, bounce=False, mass=False, mass_lead=False, harass=False, by_transfer=False,
            category_unmapped=False, accept_sent=False, escalated=False, notified=[],
            created_at=opened_at, updated_at=now, last_event_seq=0, version=1,
        )
        session.add(order)
        this_transaction(session, OPENED)[order.number] = order
        self._write_event(session, order, action=RECEIVE, from_status=None, actor=actor, now=now,
                          note=note or "受理登记")
        self._publish(session, OrderOpened(order, actor, now))
        return order

    def act(self, session: Session, *, number: str, cmd: ActionCommand, actor: Actor, platform: str, now: datetime,
            expected_version: int | None = None, check_scope: bool = True, order: OrderRow | None = None) -> OrderRow:
        """Apply one action to an order: the table and its guards decide, the change and its audit event
        are written, then the listeners react (deadlines, bounce flags, linked orders, peer desks)."""
        order = order if order is not None and order.number == number else get_order(session, number)
        if check_scope:
            require_view(actor, platform, order)
        if expected_version is not None and expected_version != order.version:
            raise StaleUpdate(order.number)
        unit = self.city.units.get(cmd.unit) if cmd.action is Action.DISPATCH and cmd.unit else None
        if unit is not None:
            cmd = _with_unit(cmd, unit)
        category = self.categories.get(cmd.category or "") if cmd.action is Action.RECLASSIFY else None
        if category is not None:
            cmd = replace(cmd, category_name=category.name, category_group=category.group)
        if cmd.action is Action.VISIT and cmd.satisfaction:
            cmd = replace(cmd, satisfaction_level=self.satisfaction.get(cmd.satisfaction))
        decision = decide(_facts(order), cmd, actor, now)
        if cmd.action is Action.DISPATCH and unit is None:
            self.city.unit(cmd.unit or "")  # refuses the unknown unit with the registry's message
        if cmd.action is Action.MERGE:
            get_order(session, cmd.target or "")
        for name, value in decision.changes.items():
            setattr(order, name, value)
        order.version += 1
        order.last_event_seq = (order.last_event_seq or 0) + 1
        if not inspect(order).pending:  # an order opened in this transaction has no concurrent writer
            try:
                session.flush()  # the versioned UPDATE first: a concurrent writer is caught here, before any insert
            except StaleDataError:
                raise StaleUpdate(number) from None
        self._write_event(session, order, action=cmd.action.value, from_status=decision.from_status.value,
                          actor=actor, now=now, note=cmd.note or describe(decision, cmd.action),
                          data=dict(decision.event_data), seq=order.last_event_seq)
        self._publish(session, OrderChanged(order, cmd.action, decision.from_status, decision.to_status, cmd, actor,
                                            now))
        return order

    def auto_dispatch(self, session: Session, order: OrderRow, function: str | None, now: datetime) -> bool:
        """Send an order straight to the unit that serves its place (智能派单), as the dispatcher would;
        whether it did (`states.dispatch_function` says which function; no unit there → no dispatch)."""
        function = dispatch_function(order.platform, function)
        unit = self.city.unit_for(function, order.region) if function else None
        if unit is None:
            return False
        self.act(session, number=order.number, platform=order.platform, now=now, actor=SYSTEM, order=order,
                 check_scope=False, cmd=ActionCommand(Action.DISPATCH, unit=unit.code, note=f"智能派单：{unit.name}"))
        return True

    def record_notice(self, session: Session, order: OrderRow, *, kind: str, note: str, now: datetime,
                      actor: str = "exchange", data: dict | None = None) -> None:
        """An audit event that changes no state: a notice sent or received, visible on the order."""
        order.updated_at = now
        self._write_event(session, order, action=kind, from_status=order.status, now=now, note=note, data=data,
                          actor=Actor(name=actor, role=SYSTEM.role))

    @staticmethod
    def _write_event(session: Session, order: OrderRow, *, action: str, from_status: str | None, actor: Actor,
                     now: datetime, note: str = "", data: dict | None = None, seq: int | None = None) -> None:
        if seq is None:
            order.last_event_seq = seq = (order.last_event_seq or 0) + 1
        row = SimpleNamespace(
            id=next_id(session, OrderEventRow.__table__), order_id=order.id, seq=seq, action=action,
            from_status=from_status, to_status=order.status, actor=actor.name, role=actor.role.value, unit=actor.unit,
            at=now, note=note or "", data=data or {},
        )
        heads = this_transaction(session, AUDIT_HEADS)  # order id → hash of its newest event in this transaction
        row.prev_hash = heads.get(order.id) or _stored_hash(session, order.id, seq - 1)
        row.hash = heads[order.id] = audit.digest(row, row.prev_hash)
        stage(session, OrderEventRow.__table__, vars(row))  # written once, never changed: no ORM object


def _stored_hash(session: Session, order_id: int, seq: int) -> str:
    """The hash of an event written by an earlier transaction (not session.execute: no early flush)."""
    if seq < 1:
        return audit.GENESIS
    stored = session.connection().execute(select(OrderEventRow.hash).where(
        OrderEventRow.order_id == order_id, OrderEventRow.seq == seq)).scalar()
    return stored or audit.GENESIS


def _facts(order: OrderRow) -> OrderFacts:
    return OrderFacts(number=order.number, platform=order.platform, status=Status(order.status), unit=order.unit,
                      last_visit_satisfied=order.satisfied, return_count=order.return_count,
                      transfer_count=order.transfer_count, urge_count=order.urge_count,
                      extension_days=order.extension_days or 0, pending_extension_days=order.pending_extension_days,
                      category_code=order.category_code, category_name=order.category_name, level=order.level,
                      contacted_at=order.contacted_at)


def _with_unit(cmd: ActionCommand, unit) -> ActionCommand:
    return replace(cmd, unit_platform=unit.platform, unit_name=unit.name)


def get_order(session: Session, number: str) -> OrderRow:
    order = find_order(session, number)
    if order is None:
        raise NotFound(f"工单「{number}」不存在")
    return order


def opened_here(session: Session) -> list[OrderRow]:
    """The orders opened in this session's current transaction (flushed or not)."""
    return list(this_transaction(session, OPENED).values())


def opened_order(session: Session, number: str) -> OrderRow | None:
    """The order of that number if it was opened in this session's current transaction."""
    return this_transaction(session, OPENED).get(number)


def find_order(session: Session, number: str) -> OrderRow | None:
    """By number; an order opened in this transaction is found without flushing it (and the batch) early."""
    opened = opened_order(session, number)
    return opened if opened is not None else session.scalar(select(OrderRow).where(OrderRow.number == number))


def events_of(session: Session, order: OrderRow) -> list[OrderEventRow]:
    return list(session.scalars(
        select(OrderEventRow).where(OrderEventRow.order_id == order.id).order_by(OrderEventRow.seq)))


def _title(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:40] + ("…" if len(first) > 40 else "")
