"""Receiving from peer desks (平台互通·接收): the order core's `ExchangeHandlers`.

Each method runs inside the receiving transaction (and a savepoint) of `exchange.receiver.receive`,
which has already checked the signature, de-duplicated by message id, checked ownership and put the
messages of one order in order. A `LiandongError` raised here refuses the message: its effect is
rolled back and the refusal stored as the answer.

    transfer            → open a local order (a copy of the appeal) and dispatch it where the city allows
    accept/progress/    → on the origin's shadow: 对方签收 / 对方进展 / 对方办结反馈 / 对方退回;
    result/return         on a live order (parallel, notify, coordinate) a notice event
    recall              → cancel the order opened from the transfer
    negotiate_*         → a notice; an agreement decides who takes it (协商确定 / 转办)
    escalation          → a notice and a flag on the linked order (升级通报, 超时预警)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from liandong.core.clock import as_cst
from liandong.core.errors import LiandongError, NotFound
from liandong.core.ids import new_id
from liandong.exchange import links
from liandong.exchange.messages import AnyMessage, Kind, kind_of
from liandong.intake.tables import AppealRow
from liandong.orders import exchange_out as out
from liandong.orders import service
from liandong.orders.model import ActionCommand, Actor
from liandong.orders.states import Action, Role, Status
from liandong.orders.tables import OrderRow

EXCHANGE = Actor(name="平台互通", role=Role.SYSTEM)
DESK_FUNCTIONS = {"110": "public_security", "119": "fire_rescue", "120": "emergency_medical"}  # default unit function
POLICE_FUNCTIONS = ("public_security", "traffic_police")
NOT_12345_FUNCTIONS = ("public_security", "traffic_police", "fire_rescue", "emergency_medical")
OUTCOMES = {"resolved": "已解决", "partly_resolved": "部分解决", "unresolved": "未解决", "explained": "已解释说明",
            "referred": "已转其他渠道"}


class OrderHandlers:
    """`ExchangeHandlers` over the order core of one desk (`ctx`, a `Liandong`)."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.exchange = ctx.exchange

    @property
    def local(self) -> str:
        return self.exchange.local_platform

    def _now(self) -> datetime:
        return self.ctx.clock.now()

    # -- the receiving desk -----------------------------------------------------------------
    def on_transfer(self, session: Session, msg: AnyMessage) -> str:
        ctx, p, now, sender = self.ctx, msg.payload, self._now(), msg.sender_platform
        mapped = self.exchange.mappings.for_peer(sender).incoming(msg.category)
        region = p.address.region_code
        try:
            ctx.city.region(region)
        except LiandongError:
            region = None  # not one of our regions: no automatic dispatch, a person looks at it
        function = self._function(p.appeal_text, sender, region, p.purpose)
        routing = {
            "services": list(p.services), "category_code": (mapped.code or mapped.original) if mapped else None,
            "category_name": msg.category.label if msg.category else None, "category": msg.category.label if msg.category else None,
            "unit_function": function, "level": out.LEVEL_NAMES.get(p.level, "一般"), "reasons": list(p.reasons),
            "review": bool(mapped and mapped.unmapped), "purpose": p.purpose, "external_ref": msg.order_ref.origin_order_id,
        }
        appeal = AppealRow(
            id=new_id(), channel="110-transfer" if sender == "110" else "12345-transfer", received_at=as_cst(msg.sent_at),
            caller_name=p.caller.name_masked, caller_phone=p.caller.phone_masked, caller_key=None, text=p.appeal_text,
            address=p.address.text, region=region, attachments=[], routing=routing, created_by=EXCHANGE.name,
            created_at=now, external_ref=f"{sender}:{msg.order_ref.origin_order_id}",
        )
        session.add(appeal)
        order = service.open_order(session, ctx, appeal=appeal, platform=self.local, routing=routing, actor=EXCHANGE,
                                   now=now, note=f"由{sender}平台{out.PURPOSE_LABELS[p.purpose]}：{msg.order_ref.origin_order_id}"
                                   f"（{msg.sender_unit}）")
        order.peer_platform, order.peer_order_id = sender, msg.order_ref.origin_order_id
        order.flags = sorted({out.BY_TRANSFER, f"purpose:{p.purpose}"} | ({"manual_category"} if routing["review"] else set()))
        unit = ctx.city.unit_for(function, region) if function and region else None
        if unit is not None and (self.local != "12345" or function not in NOT_12345_FUNCTIONS):
            service.act(session, ctx, number=order.number, platform=self.local, now=now, actor=EXCHANGE, order=order,
                        check_scope=False, cmd=ActionCommand(Action.DISPATCH, unit=unit.code, note=f"智能派单：{unit.name}"))
        return order.number

    def _function(self, text: str, sender: str, region: str | None, purpose: str) -> str | None:
        if self.local in DESK_FUNCTIONS and self.local != "110":
            return DESK_FUNCTIONS[self.local]
        routed = self.ctx.router.route(text, f"{sender}-transfer" if sender in ("110", "12345") else "12345", region)
        function = routed.to_dict().get("unit_function")
        if self.local == "110":
            return function if function in POLICE_FUNCTIONS else "public_security"
        if purpose in ("mediation", "coordinate") and (function is None or function in NOT_12345_FUNCTIONS):
            return "street_office"  # 属地政府: the street office mediates and coordinates departments
        return function

    def on_recall(self, session: Session, msg: AnyMessage) -> None:
        order = self._received_order(session, msg)
        service.act(session, self.ctx, number=order.number, platform=order.platform, now=self._now(), check_scope=False,
                    order=order, actor=out.RECALLER, cmd=ActionCommand(Action.CANCEL, reason="recalled",
                                                                      note=f"{msg.sender_platform}撤回转办：{msg.payload.reason}"))

    def _received_order(self, session: Session, msg: AnyMessage) -> OrderRow:
        ref = msg.order_ref
        link = links.find(session, origin_platform=ref.origin_platform, origin_order_id=ref.origin_order_id,
                          counterpart=msg.sender_platform)
        if link is None or not link.local_order_id:
            raise NotFound(f"没有找到由{msg.sender_platform}转来的工单 {ref.origin_order_id}")
        return service.get_order(session, link.local_order_id)

    # -- the origin desk ---------------------------------------------------------------------
    def on_accept(self, session: Session, msg: AnyMessage) -> None:
        self._feedback(session, msg, Action.PEER_ACCEPT, f"{msg.sender_platform}已签收：{msg.payload.accepted_by}"
                       + (f"（{msg.payload.note}）" if msg.payload.note else ""))

    def on_progress(self, session: Session, msg: AnyMessage) -> None:
        p = msg.payload
        self._feedback(session, msg, Action.PEER_PROGRESS,
                       f"{msg.sender_platform} {p.handled_by or ''}：{p.note}".replace("  ", " "), step=p.step)

    def on_result(self, session: Session, msg: AnyMessage) -> None:
        p = msg.payload
        self._feedback(session, msg, Action.PEER_RESULT,
                       f"{msg.sender_platform}办结反馈（{OUTCOMES[p.outcome]}，{p.handled_by}）：{p.note}")

    def on_return(self, session: Session, msg: AnyMessage) -> None:
        p = msg.payload
        self._feedback(session, msg, Action.PEER_RETURN, f"{msg.sender_platform}退回（{p.returned_by}）：{p.reason}",
                       reason=p.reason_code)

    def _feedback(self, session: Session, msg: AnyMessage, action: Action, note: str, *, reason: str | None = None,
                  step: str | None = None) -> None:
        order = service.get_order(session, msg.order_ref.origin_order_id)
        now = self._now()
        shadow = order.status in (Status.TRANSFERRED.value, Status.PEER_HANDLING.value) \
            and order.peer_platform == msg.sender_platform
        if not shadow:  # a live order that notified the peer (parallel handling, 119/120, coordinate)
            out.record_notice(session, order, kind="peer_notice", now=now, note=note,
                              data={"peer": msg.sender_platform, "kind": msg.kind, "peer_order_id": msg.order_ref.peer_order_id})
            return
        if msg.order_ref.peer_order_id:
            order.peer_order_id = msg.order_ref.peer_order_id
        if order.status == Status.TRANSFERRED.value and action in (Action.PEER_PROGRESS, Action.PEER_RESULT):
            order = service.act(session, self.ctx, number=order.number, platform=order.platform, now=now, order=order,
                                check_scope=False, actor=EXCHANGE, cmd=ActionCommand(Action.PEER_ACCEPT, note=note))
        service.act(session, self.ctx, number=order.number, platform=order.platform, now=now, check_scope=False,
                    order=order, actor=EXCHANGE, cmd=ActionCommand(action, note=note, reason=reason, step=step))
        if action is Action.PEER_ACCEPT and out.OVERDUE in (order.flags or []):
            order.flags = [f for f in order.flags if f != out.OVERDUE] + [f"{out.OVERDUE}_accepted"]

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
                service.act(session, self.ctx, number=order.number, platform=order.platform, now=now, order=order,
                            check_scope=False, actor=EXCHANGE, cmd=cmd)
                return None
        if order is not None:
            out.record_notice(session, order, kind="negotiation", now=now, note=note, data={"peer": msg.sender_platform})
        return None

    def on_escalation(self, session: Session, msg: AnyMessage) -> str | None:
        order = self._order_of_link(session, msg)
        p = msg.payload
        if order is not None:
            if "超时" in p.summary:
                out.add_flag(order, out.OVERDUE)
            out.add_flag(order, out.ESCALATED)
            out.record_notice(session, order, kind="escalation", now=self._now(),
                              note=f"{msg.sender_platform}升级通报（{out.LEVEL_NAMES[p.level]}，{p.target_unit}）：{p.summary}",
                              data={"peer": msg.sender_platform, "level": p.level.value})
        return order.number if order is not None else None

    def _order_of_link(self, session: Session, msg: AnyMessage) -> OrderRow | None:
        """The local order a message is about: ours if we are the origin, else the one opened from it."""
        ref = msg.order_ref
        if ref.origin_platform == self.local:
            return session.scalar(_by_number(ref.origin_order_id))
        link = links.find(session, origin_platform=ref.origin_platform, origin_order_id=ref.origin_order_id,
                          counterpart=msg.sender_platform)
        number = link.local_order_id if link else None  # never `ref.peer_order_id`: the sender could name any order
        return session.scalar(_by_number(number)) if number else None


def _by_number(number: str):
    from sqlalchemy import select

    return select(OrderRow).where(OrderRow.number == number)
