"""Hotspots (热点问题) of a period over the city's history and its live orders, ranked by heat.

A hotspot is one place: the place the words name (an estate, village, school, road — one key for its
spellings), else the street the gazetteer found (`region`); rows with neither, or naming only a district,
are left out — a hotspot is somewhere. Its category is the one most of its appeals have. Heat = appeals + 2 · ln(1 + likes): every appeal counts once,
and the public's agreement (a message board's likes) adds, damped, so that one much-liked message does
not outrank twenty citizens writing about the same estate."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, literal, or_, select
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


_DISTRICT_ONLY = re.compile(r"^[A-Z]\d*[市区县]$")
_DISTRICT_PREFIX = re.compile(r"^[A-Z]\d+[区县]")


def place_key(place: str | None) -> str | None:
    """The place a hotspot is about, one key for its spellings (A2区丽发新城 = 丽发新城); a district
    alone is not a hotspot's place."""
    if not place or _DISTRICT_ONLY.match(place):
        return None
    key = _DISTRICT_PREFIX.sub("", place)
    return key if len(key) >= 3 else None


@dataclass
class _Group:
    count: int = 0
    first: datetime | None = None
    last: datetime | None = None
    likes: int = 0
    categories: Counter = field(default_factory=Counter)
    spellings: Counter = field(default_factory=Counter)  # the place as written, or the street's code
    streets: set = field(default_factory=set)  # streets whose rows (no place named) belong here

    def add(self, n, first, last, likes, category, spelling, street=None):
        self.count += n
        self.first = first if self.first is None else min(self.first, first)
        self.last = last if self.last is None else max(self.last, last)
        self.likes += int(likes or 0)
        self.categories[category] += n
        self.spellings[spelling] += n
        if street:
            self.streets.add(street)


def ranked_hotspots(session: Session, city: CityRegistry, *, start: datetime, end: datetime, top: int = 10,
                    min_count: int = 2, scope=None) -> list[Hotspot]:
    """The top hotspots of [start, end) over imported history and live orders (both desks): a place named in
    the words (an estate, village, school, road) or else the street, with its most frequent category."""
    street_h = func.substr(H.region, 1, 9)
    category_h = func.coalesce(H.category_name, literal("未分类"))
    hist = session.execute(
        select(H.place, street_h, category_h, func.count(), func.min(H.received_at), func.max(H.received_at),
               func.sum(H.likes))
        .where(H.received_at >= start, H.received_at < end)
        .group_by(H.place, street_h, category_h)).all()
    street_o = func.substr(OrderRow.region, 1, 9)
    category_o = func.coalesce(OrderRow.category_name, literal("未分类"))
    cond = and_(OrderRow.created_at >= start, OrderRow.created_at < end, OrderRow.region.is_not(None),
                OrderRow.status.not_in(("cancelled", "merged")), OrderRow.by_transfer.is_(False))
    if scope is not None:
        cond = and_(cond, scope)
    live = session.execute(select(street_o, category_o, func.count(), func.min(OrderRow.created_at),
                                  func.max(OrderRow.created_at)).where(cond).group_by(street_o, category_o)).all()
    groups: dict[str, _Group] = defaultdict(_Group)
    for place, street, category, n, first, last, likes in hist:
        key = place_key(place)
        if key is not None:
            groups[key].add(n, first, last, likes, category, place)
        elif street:
            groups[street].add(n, first, last, likes, category, street, street)
    for street, category, n, first, last in live:
        groups[street].add(n, first, last, 0, category, street, street)
    scored = sorted(((heat(g.count, g.likes), key, g) for key, g in groups.items() if g.count >= min_count),
                    key=lambda t: (-t[0], -t[2].count, t[1]))[:top]
    out = []
    for rank, (h, key, g) in enumerate(scored, start=1):
        ids, subject = _members(session, g, start, end, cond, street_o)
        name = _place_name(city, g.spellings.most_common(1)[0][0])
        category = g.categories.most_common(1)[0][0]
        out.append(Hotspot(rank, h, name, category, f"{name}：{subject}" if subject else name, g.first, g.last,
                           g.count, ids))
    return out


def _members(session, g: _Group, start, end, cond, street_o) -> tuple[list[str], str]:
    places = [p for p in g.spellings if p not in g.streets]
    street_h = func.substr(H.region, 1, 9)
    who = H.place.in_(places) if places else literal(False)
    if g.streets:
        who = or_(who, street_h.in_(g.streets))
    rows = session.execute(select(H.external_id, H.subject, H.text, H.place)
                           .where(H.received_at >= start, H.received_at < end, who)
                           .order_by(H.likes.desc(), H.received_at)).all()
    rows = [r for r in rows if r.place in places or place_key(r.place) is None]
    ids = [r.external_id for r in rows]
    subject = (rows[0].subject or rows[0].text[:40]) if rows else ""
    orders = session.execute(select(OrderRow.number, OrderRow.title).where(cond, street_o.in_(g.streets))
                             .order_by(OrderRow.created_at)).all() if g.streets else []
    ids += [o.number for o in orders]
    return ids, subject or (orders[0].title if orders else "")


def _place_name(city: CityRegistry, place: str) -> str:
    region = city.regions.get(place)
    if region is None:
        return place
    district = city.regions.get(place[:6])
    return f"{district.name}{region.name}" if district and district.code != place else region.name
