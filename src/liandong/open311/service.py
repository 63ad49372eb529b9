"""Open311 over Liandong (Open311 接口): services from the city's reference lists, service requests from
12345 work orders, new requests as ordinary appeals through intake.

A service request is a 12345 work order (工单) whose category is published (`mapping.published`); its id
is the order number. A request posted here becomes an appeal (channel web, or app with a device_id), is
routed and opens its orders like any other; the answer carries the order number and a token (the appeal
id), which only the client that posted it can resolve.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor, Role
from liandong.core.types import Channel, Platform
from liandong.intake.schemas import AppealCreate, Caller
from liandong.open311 import documents as doc
from liandong.open311 import mapping
from liandong.open311.documents import Document, Open311Error
from liandong.open311.keys import Open311Client
from liandong.orders.tables import OrderRow
from liandong.regions.codes import region_prefix
from liandong.regions.registry import CityRegistry
from liandong.routing.lists import Item


def actor_of(client: Open311Client) -> Actor:
    return Actor(name=f"open311:{client.name}", role=Role.SYSTEM, region=client.region)


class Open311:  # Open311 接口
    def __init__(self, city: CityRegistry, items) -> None:
        self.city = city
        self.items: dict[str, Item] = {it.code: it for it in mapping.published(items)}

    # -- services ----------------------------------------------------------------------------
    def services(self) -> Document:
        return doc.services([mapping.service_row(it) for it in self.items.values()])

    def definition(self, code: str) -> Document:
        item = self.items.get(code)
        if item is None:
            raise Open311Error(404, f"服务类别「{code[:64]}」不存在，见 GET services")
        return doc.service_definition(mapping.definition(item))

    # -- posting -----------------------------------------------------------------------------
    def appeal(self, form: dict[str, str]) -> AppealCreate:
        req = mapping.parse_new_request(form, self.items)
        channel = Channel.APP if (form.get("device_id") or "").strip() else Channel.WEB
        return AppealCreate(channel=channel, text=mapping.appeal_text(req, self.items[req.service_code]),
                            address=req.address, caller=Caller(name=req.caller_name, phone=req.phone))

    def created(self, orders: list[OrderRow], appeal: AppealRow) -> Document:
        order = next((o for o in orders if o.platform == Platform.GOV), None)
        visible = order is not None and order.category_code in self.items
        notice = "已受理，可凭 service_request_id 查询办理进展" if visible else \
            "已受理。该诉求经分流属于公安、消防、急救或非公开事项，已按规定转交处理，不通过 Open311 公开进展；紧急情况请拨打 110/119/120"
        return doc.service_requests([{"service_request_id": order.number if visible else None, "token": appeal.id,
                                      "service_notice": notice, "account_id": None}])

    # -- reading -----------------------------------------------------------------------------
    def _visible(self, client: Open311Client):
        q = (select(OrderRow, AppealRow).join(AppealRow, AppealRow.id == OrderRow.appeal_id)
             .where(OrderRow.platform == Platform.GOV, OrderRow.category_code.in_(sorted(self.items))))
        if client.region and client.region != self.city.city.code:  # the whole city includes orders not yet placed
            q = q.where(OrderRow.region.startswith(region_prefix(client.region)))
        if client.unit:
            q = q.where(OrderRow.unit == client.unit)
        return q

    def _row(self, order: OrderRow, appeal: AppealRow, fields: frozenset[str] | None = None) -> dict:
        unit = self.city.units.get(order.unit) if order.unit else None
        region = self.city.region_path(order.region) if order.region in self.city.regions else None
        return mapping.request_row(mapping.RequestView(
            number=order.number, status=order.status, merged_into=order.merged_into,
            category_code=order.category_code, category_name=order.category_name, text=appeal.text,
            agency=unit.name if unit else None, received_at=appeal.received_at, updated_at=order.updated_at,
            close_due=order.close_due, address=appeal.address, region_name=region), fields)

    def requests(self, session: Session, client: Open311Client, f: mapping.RequestFilter) -> Document:
        q = self._visible(client)
        if f.ids:
            q = q.where(OrderRow.number.in_(f.ids))
        else:
            if f.service_codes:
                q = q.where(OrderRow.category_code.in_(f.service_codes))
            if f.start:
                q = q.where(AppealRow.received_at >= f.start)
            if f.end:
                q = q.where(AppealRow.received_at <= f.end)
            if f.statuses == {"open"}:
                q = q.where(OrderRow.status.not_in(sorted(mapping.CLOSED)))
            elif f.statuses == {"closed"}:
                q = q.where(OrderRow.status.in_(sorted(mapping.CLOSED)))
        rows = session.execute(q.order_by(AppealRow.received_at.desc(), OrderRow.id.desc())
                               .limit(mapping.MAX_RESULTS)).all()
        return doc.service_requests([self._row(o, a, client.fields) for o, a in rows])

    def request(self, session: Session, client: Open311Client, number: str) -> Document:
        row = session.execute(self._visible(client).where(OrderRow.number == number[:40])).first()
        if row is None:
            raise Open311Error(404, f"服务请求「{number[:40]}」不存在或不公开")
        return doc.service_requests([self._row(*row, client.fields)])

    def token(self, session: Session, client: Open311Client, token: str) -> Document:
        appeal = session.get(AppealRow, token[:32])
        if appeal is None or appeal.created_by != actor_of(client).name:
            raise Open311Error(404, f"凭据「{token[:32]}」不存在")
        order = session.scalars(select(OrderRow).where(OrderRow.appeal_id == appeal.id,
                                                       OrderRow.platform == Platform.GOV).order_by(OrderRow.id)).first()
        visible = order is not None and order.category_code in self.items
        return doc.service_requests([{"service_request_id": order.number if visible else None, "token": appeal.id}])
