"""Messages from peer desks (平台互通·接收): the order core's `ExchangeHandlers`.

Each method runs inside the receiving transaction (and a savepoint) of `exchange.receiver.receive`,
which has already checked the signature, de-duplicated by message id, checked ownership and put the
messages of one order in order. A `LiandongError` raised here refuses the message: its effect is
rolled back and the refusal stored as the answer.

    transfer            → open a local order (a copy of the appeal) and dispatch it where the city allows
    accept/progress/    → a report of the feedback table (`linkage.feedback`) on the origin's shadow:
    result/return         对方签收 / 对方进展 / 对方办结反馈 / 对方退回; on a live order a notice event
    recall              → cancel the order opened from the transfer
    negotiate_*         → a notice; an agreement decides who takes it (协商确定 / 转办)
    escalation          → a notice and a mark on the linked order (升级通报, 超时预警)
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.clock import Clock, as_cst
from liandong.core.errors import LiandongError, NotFound
from liandong.core.ids import new_id
from liandong.core.types import Platform, transfer_channel
from liandong.exchange import links
from liandong.exchange.messages import AnyMessage, Kind, kind_of
from liandong.linkage.feedback import PeerReport, Report
from liandong.linkage.outgoing import PURPOSE_LABELS
from liandong.linkage.plan import LEVELS_OF_WIRE
from liandong.linkage.service import EXCHANGE, RECALLER, Linkage
from liandong.orders.model import ActionCommand
from liandong.orders.service import get_order
from liandong.orders.states import DESK_FUNCTIONS, EMERGENCY_FUNCTIONS, POLICE_FUNCTIONS, Action, Notice, Status
from liandong.orders.tables import OrderRow, TransferOverdue
from liandong.routing.decision import RoutingDecision

NOT_12345_FUNCTIONS = POLICE_FUNCTIONS + EMERGENCY_FUNCTIONS


class Router(Protocol):  # what the handlers need of the routing engine
    def route(self, text: str, channel: str = "12345", region: str | None = None): ...


class IncomingHandlers:
    """`ExchangeHandlers` over one desk's order core."""

    def __init__(self, linkage: Linkage, *, router: Router, clock: Clock) -> None:
        self.linkage, self.orders, self.city = linkage, linkage.orders, linkage.city
        self.desk = linkage.desk
        self.router, self.clock = router, clock

    @property
    def local(self) -> str:
        return self.desk.local_platform

    def _now(self) -> datetime:
        return self.clock.now()

    # -- the receiving desk -----------------------------------------------------------------
    def on_transfer(self, session: Session, msg: AnyMessage) -> str:
        p, now, sender = msg.payload, self._now(), msg.sender_platform
        mapped = self.desk.mappings.for_peer(sender).incoming(msg.category)
        region = p.address.region_code
        try:
            self.city.region(region)
        except LiandongError:
            region = None  # not one of our regions: no automatic dispatch, a person looks at it
        function = self._function(p.appeal_text, sender, region, p.purpose)
        label = msg.category.label if msg.category else None
        routing = RoutingDecision(
            services=tuple(p.services), category_code=(mapped.code or mapped.original) if mapped else None,
            category_name=label, category_group=None, category_list=None, kind=None, unit_function=function,
            level=LEVELS_OF_WIRE.get(p.level, "一般"), reasons=list(p.reasons), review=bool(mapped and mapped.unmapped),
        )
        channel = transfer_channel(sender) or transfer_channel(Platform.GOV)
        appeal = AppealRow(
            id=new_id(), channel=channel.value, received_at=as_cst(msg.sent_at), caller_name=p.caller.name_masked,
            caller_phone=p.caller.phone_masked, caller_key=None, text=p.appeal_text, address=p.address.text,
            region=region, attachments=[], routing={**routing.to_dict(), "purpose": p.purpose,
                                                    "external_ref": msg.order_ref.origin_order_id},
            created_by=EXCHANGE.name, created_at=now, external_ref=f"{sender}:{msg.order_ref.origin_order_id}",
        )
        session.add(appeal)
        order = self.orders.open(session, appeal=appeal, platform=self.local, routing=routing, actor=EXCHANGE, now=now,
                                 note=f"由{sender}平台{PURPOSE_LABELS[p.purpose]}：{msg.order_ref.origin_order_id}"
                                 f"（{msg.sender_unit}）")
        order.peer_platform, order.peer_order_id = sender, msg.order_ref.origin_order_id
        order.by_transfer, order.transfer_purpose, order.category_unmapped = True, p.purpose, routing.review
        if region:
            self.orders.auto_dispatch(session, order, function, now)
        return order.number

    def _function(self, text: str, sender: str, region: str | None, purpose: str) -> str | None:
        if self.local in DESK_FUNCTIONS and self.local != Platform.POLICE:
            return DESK_FUNCTIONS[Platform(self.local)]
        routed = self.router.route(text, f"{sender}-transfer" if sender in (Platform.POLICE, Platform.GOV)
                                   else Platform.GOV.value, region)
        function = routed.unit_function
        if self.local == Platform.POLICE:
            return function if function in POLICE_FUNCTIONS else DESK_FUNCTIONS[Platform.POLICE]
        if purpose in ("mediation", "coordinate") and (function is None or function in NOT_12345_FUNCTIONS):
            return "street_office"  # 属地政府: the street office mediates and coordinates departments
        return function

    def on_recall(self, session: Session, msg: AnyMessage) -> None:
        order = self._received_order(session, msg)
        self.orders.act(session, number=order.number, platform=order.platform, now=self._now(), check_scope=False,
                        order=order, actor=RECALLER, cmd=ActionCommand(Action.CANCEL, reason="recalled",
                                                                      note=f"{msg.sender_platform}撤回转办：{msg.payload.reason}"))

    def _received_order(self, session: Session, msg: AnyMessage) -> OrderRow:
        ref = msg.order_ref
        link = links.find(session, origin_platform=ref.origin_platform, origin_order_id=ref.origin_order_id,
                          counterpart=msg.sender_platform)
        if link is None or not link.local_order_id:
            raise NotFound(f"没有找到由{msg.sender_platform}转来的工单 {ref.origin_order_id}")
        return get_order(session, link.local_order_id)

    # -- the origin desk: reports of the feedback table ----------------------------------------
    def on_accept(self, session: Session, msg: AnyMessage) -> None:
        p = msg.payload
        self._report(session, msg, PeerReport(Report.ACCEPT, handled_by=p.accepted_by, note=p.note or ""))

    def on_progress(self, session: Session, msg: AnyMessage) -> None:
        p = msg.payload
        self._report(session, msg, PeerReport(Report.PROGRESS, step=p.step, handled_by=p.handled_by or "", note=p.note))

    def on_result(self, session: Session, msg: AnyMessage) -> None:
        p = msg.payload
        self._report(session, msg, PeerReport(Report.RESULT, outcome=p.outcome, handled_by=p.handled_by, note=p.note))

    def on_return(self, session: Session, msg: AnyMessage) -> None:
        p = msg.payload
        self._report(session, msg, PeerReport(Report.RETURN, reason_code=p.reason_code, handled_by=p.returned_by,
                                              note=p.reason))

    def _report(self, session: Session, msg: AnyMessage, r: PeerReport) -> None:
        order = get_order(session, msg.order_ref.origin_order_id)
        self.linkage.apply_report(session, order, sender=msg.sender_platform, r=r, now=self._now(),
                                  peer_order_id=msg.order_ref.peer_order_id)

    # -- either side -------------------------------------------------------------------------
    def on_negotiation(self, session: Session, msg: AnyMessage) -> str | None:
        order = self._order_of_link(session, msg)
        now = self._now()
        if kind_of(msg) is Kind.NEGOTIATE_PROPOSE:
            note = f"{msg.sender_platform}提议在线协商：{msg.payload.reason}（{as_cst(msg.payload.respond_by):%H:%M}前答复）"
        else:
            p = msg.payload
            note = f"{msg.sender_platform}协商答复：{'同意' if p.agreed else '不同意'}，由{p.taker_platform or '未定'}受理"
            if order is not None and order.status == Status.NEGOTIATING.value and p.agreed and p.taker_platform:
                cmd = ActionCommand(Action.NEGOTIATED, note=note) if p.taker_platform == self.local \
                    else ActionCommand(Action.TRANSFER, target=p.taker_platform, note=note)
                self.orders.act(session, number=order.number, platform=order.platform, now=now, order=order,
                                check_scope=False, actor=EXCHANGE, cmd=cmd)
                return None
        if order is not None:
            self.orders.record_notice(session, order, kind=Notice.NEGOTIATION, now=now, note=note,
                                      data={"peer": msg.sender_platform})
        return None

    def on_escalation(self, session: Session, msg: AnyMessage) -> str | None:
        order = self._order_of_link(session, msg)
        p = msg.payload
        if order is not None:
            if "超时" in p.summary and order.transfer_overdue is None:
                order.transfer_overdue = TransferOverdue.OVERDUE.value
            order.escalated = True
            self.orders.record_notice(
                session, order, kind=Notice.ESCALATION, now=self._now(),
                note=f"{msg.sender_platform}升级通报（{LEVELS_OF_WIRE[p.level].value}，{p.target_unit}）：{p.summary}",
                data={"peer": msg.sender_platform, "level": p.level.value})
        return order.number if order is not None else None

    def _order_of_link(self, session: Session, msg: AnyMessage) -> OrderRow | None:
        """The local order a message is about: ours if we are the origin, else the one opened from it."""
        ref = msg.order_ref
        if ref.origin_platform == self.local:
            return session.scalar(select(OrderRow).where(OrderRow.number == ref.origin_order_id))
        link = links.find(session, origin_platform=ref.origin_platform, origin_order_id=ref.origin_order_id,
                          counterpart=msg.sender_platform)
        number = link.local_order_id if link else None  # never `ref.peer_order_id`: the sender could name any order
        return session.scalar(select(OrderRow).where(OrderRow.number == number)) if number else None
