"""Hotspots (热点问题) of a period over the city's history and its live orders, ranked by heat.

A hotspot is one place × one category: the place is the street of the gazetteer where it found one
(`region`), else the place the words name (an estate, village, school, road); rows with no place at all
are left out — a hotspot is somewhere. Heat = appeals + 2 · ln(1 + likes): every appeal counts once,
and the public's agreement (a message board's likes) adds, damped, so that one much-liked message does
not outrank twenty citizens writing about the same estate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import Session

from liandong.analytics.tables import HistoryRow
from liandong.orders.tables import OrderRow
from liandong.regions.registry import CityRegistry

H = HistoryRow


@dataclass(frozen=True)
class Hotspot:  # 热点
    rank: int
    heat: float
    place: str
    category: str
    description: str
    first_at: datetime
    last_at: datetime
    count: int
    appeal_ids: list[str]

    def to_dict(self) -> dict:
        return {"rank": self.rank, "heat": self.heat, "place": self.place, "category": self.category,
                "description": self.description, "first_at": self.first_at.isoformat(),
                "last_at": self.last_at.isoformat(), "count": self.count, "appeal_ids": self.appeal_ids}


def heat(count: int, likes: int) -> float:
    return round(count + 2 * math.log1p(max(likes, 0)), 1)


def ranked_hotspots(session: Session, city: CityRegistry, *, start: datetime, end: datetime, top: int = 10,
                    min_count: int = 2, scope=None) -> list[Hotspot]:
    """The top hotspots of [start, end) over imported history and live orders (both desks)."""
    place_h = func.coalesce(func.substr(H.region, 1, 9), H.place)
    category_h = func.coalesce(H.category_name, literal("未分类"))
    hist = session.execute(
        select(place_h, category_h, func.count(), func.min(H.received_at), func.max(H.received_at),
               func.sum(H.likes))
        .where(H.received_at >= start, H.received_at < end, place_h.is_not(None))
        .group_by(place_h, category_h)).all()
    place_o = func.substr(OrderRow.region, 1, 9)
    category_o = func.coalesce(OrderRow.category_name, literal("未分类"))
    cond = and_(OrderRow.created_at >= start, OrderRow.created_at < end, OrderRow.region.is_not(None),
                OrderRow.status.not_in(("cancelled", "merged")), OrderRow.by_transfer.is_(False))
    if scope is not None:
        cond = and_(cond, scope)
    live = session.execute(
        select(place_o, category_o, func.count(), func.min(OrderRow.created_at), func.max(OrderRow.created_at),
               literal(0)).where(cond).group_by(place_o, category_o)).all()
    groups: dict[tuple[str, str], list] = {}
    for place, category, n, first, last, likes in [*hist, *live]:
        g = groups.setdefault((place, category), [0, first, last, 0])
        g[0] += n
        g[1], g[2], g[3] = min(g[1], first), max(g[2], last), g[3] + int(likes or 0)
    scored = sorted(((heat(g[0], g[3]), key, g) for key, g in groups.items() if g[0] >= min_count),
                    key=lambda t: (-t[0], -t[2][0], t[1]))[:top]
    out = []
    for rank, (h, (place, category), (n, first, last, _)) in enumerate(scored, start=1):
        ids, subject = _members(session, place, category, start, end, cond, place_o, category_o)
        name = _place_name(city, place)
        out.append(Hotspot(rank, h, name, category, f"{name}·{category}：{subject}" if subject else f"{name}·{category}",
                           first, last, n, ids))
    return out


def _members(session, place, category, start, end, cond, place_o, category_o) -> tuple[list[str], str]:
    place_h = func.coalesce(func.substr(H.region, 1, 9), H.place)
    rows = session.execute(
        select(H.external_id, H.subject, H.text, H.likes)
        .where(H.received_at >= start, H.received_at < end, place_h == place,
               func.coalesce(H.category_name, literal("未分类")) == category)
        .order_by(H.likes.desc(), H.received_at)).all()
    ids = [r.external_id for r in rows]
    subject = (rows[0].subject or rows[0].text[:40]) if rows else ""
    orders = session.execute(select(OrderRow.number, OrderRow.title).where(cond, place_o == place,
                                                                            category_o == category)
                             .order_by(OrderRow.created_at)).all()
    ids += [o.number for o in orders]
    return ids, subject or (orders[0].title if orders else "")


def _place_name(city: CityRegistry, place: str) -> str:
    region = city.regions.get(place)
    if region is None:
        return place
    district = city.regions.get(place[:6])
    return f"{district.name}{region.name}" if district and district.code != place else region.name
