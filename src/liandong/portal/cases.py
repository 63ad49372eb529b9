"""The citizen's own appeal (我的诉求): follow it, add to it, withdraw it, rate the answer.

Every use case first proves the appeal is the phone's: the order's appeal carries the keyed hash of the
caller's number. Unknown and not-yours get the same refusal (`NOT_YOURS`), so a guessed number reveals
nothing; look-ups are rate-limited per network address. Changes go through `Orders.act` and the audit
trail like any other action, with the citizen as the actor."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.actors import SYSTEM
from liandong.core.errors import Conflict, InvalidInput, NotFound
from liandong.core.masking import mask_phone
from liandong.orders.model import ActionCommand
from liandong.orders.service import Orders, events_of, find_order
from liandong.orders.states import TERMINAL, Action, Notice, Status, allowed_actions
from liandong.orders.tables import OrderEventRow, OrderRow
from liandong.portal import store
from liandong.portal.plain import (
    EXPLAIN,
    RATEABLE,
    REPLY_ACTIONS,
    SATISFACTION,
    plain_status,
)
from liandong.portal.rules import PortalRules
from liandong.portal.service import CITIZEN
from liandong.regions.registry import CityRegistry

NOT_YOURS = "未找到该工单，或该工单不是用此手机号码提交的。请核对工单编号和手机号码。"
MAX_NOTE = 1000


@dataclass(frozen=True)
class CaseView:  # 市民看到的办理情况
    number: str
    status: str  # plain words
    explain: str
    title: str
    text: str
    address: str | None
    received_at: datetime
    unit: str | None
    reply: str | None
    replied_at: datetime | None
    notes: list[tuple[datetime, str]]
    photos: int
    can_add: bool
    can_withdraw: bool
    can_rate: bool
    rated: str | None  # the citizen's rating once given


@dataclass
class Cases:
    rules: PortalRules
    city: CityRegistry
    orders: Orders
    phone_key: Callable[[str], str]
    write: Callable[[], AbstractContextManager[Session]]
    read: Callable[[], AbstractContextManager[Session]]

    def follow(self, number: str, *, phone: str, address: str, now: datetime) -> CaseView:
        with self.write() as s:
            store.limit(s, "follow_addr", address, self.rules.limits.follow_per_address, now)
        with self.read() as s:
            order, appeal = self._own(s, number, phone)
            return self._view(s, order, appeal)

    def add_note(self, number: str, text: str, *, phone: str, now: datetime) -> None:
        text = (text or "").strip()
        if not 2 <= len(text) <= MAX_NOTE:
            raise InvalidInput(f"补充内容应为 2 至 {MAX_NOTE} 字")
        with self.write() as s:
            order, _ = self._own(s, number, phone)
            if Status(order.status) in TERMINAL:
                raise Conflict("该诉求已结束，不能再补充；如有新情况请重新反映")
            self.orders.record_notice(s, order, kind=Notice.CITIZEN_NOTE.value, note=f"市民补充：{text}", now=now,
                                      actor=f"市民（{mask_phone(phone)}）")

    def withdraw(self, number: str, reason: str, *, phone: str, now: datetime) -> None:
        reason = (reason or "").strip()
        if not 2 <= len(reason) <= 200:
            raise InvalidInput("请填写撤诉原因（2 至 200 字）")
        with self.write() as s:
            order, _ = self._own(s, number, phone)
            self.orders.act(s, number=order.number, platform=order.platform, now=now, actor=CITIZEN, order=order,
                            check_scope=False, cmd=ActionCommand(Action.CANCEL, reason=reason, note=f"市民撤诉：{reason}"))

    def rate(self, number: str, *, solved: bool | None, satisfaction: str, comment: str, phone: str,
             now: datetime) -> bool:
        """Record the rating as the 回访 would (是否解决, 满意度); whether the order was reopened (重办)."""
        if satisfaction not in SATISFACTION:
            raise InvalidInput(f"请选择满意度：{'、'.join(SATISFACTION)}")
        if solved is None:
            raise InvalidInput("请选择问题是否已解决")
        comment = (comment or "").strip()
        if len(comment) > 500:
            raise InvalidInput("评价意见不超过 500 字")
        with self.write() as s:
            order, _ = self._own(s, number, phone)
            if Status(order.status) not in RATEABLE:
                raise Conflict("该诉求尚未答复或已评价，暂不能评价")
            act = lambda cmd, actor: self.orders.act(  # noqa: E731
                s, number=order.number, platform=order.platform, now=now, actor=actor, order=order, check_scope=False,
                cmd=cmd)
            if order.status == Status.REPLIED.value:
                act(ActionCommand(Action.CLOSE, note="市民已查看答复并评价，办结"), SYSTEM)
            said = f"市民评价：是否解决：{'是' if solved else '否'}；满意度：{satisfaction}" + (f"；意见：{comment}" if comment else "")
            act(ActionCommand(Action.VISIT, solved=solved, satisfaction=SATISFACTION[satisfaction], note=said), CITIZEN)
            reopens = _reopens(s, order)
            if satisfaction in self.rules.reopen.when and reopens < self.rules.reopen.max_times:
                act(ActionCommand(Action.REOPEN, reason=f"市民评价{satisfaction}，按规定重办（第 {reopens + 1} 次）"), SYSTEM)
                return True
        return False

    def _own(self, s: Session, number: str, phone: str) -> tuple[OrderRow, AppealRow]:
        number = (number or "").strip().upper()
        if not number or len(number) > 40:
            raise NotFound(NOT_YOURS)
        order = find_order(s, number)
        appeal = s.get(AppealRow, order.appeal_id) if order is not None else None
        if appeal is None or not appeal.caller_key or appeal.caller_key != self.phone_key(phone):
            raise NotFound(NOT_YOURS)
        return order, appeal

    def _view(self, s: Session, order: OrderRow, appeal: AppealRow) -> CaseView:
        events = events_of(s, order)
        replies = [e for e in events if e.action in REPLY_ACTIONS and (e.note or "").strip()]
        visit = next((e for e in reversed(events) if e.action == Action.VISIT.value and e.role == CITIZEN.role.value), None)
        notes = [(e.at, e.note.removeprefix("市民补充：")) for e in events if e.action == Notice.CITIZEN_NOTE.value]
        status = Status(order.status)
        plain = plain_status(order.status)
        unit = self.city.units.get(order.unit or "")
        citizen_can = allowed_actions(order.platform, status, CITIZEN.role)
        return CaseView(
            number=order.number, status=plain, explain=EXPLAIN.get(plain, ""), title=order.title,
            text=appeal.text, address=appeal.address, received_at=order.created_at,
            unit=unit.name if unit else None, reply=replies[-1].note if replies else None,
            replied_at=replies[-1].at if replies else None, notes=notes, photos=len(appeal.attachments or []),
            can_add=status not in TERMINAL, can_withdraw=Action.CANCEL in citizen_can, can_rate=status in RATEABLE,
            rated=visit.note.removeprefix("市民评价：") if visit is not None and not replies_after(events, visit) else None,
        )


def replies_after(events: list[OrderEventRow], event: OrderEventRow) -> bool:
    """A reply after the rating (the order was reopened and answered again): the old rating is history."""
    return any(e.seq > event.seq and e.action in REPLY_ACTIONS for e in events)


def _reopens(s: Session, order: OrderRow) -> int:
    return s.scalar(select(func.count()).select_from(OrderEventRow).where(
        OrderEventRow.order_id == order.id, OrderEventRow.action == Action.REOPEN.value)) or 0
