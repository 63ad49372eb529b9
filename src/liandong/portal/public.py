"""办理情况公开: a unit approves a handled appeal for publication; the public reads the redacted snapshot.

The unit that handled the order (or a supervisor or admin) approves it, choosing whether its photos may be
shown; the snapshot keeps the category, the street (never the exact address), the unit and the redacted
question and reply. The public list reads only these snapshots, searchable by category and street."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor, Role
from liandong.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from liandong.orders.service import events_of, get_order
from liandong.orders.states import Status
from liandong.portal.adapters import PhotoStore
from liandong.portal.plain import REPLY_ACTIONS
from liandong.portal.publication import PUBLISHABLE, public_text
from liandong.portal.tables import PublicCaseRow
from liandong.regions.places import Gazetteer
from liandong.regions.registry import CityRegistry

PAGE = 20
APPROVERS = (Role.HANDLER, Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True)
class PublicPage:
    cases: list[PublicCaseRow]
    total: int
    page: int
    pages: int


@dataclass
class PublicCases:
    city: CityRegistry
    places: Gazetteer
    photos: PhotoStore
    write: Callable[[], AbstractContextManager[Session]]
    read: Callable[[], AbstractContextManager[Session]]

    def publish(self, number: str, *, actor: Actor, with_photos: bool, now: datetime) -> PublicCaseRow:
        """Approve the handled order for the public list (again: the snapshot is taken anew)."""
        if actor.role not in APPROVERS:
            raise Forbidden("公开办理情况需由承办单位承办人、督办员或管理员确认")
        with self.write() as s:
            order = get_order(s, number)
            if actor.role is Role.HANDLER and (not actor.unit or actor.unit != order.unit):
                raise Forbidden("只能公开本单位承办的工单")
            if Status(order.status) not in PUBLISHABLE:
                raise Conflict("只有已答复或已办结的工单才能公开")
            appeal = s.get(AppealRow, order.appeal_id)
            replies = [e for e in events_of(s, order) if e.action in REPLY_ACTIONS and (e.note or "").strip()]
            if not replies:
                raise Conflict("该工单没有答复内容，不能公开")
            compounds = tuple(n for p in self.places.places if p.kind == "compound" for n in (p.name, *p.aliases))
            redacted = public_text(order.title, appeal.text, replies[-1].note, name=appeal.caller_name,
                                   compounds=compounds)
            street = (order.region or "")[:9] or None
            unit = self.city.units.get(order.unit or "")
            row = s.scalar(select(PublicCaseRow).where(PublicCaseRow.order_number == order.number)) or PublicCaseRow(
                order_number=order.number)
            row.category_name = order.category_name
            row.street = street
            row.street_name = self.city.regions[street].name if street in self.city.regions else None
            row.unit_name = unit.name if unit else None
            row.title, row.text, row.reply = redacted.title or "（无标题）", redacted.text, redacted.reply
            row.photos = [a["sha256"] for a in appeal.attachments or [] if a.get("sha256")] if with_photos else []
            row.received_at, row.replied_at = order.created_at, replies[-1].at
            row.approved_by, row.approved_at = actor.name, now
            s.add(row)
            s.flush()
            return row

    def search(self, *, category: str = "", street: str = "", page: int = 1) -> PublicPage:
        if len(category) > 64 or len(street) > 12 or not 1 <= page <= 10_000:
            raise InvalidInput("查询条件过长或页码无效")
        where = []
        if category.strip():
            where.append(PublicCaseRow.category_name.contains(category.strip(), autoescape=True))
        if street.strip():
            where.append(PublicCaseRow.street == street.strip())
        with self.read() as s:
            total = s.scalar(select(func.count()).select_from(PublicCaseRow).where(*where)) or 0
            rows = list(s.scalars(select(PublicCaseRow).where(*where).order_by(PublicCaseRow.approved_at.desc(),
                                  PublicCaseRow.id.desc()).limit(PAGE).offset((page - 1) * PAGE)))
        return PublicPage(rows, total, page, max(1, -(-total // PAGE)))

    def case(self, case_id: int) -> PublicCaseRow:
        with self.read() as s:
            row = s.get(PublicCaseRow, case_id)
        if row is None:
            raise NotFound("未找到该公开案例")
        return row

    def streets(self) -> list[tuple[str, str]]:
        with self.read() as s:
            used = set(s.scalars(select(PublicCaseRow.street).distinct()))
        return [(c, self.city.region_path(c)) for c in sorted(used) if c and c in self.city.regions]

    def photo(self, case_id: int, sha256: str) -> bytes:
        """A photo the unit approved for the public, else NotFound (nothing else is served publicly)."""
        row = self.case(case_id)
        data = self.photos.read(sha256) if sha256 in (row.photos or []) else None
        if data is None:
            raise NotFound("未找到该照片")
        return data
