"""What the order detail shows around an order (关联信息): its linked order on the other platform with the
state of the link, the 群诉 lead and members, the earlier orders a repeat call follows, attachments.

Read with the same functions as the JSON API (`supervision.queries.related_of`); a linked order outside the
viewer's scope is named but not opened (its number only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.console.deps import can_view
from liandong.core.actors import Actor
from liandong.orders import service as orders
from liandong.orders.states import STATUS_LABELS, Status
from liandong.orders.tables import OrderRow, TransferOverdue
from liandong.supervision.queries import related_of

LINK_STATES = {  # the shadow's status → the state of the link as the origin sees it
    Status.TRANSFERRED.value: "已转办，待对方签收", Status.PEER_HANDLING.value: "对方已签收，办理中",
    Status.REPLIED.value: "对方已办结反馈",
}


@dataclass(frozen=True)
class Linked:  # 关联工单
    number: str
    platform: str
    status_label: str | None  # None: outside the viewer's scope
    visible: bool


@dataclass
class RelatedView:
    linked: Linked | None = None
    link_state: str | None = None  # 转办状态 of a shadow
    overdue: str | None = None
    lead: str | None = None
    members: list[str] = field(default_factory=list)
    mass_count: int = 0
    repeat_of: list[str] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)


def related_view(session: Session, order: OrderRow, appeal: AppealRow, actor: Actor, platform: str) -> RelatedView:
    view = RelatedView(attachments=list(appeal.attachments or []))
    rel = related_of(session, order, appeal)
    view.lead, view.mass_count, view.repeat_of = rel["lead_order"], rel["mass_count"], rel["repeat_of"]
    view.members = [n for n in rel["mass_members"] if n != order.number][:20]
    number = order.linked_order or order.peer_order_id
    if number:
        other = orders.find_order(session, number)
        if other is None:  # on a peer desk: known by number only
            view.linked = Linked(number, order.peer_platform or "", None, False)
        else:
            visible = can_view(actor, platform, other)
            view.linked = Linked(other.number, other.platform,
                                 STATUS_LABELS[Status(other.status)] if visible else None, visible)
    if order.peer_platform and not order.by_transfer:
        view.link_state = LINK_STATES.get(order.status)
    if order.transfer_overdue == TransferOverdue.OVERDUE:
        view.overdue = "转办超时未签收"
    elif order.transfer_overdue == TransferOverdue.ACCEPTED_LATE:
        view.overdue = "转办超时后签收"
    return view
