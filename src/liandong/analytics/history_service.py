"""Importing a city's past appeals (`liandong history import`): every row checked, routed by the city's
router (category) and placed by its gazetteer (street/community) or, where the gazetteer does not know
the place, by the place the words name; stored with its own id. No order is opened or dispatched.

All rows are checked and routed before anything is written, and the rows are written in one transaction:
a file with a bad row imports nothing (unless the caller asks to skip bad rows), so nothing is ever
half-imported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Protocol

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from liandong.analytics.history import HistoryItem, check_row, named_place
from liandong.analytics.tables import HistoryRow
from liandong.core.errors import InvalidInput
from liandong.regions.places import Gazetteer

BATCH = 256


class Router(Protocol):
    def route_many(self, items: list[dict]): ...


@dataclass(frozen=True)
class BadRow:  # 问题行
    line: int
    reason: str


@dataclass(frozen=True)
class Prepared:
    item: HistoryItem
    category_code: str | None
    category_name: str | None
    region: str | None
    place: str | None


@dataclass
class HistoryImport:  # 历史诉求导入
    router: Router
    places: Gazetteer

    def prepare(self, rows: Iterable[tuple[int, dict]], columns: dict[str, str],
                progress: Callable[[int], None] = lambda n: None,
                use_gazetteer: bool = True) -> tuple[list[Prepared], list[BadRow]]:
        """Check, route and place every row; (the rows ready to store, the bad rows with line and reason).
        Without the gazetteer (another city's export) only the region column and the named place count."""
        items, bad, seen = [], [], {}
        for line, row in rows:
            try:
                item = check_row(line, row, columns)
            except InvalidInput as exc:
                bad.append(BadRow(line, exc.message))
                continue
            if item.external_id in seen:
                bad.append(BadRow(line, f"编号「{item.external_id}」与第{seen[item.external_id]}行重复"))
                continue
            seen[item.external_id] = line
            items.append(item)
        ready: list[Prepared] = []
        for start in range(0, len(items), BATCH):
            batch = items[start:start + BATCH]
            for item, decision in zip(batch, self._route(batch, bad)):
                if decision is None:
                    continue
                region = item.region or (self.places.resolve(item.text, item.address).region if use_gazetteer
                                         else None)
                ready.append(Prepared(item, decision.category_code, item.category or decision.category_name, region,
                                      named_place(item.subject or "", item.text)))
            progress(len(batch))
        return ready, sorted(bad, key=lambda b: b.line)

    def _route(self, batch: list[HistoryItem], bad: list[BadRow]) -> list:
        texts = [{"text": _routable(i), "channel": "web"} for i in batch]
        try:
            return list(self.router.route_many(texts))
        except InvalidInput:  # one bad text refuses the batch: route one by one to name it
            out = []
            for item, t in zip(batch, texts):
                try:
                    out.append(self.router.route_many([t])[0])
                except InvalidInput as exc:
                    bad.append(BadRow(item.line, exc.message))
                    out.append(None)
            return out

    @staticmethod
    def store(session: Session, ready: list[Prepared], *, source: str, now: datetime) -> int:
        """Write the prepared rows (one transaction: the caller's); ids already imported from `source` refuse it."""
        ids = [p.item.external_id for p in ready]
        existing = set()
        for start in range(0, len(ids), 500):
            existing |= set(session.scalars(select(HistoryRow.external_id).where(
                HistoryRow.source == source, HistoryRow.external_id.in_(ids[start:start + 500]))))
        if existing:
            lines = [p.item.line for p in ready if p.item.external_id in existing]
            raise InvalidInput(f"{len(existing)} 行的编号已从「{source}」导入过（第{'、'.join(map(str, lines[:10]))}行"
                               f"{'等' if len(lines) > 10 else ''}），本次未导入任何行")
        rows = [dict(source=source, external_id=p.item.external_id, received_at=p.item.received_at,
                     subject=(p.item.subject or "")[:200] or None, text=p.item.text, category_code=p.category_code,
                     category_name=p.category_name, region=p.region, place=(p.place or "")[:64] or None,
                     likes=p.item.likes, imported_at=now) for p in ready]
        for start in range(0, len(rows), 1000):
            session.execute(insert(HistoryRow), rows[start:start + 1000])
        return len(rows)


def _routable(item: HistoryItem) -> str:
    text = f"{item.subject}。{item.text}" if item.subject and item.subject not in item.text else item.text
    return text[:2000]
