"""What a consumer may read (授权范围) and how personal data is masked (个人信息脱敏) — pure rules.

A consumer is scoped by dataset, region (a GB/T 2260 prefix), field set and, for personal fields, an
explicit unmasking grant. Personal fields are masked by default following GB/T 35273 practice:

    caller_name   张三丰   → 张**
    caller_phone  13812341234 → 138****1234
    address       明川市东城区幸福街道幸福路3号2栋 → 明川市东城区幸福街道（cut to street level）
    text          phone numbers and ID numbers inside the free text are masked

A read is unmasked only when the consumer holds the grant for that field *and* the request names a
purpose, which the access log records (`share.access`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from liandong.core.errors import Forbidden, InvalidInput
from liandong.core.masking import mask_name, mask_phone


class Kind(StrEnum):  # 接入方类型
    DEPARTMENT = "department"  # 职能部门
    OPS_CENTRE = "ops_centre"  # 城市运行管理中心（一网统管）
    OPEN311 = "open311"  # Open311 客户端
    POLICE_SYSTEM = "police_system"  # 公安自有系统


KIND_LABELS = {Kind.DEPARTMENT: "职能部门", Kind.OPS_CENTRE: "城运中心", Kind.OPEN311: "Open311 客户端",
               Kind.POLICE_SYSTEM: "公安系统"}

FIELDS: dict[str, tuple[str, ...]] = {  # dataset → its fields, in the order they are served
    "orders": ("number", "platform", "status", "title", "category_code", "category_name", "kind", "level", "unit",
               "region", "warning", "satisfied", "created_at", "updated_at", "dispatched_at", "replied_at",
               "closed_at", "reply_due", "close_due", "caller_name", "caller_phone", "address"),
    "appeals": ("id", "channel", "received_at", "region", "text", "caller_name", "caller_phone", "address"),
    "events": ("order_number", "seq", "action", "from_status", "to_status", "at", "unit", "role", "region"),
    "stats": ("day", "region", "platform", "category_code", "category_name", "opened", "closed"),
    "knowledge": (),  # served once the knowledge base (知识库) capability joins; a scope may name it already
}
DATASETS = tuple(FIELDS)
DATASET_LABELS = {"orders": "工单", "appeals": "诉求", "events": "办理过程", "stats": "统计", "knowledge": "知识库"}
PERSONAL = ("caller_name", "caller_phone", "address", "text")  # 个人信息
FEEDS = ("orders", "events")  # datasets with a change feed

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_IDCARD = re.compile(r"(?<![\dXx])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")
_STREET_END = re.compile(r"^(.*?(?:街道|镇|乡))")
_ROAD_END = re.compile(r"^(.*?(?:路|街|大道|巷|道))")


def mask_address(address: str | None) -> str | None:
    """Cut an address to street level (街道/乡镇); without one, to the road; otherwise to 6 characters."""
    if not address:
        return address
    for pattern in (_STREET_END, _ROAD_END):
        m = pattern.match(address)
        if m and len(m.group(1)) < len(address):
            return m.group(1) + "（详址已脱敏）"
        if m:
            return m.group(1)
    return address[:6] + "（详址已脱敏）" if len(address) > 6 else address


def mask_text(text: str | None) -> str | None:
    """Mask mobile and landline numbers and ID numbers that callers say inside the free text."""
    if not text:
        return text
    text = _IDCARD.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    text = _PHONE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


# The title is the text's first words: numbers said there are masked always (it is not a field to unmask).
MASKS = {"caller_name": mask_name, "caller_phone": mask_phone, "address": mask_address, "text": mask_text,
         "title": mask_text}


@dataclass(frozen=True)
class Consumer:  # 接入方（外部系统）
    id: int
    name: str
    kind: Kind
    datasets: frozenset[str]
    region: str  # GB/T 2260 code prefix its rows must lie within
    fields: frozenset[str] | None = None  # None: every field of its datasets
    unmasked: frozenset[str] = frozenset()  # personal fields it may read unmasked, with a purpose per read
    unit: str | None = None  # a department's own unit: its orders only, and the unit it reports for
    rate_per_minute: int = 600

    def allowed_fields(self, dataset: str) -> tuple[str, ...]:
        return tuple(f for f in FIELDS[dataset] if self.fields is None or f in self.fields)


@dataclass(frozen=True)
class Read:  # 一次读取的授权结论
    dataset: str
    fields: tuple[str, ...]
    unmasked: frozenset[str]
    purpose: str | None

    @property
    def masked(self) -> bool:
        return not any(f in self.unmasked for f in self.fields if f in PERSONAL)


def check_dataset(dataset: str) -> str:
    if dataset not in FIELDS:
        raise InvalidInput(f"未知数据集「{dataset}」，可选：{'、'.join(DATASETS)}")
    return dataset


def authorise(consumer: Consumer, dataset: str, *, fields: list[str] | None = None,
              unmasked: list[str] | None = None, purpose: str | None = None) -> Read:
    """The fields a read returns and which of them are unmasked, or the refusal saying why."""
    check_dataset(dataset)
    if dataset not in consumer.datasets:
        raise Forbidden(f"接入方「{consumer.name}」未获授权读取数据集「{dataset}」（{DATASET_LABELS[dataset]}）")
    allowed = consumer.allowed_fields(dataset)
    if fields:
        unknown = [f for f in fields if f not in FIELDS[dataset]]
        if unknown:
            raise InvalidInput(f"数据集「{dataset}」没有字段：{'、'.join(unknown)}；可选：{'、'.join(FIELDS[dataset])}")
        outside = [f for f in fields if f not in allowed]
        if outside:
            raise Forbidden(f"字段超出授权范围：{'、'.join(outside)}")
        chosen = tuple(f for f in allowed if f in fields)
    else:
        chosen = allowed
    wanted = frozenset(unmasked or ())
    if wanted:
        not_personal = sorted(wanted - set(PERSONAL))
        if not_personal:
            raise InvalidInput(f"只有个人信息字段可申请不脱敏（{'、'.join(PERSONAL)}），不是：{'、'.join(not_personal)}")
        ungranted = sorted(wanted - consumer.unmasked)
        if ungranted:
            raise Forbidden(f"未获授权读取不脱敏的个人信息：{'、'.join(ungranted)}")
        if not purpose or not purpose.strip():
            raise InvalidInput("读取不脱敏的个人信息须写明用途（purpose）")
        if len(purpose) > 200:
            raise InvalidInput("用途（purpose）最多 200 个字符")
    return Read(dataset, chosen, wanted & frozenset(chosen), purpose.strip() if wanted and purpose else None)


def project(read: Read, row: dict) -> dict:
    """The row as the consumer may see it: only its fields, personal ones masked unless unmasked."""
    out = {}
    for f in read.fields:
        value = row.get(f)
        if f in MASKS and f not in read.unmasked:
            value = MASKS[f](value)
        out[f] = value
    return out


def parse_list(raw: str | None, *, allowed: tuple[str, ...], what: str) -> list[str]:
    """A comma-separated option (`--datasets orders,events`), each item checked against `allowed`."""
    items = [x.strip() for x in (raw or "").split(",") if x.strip()]
    bad = [x for x in items if x not in allowed]
    if bad:
        raise InvalidInput(f"{what}无效：{'、'.join(bad)}；可选：{'、'.join(allowed)}")
    return list(dict.fromkeys(items))


ALL_FIELDS = tuple(dict.fromkeys(f for fs in FIELDS.values() for f in fs))
