"""Who may see and act on which order (权限范围): one rule, as a check on a row and as a SQL condition.

A handler (承办人) sees only orders currently with their unit; everyone else sees their own platform's
orders inside their region; an admin sees all. An order without a region is visible to the whole platform.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, true

from liandong.core.actors import Actor, Role
from liandong.core.errors import Forbidden
from liandong.orders.tables import OrderRow
from liandong.regions.codes import region_prefix, within


def can_view(actor: Actor, platform: str, order: OrderRow) -> bool:
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.HANDLER:
        return order.unit is not None and order.unit == actor.unit
    if order.platform != platform:
        return False
    return actor.region is None or order.region is None or within(order.region, actor.region)


def require_view(actor: Actor, platform: str, order: OrderRow) -> None:
    if not can_view(actor, platform, order):
        raise Forbidden(f"无权查看或操作工单 {order.number}：不在您的单位或辖区范围内")


def scope_filter(actor: Actor, platform: str) -> ColumnElement[bool]:
    """The same rule as `can_view`, as a SQL condition for listings."""
    if actor.role is Role.ADMIN:
        return true()
    if actor.role is Role.HANDLER:
        return OrderRow.unit == (actor.unit or "")
    cond = OrderRow.platform == platform
    if actor.region:
        cond = and_(cond, or_(OrderRow.region.is_(None), OrderRow.region.startswith(region_prefix(actor.region))))
    return cond


def may_see_contact(actor: Actor, order: OrderRow) -> bool:
    """The handler whose unit holds the order must phone the citizen back; an admin may; nobody else."""
    return actor.role is Role.ADMIN or (actor.role is Role.HANDLER and order.unit == actor.unit)


PHONE_SEARCH_ROLES = frozenset({Role.OPERATOR, Role.POLICE, Role.HANDLER, Role.ADMIN})


def may_search_by_phone(actor: Actor) -> bool:
    """Who may look orders up by the caller's phone number (exact): the call-takers (话务员, 110 接警员),
    who hear the number and must find the caller's earlier appeals; the handler, who phones the citizen
    back (their scope is their unit's orders); an admin. Dispatchers and supervisors work on orders, not
    on callers: they may not. The number is matched by its keyed hash; results stay masked in lists."""
    return actor.role in PHONE_SEARCH_ROLES
