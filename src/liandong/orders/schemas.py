"""API shapes of orders (工单/警单), named by role: …Read, …Summary, …Page."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from liandong.orders.model import ActionCommand
from liandong.orders.states import Action


class OrderRef(BaseModel):
    id: str
    platform: str
    status: str
    status_label: str
    unit: str | None = None


class CallerRead(BaseModel):
    name: str | None
    phone: str | None
    masked: bool


class OrderSummary(BaseModel):  # 列表行：诉求人信息一律脱敏
    id: str
    platform: str
    status: str
    status_label: str
    title: str
    category: str | None
    kind: str | None
    level: str
    unit: str | None
    unit_name: str | None
    region: str | None
    review: bool
    warning: str | None
    flags: list[str]
    created_at: datetime
    close_due: datetime | None
    caller_name: str | None
    caller_phone: str | None


class OrderRead(OrderSummary):
    appeal_id: str
    text: str
    address: str | None
    place: str | None
    channel: str
    received_at: datetime
    caller: CallerRead
    services: list[str]
    category_code: str | None
    category_group: str | None
    unit_function: str | None
    routing: dict
    sign_due: datetime | None
    reply_due: datetime | None
    extension_days: int
    return_count: int
    transfer_count: int
    urge_count: int
    supervised: bool
    satisfied: bool | None
    solved: bool | None = Field(default=None, description="回访：是否解决（空为未知）")
    satisfaction: str | None = Field(default=None, description="回访：满意度等级")
    contacted_at: datetime | None = Field(default=None, description="首次联系诉求人的时间")
    rating: int | None
    merged_into: str | None
    peer_platform: str | None
    peer_order_id: str | None
    linked_order: str | None
    lead_order: str | None
    closed_at: datetime | None
    updated_at: datetime
    version: int
    allowed_actions: list[str]


class OrderPage(BaseModel):
    items: list[OrderSummary]
    total: int
    page: int
    page_size: int


class ActionRequest(BaseModel):  # 操作
    model_config = ConfigDict(extra="forbid")
    action: Action
    note: str = Field(default="", max_length=2000)
    unit: str | None = Field(default=None, max_length=32)
    reason: str | None = Field(default=None, max_length=500)
    satisfied: bool | None = None
    solved: bool | None = Field(default=None, description="回访：问题是否解决")
    satisfaction: str | None = Field(default=None, max_length=24,
                                     description="回访：满意度等级（satisfied 满意、basically_satisfied 基本满意、unsatisfied 不满意）")
    rating: int | None = None
    days: int | None = None
    target: str | None = Field(default=None, max_length=40)
    step: str | None = Field(default=None, max_length=16)
    category: str | None = Field(default=None, max_length=32, description="改分类定级：本市分流转办事项清单的事项编码")
    level: str | None = Field(default=None, max_length=8, description="改分类定级：一般/较大/重大/特别重大")
    expected_version: int | None = Field(default=None, description="乐观锁：读取时的版本号，不一致则返回409")


    def command(self) -> ActionCommand:
        """The order core's command (the console builds it through this same shape)."""
        return ActionCommand(action=self.action, note=self.note, unit=self.unit, reason=self.reason,
                             satisfied=self.satisfied, solved=self.solved, satisfaction=self.satisfaction,
                             rating=self.rating, days=self.days, target=self.target,
                             step=self.step, category=self.category, level=self.level)


class EventRead(BaseModel):  # 审计记录
    seq: int
    action: str
    action_label: str
    from_status: str | None
    to_status: str
    actor: str
    role: str
    unit: str | None
    at: datetime
    note: str
    data: dict
