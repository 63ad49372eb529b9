"""Trend warnings over the orders (趋势预警): 高发, 新发, 群诉增长 and 矛盾纠纷 (12345 and 110 rising in
the same street), raised for one day by `Warnings.scan` and acknowledged by a supervisor (已知悉, who,
when and why kept on the warning, once). The counts are SQL aggregates (street × category × day); the
judgement is `trends` (pure)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from liandong.analytics.sql import cst_date, moment
from liandong.analytics.tables import WarningRow
from liandong.analytics.trends import TrendPolicy, detect_high, detect_new, rising_together
from liandong.core.actors import Actor, Role
from liandong.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from liandong.orders.tables import OrderRow
from liandong.regions.codes import region_prefix
from liandong.regions.registry import CityRegistry

KIND_LABELS = {"high": "高发", "new": "新发", "mass": "群诉增长", "joint": "矛盾纠纷（12345 与 110 同步上升）"}
HISTORY_DAYS = 120
JOINT_DAYS = 3
ACK_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
O = OrderRow


@dataclass
class Warnings:  # 趋势预警
    city: CityRegistry
    is_working: Callable[[date], bool]
    policy: TrendPolicy = TrendPolicy()

    def scan(self, session: Session, *, day: date, now: datetime) -> list[WarningRow]:
        """Judge `day` against the days before it; store and return the new warnings (none twice)."""
        start = day - timedelta(days=HISTORY_DAYS)
        days = [start + timedelta(days=i) for i in range(HISTORY_DAYS + 1)]
        index = {d.isoformat(): i for i, d in enumerate(days)}
        street, when = func.substr(O.region, 1, 9), cst_date(O.created_at)
        base = and_(O.created_at >= moment(start), O.created_at < moment(day + timedelta(days=1)),
                    O.region.is_not(None), O.status.not_in(("cancelled", "merged")), O.by_transfer.is_(False))
        series: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(days))
        desks: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(days))
        for s, cat, d, platform, n in session.execute(
                select(street, func.coalesce(O.category_name, literal("未分类")), when, O.platform, func.count())
                .where(base).group_by(street, O.category_name, when, O.platform)):
            i = index.get(str(d))
            if i is None:
                continue
            series[(s, cat)][i] += n
            desks[(s, platform)][i] += n
        last = len(days) - 1
        found: list[tuple[str, str, str, int, float, float]] = []
        for (s, cat), counts in series.items():
            for f in detect_high(days, counts, self.is_working, self.policy, judge_from=last):
                found.append(("high", s, cat, f.count, f.expected, f.p_value))
            for f in detect_new(days, counts, self.policy, judge_from=last):
                found.append(("new", s, cat, f.count, 0.0, 0.0))
        for s in {s for s, _ in desks}:
            gov, police = desks.get((s, "12345")), desks.get((s, "110"))
            if gov is None or police is None:
                continue
            before = slice(last - JOINT_DAYS - 28 + 1, last - JOINT_DAYS + 1)
            ea, eb = (sum(x[before]) / 28 * JOINT_DAYS for x in (gov, police))
            hit = rising_together(gov[-JOINT_DAYS:], ea, police[-JOINT_DAYS:], eb)
            if hit:
                found.append(("joint", s, "12345 诉求与 110 警情", sum(gov[-JOINT_DAYS:]) + sum(police[-JOINT_DAYS:]),
                              ea + eb, max(hit)))
        found += self._mass(session, day)
        return self._store(session, found, day, now)

    def _mass(self, session: Session, day: date) -> list[tuple]:
        """群诉增长: a mass cluster (群诉) that gained at least k members on `day`, more than the day before."""
        today, yesterday = moment(day), moment(day - timedelta(days=1))
        out = []
        rows = session.execute(
            select(O.lead_order, func.substr(func.max(O.region), 1, 9), func.max(O.category_name),
                   func.sum(case((O.created_at >= today, 1), else_=0)),
                   func.sum(case((O.created_at < today, 1), else_=0)))
            .where(O.lead_order.is_not(None), O.created_at >= yesterday, O.created_at < today + timedelta(days=1))
            .group_by(O.lead_order)).all()
        for lead, s, cat, now_n, before_n in rows:
            if s and (now_n or 0) >= self.policy.new_k and (now_n or 0) > (before_n or 0):
                out.append(("mass", s, f"{cat or '未分类'}（主单 {lead}）", int(now_n), float(before_n or 0), 0.0))
        return out

    def _store(self, session: Session, found: list[tuple], day: date, now: datetime) -> list[WarningRow]:
        new = []
        for kind, s, cat, count, expected, p in found:
            exists = session.scalar(select(WarningRow.id).where(
                WarningRow.kind == kind, WarningRow.place == s, WarningRow.category == cat,
                WarningRow.day == day.isoformat()))
            if exists:
                continue
            region = self.city.regions.get(s)
            row = WarningRow(kind=kind, place=s, place_name=region.name if region else s, category=cat,
                             day=day.isoformat(), count=count, expected=round(expected, 2), p_value=p,
                             orders=self._orders(session, kind, s, cat, day), created_at=now)
            session.add(row)
            new.append(row)
        session.flush()
        return new

    @staticmethod
    def _orders(session: Session, kind: str, street: str, category: str, day: date) -> list[str]:
        cond = and_(O.region.startswith(street), O.created_at >= moment(day - timedelta(days=JOINT_DAYS - 1 if kind
                                                                                                 == "joint" else 0)),
                    O.created_at < moment(day + timedelta(days=1)), O.status.not_in(("cancelled", "merged")))
        if kind in ("high", "new"):
            cond = and_(cond, O.category_name == category if category != "未分类" else O.category_name.is_(None))
        if kind == "mass":
            cond = and_(cond, O.lead_order.is_not(None))
        return list(session.scalars(select(O.number).where(cond).order_by(O.created_at).limit(200)))


def list_warnings(session: Session, actor: Actor, *, start: date, end: date, kind: str | None = None) -> list[WarningRow]:
    """The warnings of [start, end] the viewer's region covers, newest first."""
    if kind is not None and kind not in KIND_LABELS:
        raise InvalidInput(f"预警类型「{kind}」无效，可选：{'、'.join(f'{k}（{v}）' for k, v in KIND_LABELS.items())}")
    if actor.role is Role.HANDLER:
        raise Forbidden("趋势预警供督办、派单和管理人员查看")
    cond = and_(WarningRow.day >= start.isoformat(), WarningRow.day <= end.isoformat())
    if kind:
        cond = and_(cond, WarningRow.kind == kind)
    if actor.role is not Role.ADMIN and actor.region:
        cond = and_(cond, WarningRow.place.startswith(region_prefix(actor.region)))
    return list(session.scalars(select(WarningRow).where(cond).order_by(WarningRow.day.desc(), WarningRow.id.desc())))


def acknowledge(session: Session, warning_id: int, actor: Actor, note: str, now: datetime) -> WarningRow:
    """已知悉: a supervisor takes note of a warning, once; who, when and why stay on it."""
    if actor.role not in ACK_ROLES:
        raise Forbidden("只有督办人员或管理员可以确认预警")
    row = session.get(WarningRow, warning_id)
    if row is None or (actor.role is not Role.ADMIN and actor.region
                       and not row.place.startswith(region_prefix(actor.region))):
        raise NotFound(f"预警「{warning_id}」不存在或不在您的辖区")
    if row.acknowledged_at is not None:
        raise Conflict(f"该预警已由{row.acknowledged_by}于{row.acknowledged_at:%Y-%m-%d %H:%M}确认")
    if len(note) > 500:
        raise InvalidInput("确认说明不能超过500字")
    row.acknowledged_by, row.acknowledged_at, row.acknowledged_note = actor.name, now, note.strip()
    session.flush()
    return row
