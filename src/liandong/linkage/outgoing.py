"""Messages to peer desks (平台互通·发送): what an order change on this desk tells a peer.

Every method runs inside the transaction that changes the order and only *queues* messages
(`exchange.outbox.enqueue`); the relay delivers them after the commit.

    origin desk (转出方)                               receiving desk (承办方)
    TRANSFER of a shadow        → transfer            open a local order (by_transfer)
    RECALL of a shadow          → recall              its work on the order → the feedback table's
    a parallel / notify order   → transfer (purpose)     reports: accept (once), progress, result, return
    重大/特别重大               → escalation
    在线协商                     → negotiate_propose
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor
from liandong.core.masking import mask_name, mask_phone
from liandong.core.types import Level
from liandong.exchange import outbox
from liandong.exchange.messages import (
    AcceptPayload,
    Address,
    Caller,
    EscalationPayload,
    NegotiateProposePayload,
    OrderRef,
    ProgressPayload,
    RecallPayload,
    ResultPayload,
    ReturnPayload,
    TransferPayload,
    new_message,
)
from liandong.linkage.desk import DeskExchange
from liandong.linkage.feedback import PeerReport, Report
from liandong.linkage.plan import WIRE_LEVELS
from liandong.orders.tables import OrderRow
from liandong.regions.registry import CityRegistry
from liandong.routing.decision import RoutingDecision

PURPOSE_LABELS = {"handle": "转办处置", "mediation": "联合调处", "coordinate": "协调联合处置", "notify": "通报"}


def wire_level(order: OrderRow):
    return WIRE_LEVELS[Level.of(order.level)]


@dataclass
class Outgoing:  # 发往对端的报文
    desk: DeskExchange
    city: CityRegistry

    def _queue(self, session: Session, message) -> None:
        outbox.enqueue(session, message)
        self.desk.wake_after_commit(session)

    def _envelope(self, *, target: str, origin_platform: str, origin_order_id: str, peer_order_id: str | None,
                  actor: Actor, now: datetime) -> dict:
        return dict(sender_platform=self.desk.local_platform, sender_unit=(actor.unit or actor.name)[:100],
                    receiver_platform=target, sent_at=now,
                    order_ref=OrderRef(origin_platform=origin_platform, origin_order_id=origin_order_id,
                                       peer_order_id=peer_order_id))

    def _ours(self, order: OrderRow, target: str, actor: Actor, now: datetime) -> dict:
        """The envelope of a message about an order this desk originated."""
        return self._envelope(target=target, origin_platform=self.desk.local_platform, origin_order_id=order.number,
                              peer_order_id=None, actor=actor, now=now)

    def transfer(self, session: Session, *, order: OrderRow, target: str, actor: Actor, now: datetime,
                 purpose: str = "handle", note: str = "") -> None:
        """Queue a transfer (转办) of `order` to the peer desk `target`; `purpose` says why (handle/notify/…)."""
        appeal = session.get(AppealRow, order.appeal_id)
        routing = RoutingDecision.from_dict(appeal.routing or {})
        category = self.desk.outgoing_category(order.category_code, target)
        if order.category_name and not category.label:
            category = category.model_copy(update={"label": order.category_name[:100]})
        payload = TransferPayload(
            appeal_text=appeal.text[:5000],
            caller=Caller(name_masked=mask_name(appeal.caller_name), phone_masked=mask_phone(appeal.caller_phone),
                          contact_token=None),
            address=Address(text=(appeal.address or "")[:300], region_code=appeal.region or self.city.city.code),
            level=wire_level(order), services=list(order.services or [])[:16],
            reasons=[r[:500] for r in routing.reasons][:31] + ([note[:500]] if note else []), purpose=purpose,
        )
        self._queue(session, new_message("transfer", category=category, payload=payload,
                                         **self._ours(order, target, actor, now)))

    def recall(self, session: Session, *, order: OrderRow, reason: str, actor: Actor, now: datetime) -> None:
        self._queue(session, new_message("recall", payload=RecallPayload(
            reason=reason[:1000], recalled_by=actor.name[:100]), **self._ours(order, order.peer_platform, actor, now)))

    def negotiation(self, session: Session, *, order: OrderRow, target: str, note: str, actor: Actor,
                    now: datetime) -> None:
        """Propose online negotiation (在线协商) with a time limit; unresolved → the first receiver keeps it."""
        appeal = session.get(AppealRow, order.appeal_id)
        limit = self.desk.rules.negotiation_minutes
        self._queue(session, new_message("negotiate_propose", payload=NegotiateProposePayload(
            proposal="you_take", reason=(note or "职责交叉或不明确，请协商确定受理平台")[:1000],
            respond_by=now + timedelta(minutes=limit), appeal_text=appeal.text[:5000]),
            **self._ours(order, target, actor, now)))

    def escalation(self, session: Session, *, order: OrderRow, target: str, unit: str, summary: str, actor: Actor,
                   now: datetime) -> None:
        appeal = session.get(AppealRow, order.appeal_id)
        self._queue(session, new_message("escalation", payload=EscalationPayload(
            level=wire_level(order), summary=summary[:2000], target_unit=unit,
            region_code=appeal.region or self.city.city.code), **self._ours(order, target, actor, now)))

    def report(self, session: Session, *, order: OrderRow, r: PeerReport, actor: Actor, now: datetime) -> None:
        """On the receiving desk: one report of the feedback table about a transferred-in order, to its origin."""
        env = self._envelope(target=order.peer_platform, origin_platform=order.peer_platform,
                             origin_order_id=order.peer_order_id, peer_order_id=order.number, actor=actor, now=now)
        match r.report:
            case Report.ACCEPT:
                payload = AcceptPayload(accepted_by=r.handled_by[:100], note=r.note[:1000])
            case Report.PROGRESS:
                payload = ProgressPayload(step=r.step, note=r.note[:2000], handled_by=r.handled_by[:100])
            case Report.RESULT:
                payload = ResultPayload(outcome=r.outcome, handled_by=r.handled_by[:100], note=r.note[:5000],
                                        closed_at=now)
            case _:
                payload = ReturnPayload(reason_code=r.reason_code or "other", reason=r.note[:1000],
                                        returned_by=r.handled_by[:100])
        self._queue(session, new_message(r.report.value, payload=payload, **env))
