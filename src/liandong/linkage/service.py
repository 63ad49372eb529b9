"""Linked orders across platforms (联动): the listener on the order core that keeps them in step.

A transfer (转办) to a platform this process hosts opens the peer order here; to a peer desk it queues a
`transfer` message. Work on a transferred-in order goes back to the origin through the one feedback table
(`linkage.feedback`): applied to the shadow at once when the origin is hosted here, sent as messages when
it is a peer desk — the same reports either way. Received reports (`apply_report`) drive the shadow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow, new_appeal
from liandong.core.actors import Actor, Role
from liandong.core.types import Platform
from liandong.linkage.desk import DeskExchange
from liandong.linkage.feedback import RETURN_CODES, SHADOW_ACTIONS, PeerReport, Report, reports_for, shadow_note
from liandong.linkage.outgoing import PURPOSE_LABELS, Outgoing
from liandong.linkage.plan import AppealPlan, plan_appeal
from liandong.linkage.rules import LinkageRules
from liandong.orders.events import OrderChanged, OrderEvent
from liandong.orders.model import ActionCommand
from liandong.orders.service import Orders, find_order
from liandong.orders.states import ACTION_LABELS, Action, Notice, Status
from liandong.orders.tables import OrderEventRow, OrderRow, TransferOverdue
from liandong.regions.registry import CityRegistry
from liandong.routing.decision import RoutingDecision

LINKER = Actor(name="linkage", role=Role.SYSTEM)
EXCHANGE = Actor(name="平台互通", role=Role.SYSTEM)
RECALLER = Actor(name="对端撤回", role=Role.SYSTEM)  # a peer's recall cancels the order it sent
SHADOW_STATES = (Status.TRANSFERRED.value, Status.PEER_HANDLING.value)


@dataclass
class Linkage:  # 联动
    orders: Orders
    city: CityRegistry
    hosted: frozenset[str]  # platforms whose orders this process holds
    rules: LinkageRules  # the city's linkage rules
    desk: DeskExchange | None = None  # the exchange with peer desks, if any

    @property
    def out(self) -> Outgoing | None:
        return Outgoing(self.desk, self.city) if self.desk is not None else None

    def is_peer(self, platform: str | None) -> bool:
        return self.desk is not None and self.desk.can_send(platform)

    def plan(self, services, receiving: str, *, level: str, review: bool, now: datetime) -> AppealPlan:
        peers = self.desk.peer_platforms if self.desk is not None else frozenset()
        return plan_appeal(services, receiving, level=level, review=review, hosted=self.hosted, peers=peers,
                           rules=self.rules, now=now)

    # -- the listener --------------------------------------------------------------------------
    def on_order_event(self, session: Session, event: OrderEvent) -> None:
        if not isinstance(event, OrderChanged):
            return
        order, action, cmd, actor, now = event.order, event.action, event.cmd, event.actor, event.now
        if action is Action.TRANSFER:
            if (cmd.target or "") in self.hosted:
                self._open_peer_order(session, origin=order, target=cmd.target or "", now=now)
            elif self.is_peer(cmd.target):
                # police that acted first hand the rest to 12345 for mediation by local government (联合调处)
                mediation = order.platform != Platform.GOV and cmd.target == Platform.GOV and order.unit
                purpose = "mediation" if mediation else "handle"
                self.out.transfer(session, order=order, target=cmd.target, actor=actor, now=now, purpose=purpose,
                                  note=cmd.note)
            return
        if action is Action.RECALL and self.is_peer(order.peer_platform):
            self.out.recall(session, order=order, reason=cmd.reason or cmd.note or "撤回转办", actor=actor, now=now)
            return
        if action is Action.NEGOTIATE and self.is_peer(cmd.target):
            self.out.negotiation(session, order=order, target=cmd.target, note=cmd.note, actor=actor, now=now)
            return
        if order.by_transfer and actor.name != RECALLER.name:
            self._report_back(session, order=order, action=action, cmd=cmd, actor=actor, now=now)

    def _report_back(self, session: Session, *, order: OrderRow, action: Action, cmd: ActionCommand, actor: Actor,
                     now: datetime) -> None:
        """Work on a transferred-in order → the origin's shadow, through the feedback table."""
        remote = self.is_peer(order.peer_platform)
        if not remote and order.peer_platform not in self.hosted:
            return
        planned = reports_for(action, accept_sent=order.accept_sent)
        if not planned:
            return
        order.accept_sent = True
        who = (actor.unit and self.city.units.get(actor.unit) and self.city.units[actor.unit].name) or actor.name
        unit = self.city.units.get(order.unit) if order.unit else None
        handled_by = unit.name if unit else who
        for report, step in planned:
            r = self._report(session, order, report, step, action=action, cmd=cmd, who=who, handled_by=handled_by,
                             unit_name=unit.name if unit else None)
            if remote:
                self.out.report(session, order=order, r=r, actor=actor, now=now)
            else:
                shadow = find_order(session, order.peer_order_id or "")
                if shadow is not None and shadow.linked_order == order.number:
                    self.apply_report(session, shadow, sender=order.platform, r=r, now=now, actor=LINKER)

    def _report(self, session: Session, order: OrderRow, report: Report, step: str | None, *, action: Action,
                cmd: ActionCommand, who: str, handled_by: str, unit_name: str | None) -> PeerReport:
        match report:
            case Report.ACCEPT:
                return PeerReport(report, handled_by=who, note=f"{order.platform}已受理：{order.number}")
            case Report.RETURN:
                return PeerReport(report, handled_by=who, reason_code=RETURN_CODES.get(cmd.reason or "", "other"),
                                  note=cmd.note or cmd.reason or "不属本平台受理范围")
            case Report.RESULT:
                return PeerReport(report, handled_by=handled_by, outcome="resolved",
                                  note=cmd.note or _last_reply(session, order) or "已办结")
        note = cmd.note or ACTION_LABELS[action] + (f"：{unit_name}" if unit_name and action is Action.DISPATCH else "")
        return PeerReport(report, step=step, handled_by=handled_by, note=note)

    # -- the origin's side -----------------------------------------------------------------------
    def apply_report(self, session: Session, order: OrderRow, *, sender: str, r: PeerReport, now: datetime,
                     actor: Actor = EXCHANGE, peer_order_id: str | None = None) -> None:
        """A report from the platform that took the order: drives the shadow, or is a notice on a live order."""
        note = shadow_note(sender, r)
        if order.status not in SHADOW_STATES or order.peer_platform != sender:
            self.orders.record_notice(session, order, kind=Notice.PEER_NOTICE, now=now, note=note,
                                      data={"peer": sender, "kind": r.report.value, "peer_order_id": peer_order_id})
            return
        if peer_order_id:
            order.peer_order_id = peer_order_id
        action = SHADOW_ACTIONS[r.report]
        if order.status == Status.TRANSFERRED.value and r.report in (Report.PROGRESS, Report.RESULT):
            order = self.orders.act(session, number=order.number, platform=order.platform, now=now, order=order,
                                    check_scope=False, actor=actor, cmd=ActionCommand(Action.PEER_ACCEPT, note=note))
        reason = r.reason_code if r.report is Report.RETURN else None
        self.orders.act(session, number=order.number, platform=order.platform, now=now, check_scope=False, order=order,
                        actor=actor, cmd=ActionCommand(action, note=note, reason=reason, step=r.step))
        if action is Action.PEER_ACCEPT and order.transfer_overdue == TransferOverdue.OVERDUE:
            order.transfer_overdue = TransferOverdue.ACCEPTED_LATE.value

    def _open_peer_order(self, session: Session, *, origin: OrderRow, target: str, now: datetime) -> OrderRow:
        appeal = new_appeal(session, origin.appeal_id) or session.get(AppealRow, origin.appeal_id)
        routing = RoutingDecision.from_dict(appeal.routing or {})
        peer = self.orders.open(session, appeal=appeal, platform=target, routing=routing, actor=LINKER, now=now,
                                note=f"由{origin.platform}转办：{origin.number}")
        peer.linked_order = origin.number
        peer.by_transfer, peer.peer_platform, peer.peer_order_id = True, origin.platform, origin.number
        peer.transfer_purpose = "handle"
        origin.peer_order_id = peer.number
        origin.linked_order = peer.number
        return peer

    # -- from intake: what the plan sends peer desks --------------------------------------------
    def send_plan(self, session: Session, *, order: OrderRow, plan: AppealPlan, actor: Actor, now: datetime) -> None:
        """Queue the plan's transfers and escalation from `order`, in the intake transaction."""
        for s in plan.sends:
            self.out.transfer(session, order=order, target=s.target, actor=actor, now=now, purpose=s.purpose,
                              note=s.reason)
            self.orders.record_notice(session, order, kind=Notice.PEER_TRANSFER, now=now,
                                      data={"target": s.target, "purpose": s.purpose},
                                      note=f"已{PURPOSE_LABELS[s.purpose]}至{s.target}平台：{s.reason}")
        if plan.escalate:
            self.escalate(session, order=order, now=now, actor=actor, summary=order.title)

    def escalate(self, session: Session, *, order: OrderRow, now: datetime, actor: Actor, summary: str) -> None:
        """Graded response (分级响应): notify the city command of a 重大/特别重大 event, and record it on the order."""
        rules = self.rules
        target, unit = rules.escalation_platform, rules.escalation_unit
        if self.is_peer(target):
            self.out.escalation(session, order=order, target=target, unit=unit, summary=summary, actor=actor, now=now)
            how = f"已发送升级通报至{unit}（{target}）"
        else:
            how = f"升级通报{unit}（未配置{unit}对端，本地登记）"
        order.escalated = True
        self.orders.record_notice(session, order, kind=Notice.ESCALATION, now=now,
                                  note=f"{how}：{order.level}事件，{summary[:200]}",
                                  data={"target": target, "unit": unit, "level": order.level})


def _last_reply(session: Session, order: OrderRow) -> str | None:
    return session.scalar(select(OrderEventRow.note).where(
        OrderEventRow.order_id == order.id, OrderEventRow.action == Action.REPLY.value)
        .order_by(OrderEventRow.seq.desc()).limit(1))

