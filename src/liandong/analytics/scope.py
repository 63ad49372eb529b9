"""Who sees which figures (统计范围). Counts carry no citizen data, so a supervisor or dispatcher sees both
desks' counts inside their region — the fused 12345 + 110 view the city asks for; a handler sees their
unit's; an admin everything. The orders behind a figure are listed under the order rules
(`orders.scope.scope_filter`): one's own platform only."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from liandong.core.actors import Actor, Role
from liandong.core.errors import Forbidden
from liandong.orders.tables import OrderRow
from liandong.regions.codes import region_prefix, within


def counts_scope(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.ADMIN or (actor.role is not Role.HANDLER and actor.region is None):
        return true()
    if actor.role is Role.HANDLER:
        return OrderRow.unit == (actor.unit or "")
    return or_(OrderRow.region.is_(None), OrderRow.region.startswith(region_prefix(actor.region)))


def require_place(actor: Actor, code: str, name: str) -> None:
    """A street or district report is for those whose region covers it."""
    if actor.role is Role.HANDLER:
        raise Forbidden(f"承办人只能查看本单位的统计，不能查看「{name}」的街镇报告")
    if actor.role is not Role.ADMIN and actor.region and not within(code, actor.region):
        raise Forbidden(f"「{name}」不在您的辖区范围内，无权查看其统计")
