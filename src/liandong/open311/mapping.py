"""Between Liandong and Open311 (映射): which categories are published, the status of an order, the fields of a
service request, and the checking of what a client sends. Pure: plain data in, plain data out.

Status (Open311 has two):
    closed  办结 closed, 回访 visited, 评价 evaluated, 撤销 cancelled, 合并 merged — nothing more will be done
    open    every other state: 已受理 … 办理中, 已答复 (the answer is given, 办结 not yet confirmed), 转办 and 协商
`status_notes` carries the Chinese label of the exact state (and the order it was merged into).

Personal data (个人信息) is never in a document: no caller name, phone or e-mail; the address and the
description are masked by the data-sharing rules (`share.scopes`: address cut to street level, phone and ID
numbers in the text masked). A consumer limited to some fields of the orders dataset sees the Open311
fields drawn from the others as null (`SOURCES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from liandong.core.clock import as_cst
from liandong.open311.documents import Open311Error
from liandong.orders.states import STATUS_LABELS, Status
from liandong.routing.lists import Item
from liandong.share.scopes import mask_address, mask_text

CLOSED = frozenset({Status.CLOSED, Status.VISITED, Status.EVALUATED, Status.CANCELLED, Status.MERGED})
MAX_DESCRIPTION = 4000  # the specification's limit for `description`
MAX_RESULTS = 1000  # GET requests: the specification's suggested cap
DEFAULT_WINDOW = timedelta(days=90)  # GET requests without dates: the last 90 days, as the specification suggests
SOURCES = {  # Open311 field → the orders-dataset field it shows (share.scopes.FIELDS["orders"])
    "service_request_id": "number", "status": "status", "status_notes": "status", "service_name": "category_name",
    "service_code": "category_code", "description": "title", "agency_responsible": "unit",
    "requested_datetime": "created_at", "updated_datetime": "updated_at", "expected_datetime": "close_due",
    "address": "address",
}


def published(items) -> list[Item]:
    """The categories offered as Open311 services: those 12345 alone handles (non-emergency). Police, fire,
    medical and referral items are not Open311's business and are never published nor listed."""
    return [it for it in items if it.services and set(it.services) <= {"12345"}]


def service_row(item: Item) -> dict:
    return {"service_code": item.code, "service_name": item.name, "description": f"{item.group}：{item.name}",
            "metadata": False, "type": "realtime", "keywords": ",".join(item.keywords[:12]), "group": item.group}


def definition(item: Item) -> dict:
    return {"service_code": item.code, "attributes": []}


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED else "open"


def status_notes(status: str, merged_into: str | None) -> str:
    label = STATUS_LABELS.get(Status(status), status)
    return f"{label}（并入 {merged_into}）" if merged_into else label


def iso(moment: datetime | None) -> str | None:
    return as_cst(moment).isoformat(timespec="seconds") if moment else None


@dataclass(frozen=True)
class RequestView:  # what one service request shows, read from the order and its appeal
    number: str
    status: str
    merged_into: str | None
    category_code: str | None
    category_name: str | None
    text: str
    agency: str | None
    received_at: datetime
    updated_at: datetime
    close_due: datetime | None
    address: str | None
    region_name: str | None


def request_row(v: RequestView, fields: frozenset[str] | None = None) -> dict:
    """One service request; with `fields` (the consumer's orders fields) every field from another is null."""
    row = {
        "service_request_id": v.number, "status": open311_status(v.status),
        "status_notes": status_notes(v.status, v.merged_into), "service_name": v.category_name,
        "service_code": v.category_code, "description": (mask_text(v.text) or "")[:MAX_DESCRIPTION],
        "agency_responsible": v.agency, "service_notice": None, "requested_datetime": iso(v.received_at),
        "updated_datetime": iso(v.updated_at), "expected_datetime": iso(v.close_due),
        "address": mask_address(v.address) or v.region_name,
        "address_id": None, "zipcode": None, "lat": None, "long": None, "media_url": None,
    }
    if fields is not None:
        row.update({k: None for k, source in SOURCES.items() if source not in fields})
    return row


