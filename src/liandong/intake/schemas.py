"""The appeal (诉求) as the API receives it: the standard data format's intake half."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from liandong.core.clock import CST, as_cst
from liandong.core.types import Channel
from liandong.orders.schemas import OrderRef

MAX_TEXT = 5000  # characters; a phone transcript is rarely over 1,000
EARLIEST = datetime(2000, 1, 1, tzinfo=CST)  # 受理时间 before this is a typo, not a call (year 1 overflowed later sums)
HAN = re.compile(r"[\u4e00-\u9fff]")  # the same test as routing.text.validate: the text must hold Chinese
HAN_SCHEMA = {"pattern": HAN.pattern}  # in the published schema too, so the refusal is in the contract
LATEST_AHEAD_S = 300  # how far a caller's clock may run ahead of ours (checked against the desk's clock in Intake.check)


def no_region_if_blank(v):
    """One meaning for "no region": absent, null, "" and "   " alike (an empty code made an invisible order)."""
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def sane_received_at(v: datetime | None) -> datetime | None:
    if v is not None and as_cst(v) < EARLIEST:
        raise ValueError("受理时间不能早于 2000-01-01")
    return v


class Caller(BaseModel):  # 诉求人
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=64, description="姓名（列表中脱敏显示）")
    phone: str | None = Field(default=None, max_length=20, pattern=r"^\+?[0-9][0-9\- ]{2,19}$", description="联系电话（列表中脱敏显示）")


class AttachmentRef(BaseModel):  # 附件（按引用）
    model_config = ConfigDict(extra="forbid")
    uri: str = Field(max_length=512)
    name: str | None = Field(default=None, max_length=128)
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class AppealCreate(BaseModel):  # 诉求登记
    model_config = ConfigDict(extra="forbid")
    channel: Channel = Field(description="受理渠道")
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="诉求内容（来电记录原文，须含中文）",
                      json_schema_extra=HAN_SCHEMA)
    received_at: datetime | None = Field(default=None, description="受理时间，缺省为当前时间")
    caller: Caller = Field(default_factory=Caller)
    address: str | None = Field(default=None, max_length=256, description="事发地址")
    region: str | None = Field(default=None, description="行政区划代码（6/9/12位）")
    attachments: list[AttachmentRef] = Field(default_factory=list, max_length=20)
    answer: str | None = Field(default=None, max_length=2000, description=(
        "即问即答：话务员当场答复的内容。给出时工单不派单，直接记为已答复；需要派单或转办的诉求不能当场答复（422）"))

    knowledge_entry: str | None = Field(default=None, max_length=32, description="即问即答所依据的知识条目编号（与 answer 一起给出）")
    knowledge_version: int | None = Field(default=None, ge=1, description="该条目的版本（通话中读出的口径）")

    _region = field_validator("region", mode="before")(no_region_if_blank)
    _received_at = field_validator("received_at")(sane_received_at)

    @model_validator(mode="after")
    def _entry_with_answer(self) -> "AppealCreate":
        if (self.knowledge_entry is None) != (self.knowledge_version is None):
            raise ValueError("知识条目编号与版本须同时给出")
        if self.knowledge_entry is not None and not (self.answer or "").strip():
            raise ValueError("给出知识条目时须同时给出当场答复的内容（answer）")
        return self

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("诉求内容不能为空")
        return v  # text without Chinese: refused by `Intake.check` (422), as the schema's pattern says


def chinese_text(v: str) -> str:
    """The text stripped; refused blank or without a Chinese character, in the model (`/route`, which does
    not go through `Intake.check`)."""
    v = v.strip()
    if not v:
        raise ValueError("诉求内容不能为空")
    if not HAN.search(v):
        raise ValueError("不含中文，请用中文描述诉求（发生了什么、在哪里）")
    return v


class RoutingRead(BaseModel):  # 分流结果
    services: list[str]
    category: str | None
    category_code: str | None = None
    kind: str | None = None
    unit: str | None = None
    unit_function: str | None = None
    level: str
    level_reasons: list[str] = []
    confidence: float
    reasons: list[str]
    review: bool
    place: dict | None = Field(default=None, description="属地：未填区划代码时由地址和诉求内容识别（region、reason、candidates）")


class RelatedRef(BaseModel):
    order_id: str
    relation: str  # repeat / mass


class KnowledgeSuggestion(BaseModel):  # 知识推荐（咨询类）
    entry_id: str
    version: int
    question: str
    answer: str
    score: float


class AppealCreated(BaseModel):
    appeal_id: str
    routing: RoutingRead
    orders: list[OrderRef]
    related: list[RelatedRef] = []
    knowledge: list[KnowledgeSuggestion] = Field(default_factory=list, description="咨询类诉求：知识库推荐的口径（前三条）")
