"""The knowledge base over HTTP (知识库接口): request and response shapes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from liandong.knowledge.entry import (
    MAX_ANSWER,
    MAX_QUESTION,
    Content,
    ReviewAction,
    Visibility,
)

MAX_SEARCH = 500  # characters; a longer text is refused (a transcript belongs in intake, not in search)


class KnowledgeHitRead(BaseModel):  # 检索结果
    entry_id: str
    version: int
    question: str
    answer: str
    score: float


class SearchQuery(BaseModel):  # 检索请求
    model_config = ConfigDict(extra="forbid")
    q: str = Field(max_length=20000, description="来电人的问题（去掉首尾空白后 1–500 字）", json_schema_extra={"pattern": r"\S"})
    region: str | None = Field(default=None, max_length=12)
    limit: int = Field(default=3, ge=1, le=20)
    public_only: bool = Field(default=False, strict=True)  # true or false: `0` is no answer to 只看公开


class EntryWrite(BaseModel):  # 条目内容
    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1, max_length=MAX_QUESTION, description="标准问题")
    answer: str = Field(min_length=1, max_length=MAX_ANSWER, description="答复口径")
    phrasings: list[str] = Field(default_factory=list, max_length=30, description="其他问法")
    basis: str = Field(default="", max_length=2000, description="政策依据")
    document: str = Field(default="", max_length=200, description="依据文件文号")
    region: str | None = Field(default=None, max_length=12, description="适用区域：缺省为全市，或区县/街道代码")
    unit: str | None = Field(default=None, max_length=32, description="责任单位代码")
    effective_from: date | None = None
    expires_on: date | None = None
    keywords: list[str] = Field(default_factory=list, max_length=30)
    visibility: Visibility = Visibility.STAFF
    note: str = Field(default="", max_length=500, description="修改说明")
    gap_id: int | None = Field(default=None, ge=1, description="答复的知识点下派任务：草稿随即提交审核")

    def content(self) -> Content:
        return Content(self.question, self.answer, tuple(self.phrasings), self.basis, self.document, self.region,
                       self.unit, self.effective_from, self.expires_on, tuple(self.keywords), self.visibility)


class GapRead(BaseModel):  # 知识点下派任务
    id: int
    order_number: str
    unit: str | None
    category: str | None
    questions: list[str]
    size: int
    state: str
    entry_id: str | None
    created_at: datetime


class GapRun(BaseModel):
    model_config = ConfigDict(extra="forbid")
    days: int = Field(default=30, ge=1, le=365, description="统计最近多少天的咨询")


class EntryEdit(EntryWrite):
    expected_version: int | None = Field(default=None, ge=1, description="修改所基于的版本（并发保护）")


class ReviewCommand(BaseModel):  # 审核操作
    model_config = ConfigDict(extra="forbid")
    action: ReviewAction
    note: str = Field(default="", max_length=500)


class VersionRead(BaseModel):
    version: int
    question: str
    phrasings: list[str]
    answer: str
    basis: str
    document: str
    region: str | None
    unit: str | None
    effective_from: date | None
    expires_on: date | None
    keywords: list[str]
    visibility: str
    edited_by: str
    edited_at: datetime


class EntryRead(BaseModel):
    entry_id: str
    state: str
    state_label: str
    latest_version: int
    served_version: int | None
    usage_count: int
    solved_count: int
    unsolved_count: int
    allowed_actions: list[str]
    latest: VersionRead


class SurgeSwitch(BaseModel):  # 话务激增开关
    model_config = ConfigDict(extra="forbid")
    on: bool
    reason: str = Field(min_length=1, max_length=500, description="开启/关闭原因（记入审计）")
    incident: str = Field(default="", max_length=100, description="事件名称")
    wording: str = Field(default="", max_length=2000, description="统一口径（置顶显示）")
    keywords: list[str] = Field(default_factory=list, max_length=20, description="与事件相关的诉求关键词（关联主单）")
    lead_order: str | None = Field(default=None, max_length=40, description="事件主单编号")
