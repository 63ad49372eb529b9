"""The exchange envelope (报文) and the message kinds that pass between the desks.

Every message is one JSON object: a common envelope plus a kind-specific `payload`. The envelope
carries who sent it, which order it concerns (`order_ref`), and the sender's per-order sequence
number `seq`. The pair (`order_ref.origin_platform`, `order_ref.origin_order_id`) names an order
link on both sides; `peer_order_id` is the receiving platform's own id, filled in once it is known.

Pure data: no I/O, no clock. Parsing is `parse_message(bytes)`; writing is `encode(message)`, and
the bytes written are the bytes signed (see `signing.py`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, Union

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from liandong.core.ids import new_id

PROTOCOL = "liandong-exchange/1"

Platform = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[0-9a-z_-]+$")]


class Kind(StrEnum):
    TRANSFER = "transfer"  # 转办
    ACCEPT = "accept"  # 签收
    RETURN = "return"  # 退回
    PROGRESS = "progress"  # 进展
    RESULT = "result"  # 办结反馈
    RECALL = "recall"  # 撤回
    NEGOTIATE_PROPOSE = "negotiate_propose"  # 在线协商：提议
    NEGOTIATE_AGREE = "negotiate_agree"  # 在线协商：同意/确定
    ESCALATION = "escalation"  # 升级通报


KIND_LABELS = {
    Kind.TRANSFER: "转办",
    Kind.ACCEPT: "签收",
    Kind.RETURN: "退回",
    Kind.PROGRESS: "进展",
    Kind.RESULT: "办结反馈",
    Kind.RECALL: "撤回",
    Kind.NEGOTIATE_PROPOSE: "协商提议",
    Kind.NEGOTIATE_AGREE: "协商确定",
    Kind.ESCALATION: "升级通报",
}

# Who may send which kind on an order link. The origin side transferred the order (or opened the
# negotiation / escalation); the counterpart received it.
FROM_ORIGIN = frozenset({Kind.TRANSFER, Kind.RECALL, Kind.NEGOTIATE_PROPOSE, Kind.NEGOTIATE_AGREE, Kind.ESCALATION})
FROM_COUNTERPART = frozenset(
    {Kind.ACCEPT, Kind.RETURN, Kind.PROGRESS, Kind.RESULT, Kind.NEGOTIATE_PROPOSE, Kind.NEGOTIATE_AGREE}
)
# Kinds that may open an order link (seq 1 of a new stream).
OPENING = frozenset({Kind.TRANSFER, Kind.NEGOTIATE_PROPOSE, Kind.ESCALATION})


class Level(StrEnum):  # 事件等级 (分级响应)
    GENERAL = "general"  # 一般
    MAJOR = "major"  # 较大
    SERIOUS = "serious"  # 重大
    EXTRAORDINARY = "extraordinary"  # 特别重大


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrderRef(_Model):  # 工单/警单关联
    origin_platform: Platform
    origin_order_id: str = Field(min_length=1, max_length=64)
    peer_order_id: str | None = Field(default=None, max_length=64)


class CategoryRef(_Model):  # 事项分类，双方编码
    sender_code: str = Field(min_length=1, max_length=64)
    receiver_code: str | None = Field(default=None, max_length=64)
    unmapped: bool = False
    label: str | None = Field(default=None, max_length=100)


class Caller(_Model):  # 诉求人 (masked)
    name_masked: str | None = Field(default=None, max_length=50)
    phone_masked: str | None = Field(default=None, max_length=32)
    contact_token: str | None = Field(
        default=None, max_length=128, description="Opaque token the receiver may redeem with the sender to reach the caller"
    )


class Address(_Model):
    text: str = Field(max_length=300)
    region_code: str = Field(pattern=r"^\d{6}(\d{3})?(\d{3})?$", description="GB/T 2260 code, 6 digits (or 9/12 for street/community)")
    lat: float | None = None
    lon: float | None = None


class TransferPayload(_Model):
    appeal_text: str = Field(min_length=1, max_length=5000)
    caller: Caller
    address: Address
    level: Level = Level.GENERAL
    services: list[str] = Field(default_factory=list, max_length=16)
    reasons: list[str] = Field(default_factory=list, max_length=32)
    deadline_at: datetime | None = None
    route: list[str] = Field(default_factory=list, description="Platforms relayed through, e.g. county-110 → city-110")
    purpose: Literal["handle", "mediation", "coordinate", "notify"] = "handle"


class AcceptPayload(_Model):
    accepted_by: str = Field(min_length=1, max_length=100)
    note: str | None = Field(default=None, max_length=1000)


class ReturnPayload(_Model):
    reason_code: Literal["not_our_duty", "insufficient_info", "duplicate", "other"]
    reason: str = Field(min_length=1, max_length=1000)
    returned_by: str = Field(min_length=1, max_length=100)


class ProgressPayload(_Model):
    step: str = Field(min_length=1, max_length=50)
    note: str = Field(min_length=1, max_length=2000)
    handled_by: str | None = Field(default=None, max_length=100)


class ResultPayload(_Model):
    outcome: Literal["resolved", "partly_resolved", "unresolved", "explained", "referred"]
    handled_by: str = Field(min_length=1, max_length=100)
    note: str = Field(min_length=1, max_length=5000)
    closed_at: datetime | None = None


class RecallPayload(_Model):
    reason: str = Field(min_length=1, max_length=1000)
    recalled_by: str = Field(min_length=1, max_length=100)


class NegotiateProposePayload(_Model):
    proposal: Literal["you_take", "we_take", "joint"]
    reason: str = Field(min_length=1, max_length=1000)
    respond_by: datetime
    appeal_text: str | None = Field(default=None, max_length=5000)


class NegotiateAgreePayload(_Model):
    agreed: bool
    taker_platform: Platform | None = None
    note: str | None = Field(default=None, max_length=1000)


class EscalationPayload(_Model):
    level: Level
    summary: str = Field(min_length=1, max_length=2000)
    target_unit: str = Field(min_length=1, max_length=100, description="e.g. 城运中心 / 指挥中心")
    region_code: str = Field(pattern=r"^\d{6}(\d{3})?(\d{3})?$")


class _EnvelopeBase(_Model):  # 报文
    protocol: Literal["liandong-exchange/1"] = PROTOCOL
    message_id: str = Field(default_factory=new_id, min_length=8, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")
    sender_platform: Platform
    sender_unit: str = Field(min_length=1, max_length=100)
    receiver_platform: Platform
    order_ref: OrderRef
    seq: int = Field(ge=1)
    sent_at: datetime
    category: CategoryRef | None = None

    @field_validator("sent_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("sent_at must carry a UTC offset")
        return value


class TransferMessage(_EnvelopeBase):
    kind: Literal["transfer"] = "transfer"
    category: CategoryRef
    payload: TransferPayload


class AcceptMessage(_EnvelopeBase):
    kind: Literal["accept"] = "accept"
    payload: AcceptPayload


class ReturnMessage(_EnvelopeBase):
    kind: Literal["return"] = "return"
    payload: ReturnPayload


class ProgressMessage(_EnvelopeBase):
    kind: Literal["progress"] = "progress"
    payload: ProgressPayload


class ResultMessage(_EnvelopeBase):
    kind: Literal["result"] = "result"
    payload: ResultPayload


class RecallMessage(_EnvelopeBase):
    kind: Literal["recall"] = "recall"
    payload: RecallPayload


class NegotiateProposeMessage(_EnvelopeBase):
    kind: Literal["negotiate_propose"] = "negotiate_propose"
    payload: NegotiateProposePayload


class NegotiateAgreeMessage(_EnvelopeBase):
    kind: Literal["negotiate_agree"] = "negotiate_agree"
    payload: NegotiateAgreePayload


class EscalationMessage(_EnvelopeBase):
    kind: Literal["escalation"] = "escalation"
    payload: EscalationPayload


MESSAGE_TYPES: dict[Kind, type[_EnvelopeBase]] = {
    Kind.TRANSFER: TransferMessage,
    Kind.ACCEPT: AcceptMessage,
    Kind.RETURN: ReturnMessage,
    Kind.PROGRESS: ProgressMessage,
    Kind.RESULT: ResultMessage,
    Kind.RECALL: RecallMessage,
    Kind.NEGOTIATE_PROPOSE: NegotiateProposeMessage,
    Kind.NEGOTIATE_AGREE: NegotiateAgreeMessage,
    Kind.ESCALATION: EscalationMessage,
}

Message = Annotated[
    Union[
        TransferMessage,
        AcceptMessage,
        ReturnMessage,
        ProgressMessage,
        ResultMessage,
        RecallMessage,
        NegotiateProposeMessage,
        NegotiateAgreeMessage,
        EscalationMessage,
    ],
    Field(discriminator="kind"),
]

_ADAPTER: TypeAdapter[Message] = TypeAdapter(Message)


def parse_message(body: bytes) -> Message:
    """Parse and validate one message; raises pydantic.ValidationError on anything malformed."""
    return _ADAPTER.validate_json(body)


def encode(message: _EnvelopeBase) -> bytes:
    """The canonical bytes of a message (compact JSON, UTF-8, no None-stripping)."""
    return orjson.dumps(message.model_dump(mode="json"))


def new_message(kind: Kind | str, **fields) -> _EnvelopeBase:
    """Build a message of `kind`; `seq` defaults to 1 and is reassigned by `outbox.enqueue`."""
    fields.setdefault("seq", 1)
    return MESSAGE_TYPES[Kind(kind)](**fields)


def kind_of(message: _EnvelopeBase) -> Kind:
    return Kind(message.kind)  # type: ignore[attr-defined]


AnyMessage = _EnvelopeBase
