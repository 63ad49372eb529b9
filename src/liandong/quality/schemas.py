"""The shapes of 质检 on the API: a call record as the telephone system or the operator sends it, verdicts, 重办."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from liandong.quality.model import MAX_TURNS, CallRecord, Speaker, parse_transcript

MAX_NOTES = 4000
MAX_IMPORT = 500


class CallRecordIn(BaseModel):  # 来电记录
    model_config = ConfigDict(extra="forbid")

    transcript: list[dict] | None = Field(default=None, max_length=MAX_TURNS,
                                          description="通话转写 [{speaker: operator|caller, start, end, text}]（秒）")
    notes: str = Field(default="", max_length=MAX_NOTES, description="话务员记录（无转写时）")
    hangup_by: Literal["operator", "caller"] | None = Field(default=None, description="先挂机的一方")
    operator: str | None = Field(default=None, max_length=64, description="接听话务员（默认为受理人）")

    def to_record(self) -> CallRecord:
        """The checked record; a bad transcript is refused here with the turn it is wrong at (422)."""
        turns = parse_transcript(self.transcript) if self.transcript is not None else ()
        return CallRecord(turns=turns, notes=self.notes, hangup_by=Speaker(self.hangup_by) if self.hangup_by else None,
                          operator=self.operator)


class CallImportItem(CallRecordIn):
    order: str = Field(min_length=1, max_length=40, description="工单编号")


class CallImport(BaseModel):  # 成批导入
    model_config = ConfigDict(extra="forbid")

    items: list[CallImportItem] = Field(min_length=1, max_length=MAX_IMPORT)


class VerdictIn(BaseModel):  # 复核结论
    model_config = ConfigDict(extra="forbid")

    verdict: Literal["confirmed", "overridden"] = Field(description="confirmed 确认 / overridden 推翻")
    note: str | None = Field(default=None, max_length=500)


class ReopenIn(BaseModel):  # 退回重办
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)
