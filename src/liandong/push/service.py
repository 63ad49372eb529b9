"""Subscribers (订阅方) and the outbox writer: `Push.on_order_event` listens to the order core (wired in
`app.py`) and, in the same transaction as the change, writes one delivery per active subscriber that
chose the event. If the change rolls back, nothing was queued; if it commits, the relay will deliver.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from liandong.core.errors import Conflict, InvalidInput, NotFound
from liandong.core.ids import new_id
from liandong.orders.events import OrderChanged, OrderEvent, OrderOpened
from liandong.push import events as ev
from liandong.push.tables import DeliveryRow, DeliveryState, SubscriberRow
from liandong.storage.ids import this_transaction

_INSERT = insert(DeliveryRow.__table__)
MAX_LIST = 500


@dataclass(frozen=True)
class SubscriberView:  # 订阅方（不含密钥）
    name: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime
    pending: int = 0
    failed: int = 0
    delivered: int = 0


def check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 512:
        raise InvalidInput("推送地址应为 http:// 或 https:// 开头的完整网址（最多 512 个字符）")
    return url


def check_events(names: list[str]) -> list[str]:
    chosen = [n.strip() for n in names if n and n.strip()]
    bad = [n for n in chosen if n not in set(ev.EventKind)]
    if bad or not chosen:
        raise InvalidInput(f"推送事件无效：{'、'.join(bad) or '未选择'}；可选 {', '.join(k.value for k in ev.EventKind)}")
    return sorted(set(chosen))


class Push:  # 事件推送
    def __init__(self, platform: str) -> None:
        self.platform = platform

    # -- subscribers -------------------------------------------------------------------------
    def add(self, session: Session, *, name: str, url: str, events: list[str], now: datetime,
            key: str | None = None) -> tuple[SubscriberRow, str]:
        """Register a subscriber; returns it with its HMAC key (generated unless given), shown once."""
        name = (name or "").strip()
        if not name or len(name) > 64:
            raise InvalidInput("订阅方名称不能为空，最多 64 个字符")
        if key is not None and not (16 <= len(key) <= 128):
            raise InvalidInput("推送密钥应为 16–128 个字符")
        if session.scalar(select(SubscriberRow.id).where(SubscriberRow.name == name)):
            raise Conflict(f"订阅方「{name}」已存在")
        row = SubscriberRow(id=new_id(), name=name, url=check_url(url), key=key or secrets.token_urlsafe(32),
                            events=check_events(events), active=True, created_at=now)
        session.add(row)
        session.flush()
        return row, row.key

    def remove(self, session: Session, name: str, *, now: datetime) -> int:
        """Deactivate a subscriber; its undelivered events are marked failed (订阅已删除). Returns how many."""
        row = session.scalar(select(SubscriberRow).where(SubscriberRow.name == name, SubscriberRow.active))
        if row is None:
            raise NotFound(f"订阅方「{name}」不存在")
        row.active, row.removed_at = False, now
        return session.execute(
            update(DeliveryRow).where(DeliveryRow.subscriber_id == row.id,
                                      DeliveryRow.state.in_([DeliveryState.PENDING, DeliveryState.SENDING]))
            .values(state=DeliveryState.FAILED, last_error="订阅已删除", claimed_by=None)
            .execution_options(synchronize_session=False)).rowcount

    def subscribers(self, session: Session) -> list[SubscriberView]:
        counts: dict[str, dict[str, int]] = {}
        for sid, state, n in session.execute(select(DeliveryRow.subscriber_id, DeliveryRow.state, func.count())
                                             .group_by(DeliveryRow.subscriber_id, DeliveryRow.state)):
            counts.setdefault(sid, {})[state] = n
        rows = session.scalars(select(SubscriberRow).where(SubscriberRow.active).order_by(SubscriberRow.name))
        return [SubscriberView(r.name, r.url, list(r.events), r.active, r.created_at,
                               pending=counts.get(r.id, {}).get("pending", 0) + counts.get(r.id, {}).get("sending", 0),
                               failed=counts.get(r.id, {}).get("failed", 0),
                               delivered=counts.get(r.id, {}).get("delivered", 0)) for r in rows]

    def deliveries(self, session: Session, *, state: str | None = None, subscriber: str | None = None,
                   limit: int = 100) -> list[tuple[DeliveryRow, str]]:
        """Deliveries newest first, with the subscriber's name (for administrators: 推送记录与失败)."""
        if state is not None and state not in DeliveryState.ALL:
            raise InvalidInput(f"推送状态无效「{state}」，可选：{'、'.join(DeliveryState.ALL)}")
        q = select(DeliveryRow, SubscriberRow.name).join(SubscriberRow, SubscriberRow.id == DeliveryRow.subscriber_id)
        if state:
            q = q.where(DeliveryRow.state == state)
        if subscriber:
            q = q.where(SubscriberRow.name == subscriber)
        return [(d, n) for d, n in session.execute(q.order_by(DeliveryRow.id.desc()).limit(min(limit, MAX_LIST)))]

    def requeue(self, session: Session, delivery_id: int, *, now: datetime) -> None:
        """Try a failed delivery again from the start (after the subscriber was fixed)."""
        done = session.execute(
            update(DeliveryRow).where(DeliveryRow.id == delivery_id, DeliveryRow.state == DeliveryState.FAILED,
                                      DeliveryRow.subscriber_id.in_(select(SubscriberRow.id).where(SubscriberRow.active)))
            .values(state=DeliveryState.PENDING, attempts=0, next_attempt_at=now, claimed_by=None)
            .execution_options(synchronize_session=False)).rowcount
        if not done:
            raise NotFound(f"没有可重推的失败记录 {delivery_id}")

    # -- the listener ------------------------------------------------------------------------
    def on_order_event(self, session: Session, event: OrderEvent) -> None:
        order = event.order
        if isinstance(event, OrderOpened):
            kind = ev.kind_of(opened=True, platform=order.platform, level=order.level, to_status=None, action=None)
            action = None
        elif isinstance(event, OrderChanged):
            action = event.action.value
            kind = ev.kind_of(opened=False, platform=order.platform, level=order.level,
                              to_status=event.to_status.value, action=action)
        else:
            return
        if kind is None:
            return
        chosen = [sid for sid, kinds in _active_subscribers(session) if kind.value in (kinds or [])]
        if not chosen:
            return
        event_id = new_id()
        facts = ev.OrderFacts(order.number, order.platform, order.status, order.category_code, order.category_name,
                              order.level, order.region, order.unit, order.warning)
        raw = ev.body(kind, event_id=event_id, order=facts, at=event.now, action=action, platform=self.platform)
        with session.no_autoflush:
            session.execute(_INSERT, [dict(subscriber_id=sid, event_id=event_id, event=kind.value,
                                           order_number=order.number, body=raw, state=DeliveryState.PENDING, attempts=0,
                                           next_attempt_at=event.now, created_at=event.now) for sid in chosen])


def _active_subscribers(session: Session) -> list[tuple[str, list[str] | None]]:
    """The active subscribers and their event kinds, read once per transaction: an intake batch opens
    dozens of orders in one (measured: a look-up per order event was 5 % of the intake writer's time).
    A subscriber registered while a batch is being written receives events from the next transaction on."""
    kept = this_transaction(session, "push_subscribers")
    if "subs" not in kept:
        with session.no_autoflush:  # the order's own INSERT/UPDATE waits for the caller's one flush
            kept["subs"] = session.execute(select(SubscriberRow.id, SubscriberRow.events).where(SubscriberRow.active)).all()
    return kept["subs"]
