"""The first order of each recent appeal, kept in the process: what a repeat or 群诉 finding names.

Why: a mass complaint's every new member names the cluster's first and latest members' orders, and reading
them was one SELECT per appeal in the intake writer (13 % of its time under load, most of it waiting on
PostgreSQL). What is kept never changes once committed — an order's id, number, appeal, creation time and
its 群诉 lead (`lead_order` is written only when the order is opened) — so a kept entry is never stale.
`satisfied` does change (the visit, 回访): it is kept for no one, and a repeat, which needs it, is read.

Filled from what this process commits (`remember`) and from every read; bounded, the oldest dropped first.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Iterable, NamedTuple

MAX_KEPT = 200_000  # ≈ 40 MB at most; a cluster's members are hours old, a repeat's are read anyway


class FirstOrder(NamedTuple):  # 诉求的首张工单
    id: int
    appeal_id: str
    number: str
    satisfied: bool | None  # as read; never used from the cache
    created_at: datetime
    lead_order: str | None


class FirstOrders:
    def __init__(self, limit: int = MAX_KEPT) -> None:
        self._kept: dict[str, FirstOrder] = {}
        self._limit = limit
        self._lock = threading.Lock()

    def known(self, appeal_ids: Iterable[str]) -> dict[str, FirstOrder]:
        with self._lock:
            return {a: self._kept[a] for a in appeal_ids if a in self._kept}

    def remember(self, orders: Iterable) -> None:
        """Committed orders (rows or ORM objects with the fields above): the lowest id of each appeal is kept.
        Every order of an appeal must be among them, or already kept (an appeal's orders are opened together)."""
        first: dict[str, FirstOrder] = {}
        for o in orders:
            kept = first.get(o.appeal_id)
            if kept is None or o.id < kept.id:
                first[o.appeal_id] = FirstOrder(o.id, o.appeal_id, o.number, None, o.created_at, o.lead_order)
        with self._lock:
            for appeal_id, order in first.items():
                old = self._kept.get(appeal_id)
                if old is None or order.id < old.id:
                    self._kept[appeal_id] = order
            if len(self._kept) > self._limit:
                for appeal_id in list(self._kept)[: len(self._kept) - self._limit * 9 // 10]:
                    del self._kept[appeal_id]

    def __len__(self) -> int:
        return len(self._kept)
