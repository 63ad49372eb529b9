"""Handling results written back by a department (部门回写): validated, then applied as an ordinary audited
action through `Orders.act`, or refused with a reason in Chinese for the sender. Each row is applied in a
transaction of its own, with the record that it was (`share_inbound_done`), so nothing is half-applied
and no row is applied twice, even when the answer could not be written back to the sender at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandong.core.actors import Actor, Role
from liandong.core.errors import InvalidInput, LiandongError
from liandong.orders.model import ActionCommand
from liandong.orders.service import Orders, find_order
from liandong.orders.states import Action
from liandong.regions.registry import CityRegistry
from liandong.share.scopes import Consumer
from liandong.share.tables import InboundDoneRow

ACTIONS = {Action.SIGN, Action.HANDLE, Action.REPLY, Action.RETURN, Action.REQUEST_EXTENSION}


@dataclass(frozen=True)
class Result:  # 办理结果（一行回写）
    ref: int  # the sender's row id
    order_number: str
    action: str
    unit: str
    note: str | None = None
    reason: str | None = None
    days: int | None = None


@dataclass(frozen=True)
class Outcome:
    ref: int
    applied: bool
    message: str


def check(result: Result, consumer: Consumer, city: CityRegistry) -> ActionCommand:
    """The action a result asks for, or InvalidInput saying why it is refused (before touching an order)."""
    try:
        action = Action(result.action)
    except ValueError:
        action = None
    if action not in ACTIONS:
        raise InvalidInput(f"不支持的回写操作「{result.action}」，可选：{'、'.join(a.value for a in ACTIONS)}")
    if not result.unit or result.unit not in city.units:
        raise InvalidInput(f"单位代码「{result.unit}」不存在")
    if consumer.unit and result.unit != consumer.unit:
        raise InvalidInput(f"接入方「{consumer.name}」只能回写本单位（{consumer.unit}）的办理结果，不能代「{result.unit}」回写")
    if result.note is not None and len(result.note) > 2000:
        raise InvalidInput("办理说明最多 2000 个字符")
    if action is Action.REQUEST_EXTENSION and not result.days:
        raise InvalidInput("申请延期须填写延期工作日数（days）")
    return ActionCommand(action=action, note=result.note or "", reason=result.reason, days=result.days)


def apply(write, orders: Orders, city: CityRegistry, consumer: Consumer, target: str, result: Result,
          now: datetime) -> Outcome:
    """Apply one result in its own transaction, or refuse it; a result already applied answers as before."""
    with write() as session:
        done = session.get(InboundDoneRow, (target, result.ref))
        if done is not None:
            return Outcome(result.ref, not done.outcome.startswith("拒收"), done.outcome)
    try:
        with write() as session:
            cmd = check(result, consumer, city)
            order = find_order(session, result.order_number)
            if order is None:
                raise InvalidInput(f"工单「{result.order_number}」不存在")
            actor = Actor(name=f"{consumer.name}（回写）"[:64], role=Role.HANDLER, unit=result.unit)
            order = orders.act(session, number=order.number, cmd=cmd, actor=actor, platform=order.platform, now=now,
                               order=order)
            message = f"已办理：{result.action}，工单状态 {order.status}"
            session.add(InboundDoneRow(target=target, inbound_id=result.ref, outcome=message, at=now))
        return Outcome(result.ref, True, message)
    except LiandongError as exc:
        message = f"拒收：{exc.message}"
    with write() as session:  # the refusal is the row's one answer, even if the sender cannot be told at once
        session.add(InboundDoneRow(target=target, inbound_id=result.ref, outcome=message, at=now))
    return Outcome(result.ref, False, message)


def applied_refs(session: Session, target: str) -> set[int]:
    return set(session.scalars(select(InboundDoneRow.inbound_id).where(InboundDoneRow.target == target)))