# -- what a client sends ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RequestFilter:  # GET requests
    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[str] = frozenset()


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in (value or "").split(",") if p.strip()))


def parse_datetime(name: str, value: str | None) -> datetime | None:
    if value is None or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(400, f"参数 {name} 格式不正确：应为带时区的 ISO 8601 时间，如 2026-11-23T09:30:00+08:00") from None
    if moment.tzinfo is None:
        raise Open311Error(400, f"参数 {name} 缺少时区：应为带时区的 ISO 8601 时间，如 2026-11-23T09:30:00+08:00")
    return moment


def parse_filter(params: dict[str, str], *, now: datetime) -> RequestFilter:
    """The specification's filters. With `service_request_id` every other filter is ignored; without dates
    the window is the last 90 days; `status` is open, closed or both."""
    ids = _csv(params.get("service_request_id"))
    if any(len(i) > 40 for i in ids) or len(ids) > MAX_RESULTS:
        raise Open311Error(400, "参数 service_request_id 不正确：最多 1000 个以逗号分隔的工单编号")
    if ids:
        return RequestFilter(ids=ids)
    statuses = frozenset(_csv(params.get("status")))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, f"参数 status 取值无效「{params.get('status')}」：可选 open、closed")
    start, end = parse_datetime("start_date", params.get("start_date")), parse_datetime("end_date", params.get("end_date"))
    if start and end and start > end:
        raise Open311Error(400, "参数 start_date 不能晚于 end_date")
    if start is None and end is None:
        start = now - DEFAULT_WINDOW
    codes = _csv(params.get("service_code"))
    if any(len(c) > 64 for c in codes):
        raise Open311Error(400, "参数 service_code 过长")
    return RequestFilter(service_codes=codes, start=start, end=end, statuses=statuses)


@dataclass(frozen=True)
class NewRequest:  # POST requests, checked
    service_code: str
    description: str
    address: str | None
    caller_name: str | None
    phone: str | None


def parse_new_request(form: dict[str, str], codes: dict[str, Item]) -> NewRequest:
    """Check a POST requests form: a published service_code, a location (lat+long, address_string or
    address_id), a description of at most 4000 characters, a plausible phone."""
    code = (form.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, "缺少参数 service_code（服务类别代码），见 GET services")
    item = codes.get(code)
    if item is None:
        raise Open311Error(404, f"服务类别「{code[:64]}」不存在，见 GET services")
    lat, long = (form.get("lat") or "").strip(), (form.get("long") or "").strip()
    address = (form.get("address_string") or "").strip() or (form.get("address_id") or "").strip()
    if bool(lat) != bool(long):
        raise Open311Error(400, "参数 lat 与 long 须同时提供")
    if lat:
        try:
            la, lo = float(lat), float(long)
        except ValueError:
            raise Open311Error(400, "参数 lat/long 应为十进制经纬度（WGS84）") from None
        if not (-90 <= la <= 90 and -180 <= lo <= 180):
            raise Open311Error(400, "参数 lat/long 超出经纬度范围")
        address = address or f"经纬度 {la:.6f},{lo:.6f}"
    if not address:
        raise Open311Error(400, "缺少位置：请提供 lat 与 long、address_string 或 address_id 之一")
    if len(address) > 256:
        raise Open311Error(400, "参数 address_string 过长，最多 256 个字符")
    description = (form.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, f"参数 description 过长，最多 {MAX_DESCRIPTION} 个字符")
    name = ((form.get("last_name") or "").strip() + (form.get("first_name") or "").strip()) or None
    if name and len(name) > 64:
        raise Open311Error(400, "参数 first_name/last_name 过长")
    phone = (form.get("phone") or "").strip() or None
    if phone and not re.fullmatch(r"\+?[0-9][0-9\- ]{2,19}", phone):
        raise Open311Error(400, "参数 phone 格式不正确")
    return NewRequest(code, description, address, name, phone)


def appeal_text(req: NewRequest, item: Item) -> str:
    """The appeal's text: the chosen service's name first, so the routing sees what the client picked."""
    return f"【{item.name}】{req.description}" if req.description else f"【{item.name}】"
