"""Orders as the API shows them: personal data masked unless the viewer must call the citizen back."""

from __future__ import annotations

from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor
from liandong.core.masking import mask_name, mask_phone
from liandong.orders.schemas import CallerRead, EventRead, OrderRead, OrderRef, OrderSummary
from liandong.orders.scope import may_see_contact
from liandong.orders.states import ACTION_LABELS, NOTICE_LABELS, STATUS_LABELS, Action, Notice, Status, allowed_actions
from liandong.orders.tables import OrderEventRow, OrderRow, TransferOverdue


def marks(order: OrderRow) -> list[str]:
    """The order's marks as the API lists them (`flags`), sorted: 推诿, 重复来电, 群诉, 骚扰, and the link state."""
    out = {
        "bounce": order.bounce, "mass": order.mass, "mass_lead": order.mass_lead, "harass": order.harass,
        "by_transfer": order.by_transfer, "accept_sent": order.accept_sent, "escalated": order.escalated,
        "manual_category": order.category_unmapped,
        "transfer_overdue": order.transfer_overdue == TransferOverdue.OVERDUE,
        "transfer_overdue_accepted": order.transfer_overdue == TransferOverdue.ACCEPTED_LATE,
    }
    names = {name for name, on in out.items() if on}
    if order.repeat_call:
        names |= {"repeat", order.repeat_call}
    if order.transfer_purpose:
        names.add(f"purpose:{order.transfer_purpose}")
    names |= {f"notify:{p}" for p in order.notified or ()}
    return sorted(names)


def ref(order: OrderRow) -> OrderRef:
    return OrderRef(id=order.number, platform=order.platform, status=order.status,
                    status_label=STATUS_LABELS[Status(order.status)], unit=order.unit)


def summary(order: OrderRow, appeal: AppealRow, city) -> OrderSummary:
    return OrderSummary(**_summary_fields(order, appeal, city))


def _summary_fields(order: OrderRow, appeal: AppealRow, city) -> dict:
    unit = city.units.get(order.unit) if order.unit else None
    return dict(
        id=order.number, platform=order.platform, status=order.status,
        status_label=STATUS_LABELS[Status(order.status)], title=order.title, category=order.category_name,
        kind=order.kind, level=order.level, unit=order.unit, unit_name=unit.name if unit else None,
        region=order.region, review=order.review, warning=order.warning, flags=marks(order),
        created_at=order.created_at, close_due=order.close_due,
        caller_name=mask_name(appeal.caller_name), caller_phone=mask_phone(appeal.caller_phone),
    )


def detail(order: OrderRow, appeal: AppealRow, city, actor: Actor) -> OrderRead:
    full = may_see_contact(actor, order)
    caller = CallerRead(
        name=appeal.caller_name if full else mask_name(appeal.caller_name),
        phone=appeal.caller_phone if full else mask_phone(appeal.caller_phone),
        masked=not full,
    )
    allowed = [a.value for a in allowed_actions(order.platform, Status(order.status), actor.role)]
    return OrderRead(
        **_summary_fields(order, appeal, city),
        appeal_id=appeal.id, text=appeal.text, address=appeal.address,
        place=city.region_path(appeal.region) if appeal.region else None, channel=appeal.channel,
        received_at=appeal.received_at, caller=caller, services=list(order.services or []),
        category_code=order.category_code, category_group=order.category_group, unit_function=order.unit_function,
        routing=dict(appeal.routing or {}), sign_due=order.sign_due, reply_due=order.reply_due,
        extension_days=order.extension_days, return_count=order.return_count, transfer_count=order.transfer_count,
        urge_count=order.urge_count, supervised=order.supervised, satisfied=order.satisfied, rating=order.rating,
        solved=order.solved, satisfaction=order.satisfaction, contacted_at=order.contacted_at,
        merged_into=order.merged_into, peer_platform=order.peer_platform, peer_order_id=order.peer_order_id,
        linked_order=order.linked_order, lead_order=order.lead_order, closed_at=order.closed_at,
        updated_at=order.updated_at, version=order.version, allowed_actions=allowed,
    )


def event(row: OrderEventRow) -> EventRead:
    try:
        label = ACTION_LABELS[Action(row.action)]
    except ValueError:
        label = "受理" if row.action == "receive" else NOTICE_LABELS.get(Notice._value2member_map_.get(row.action),
                                                                           row.action)
    return EventRead(seq=row.seq, action=row.action, action_label=label, from_status=row.from_status,
                     to_status=row.to_status, actor=row.actor, role=row.role, unit=row.unit, at=row.at,
                     note=row.note, data=dict(row.data or {}))
