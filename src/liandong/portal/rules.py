"""The city's portal rules (市民端规则), `cities/<city>/portal.yaml`, validated on load with file and line."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from liandong.core.yamlfile import load_yaml, validate


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limit(_Strict):  # 频次限制: at most `count` in `seconds`
    count: int = Field(ge=1, le=100_000)
    seconds: int = Field(ge=1, le=7 * 86400)


class Limits(_Strict):
    code_per_phone: Limit = Limit(count=5, seconds=3600)  # 验证码 sent to one phone
    code_per_address: Limit = Limit(count=20, seconds=3600)  # 验证码 asked from one network address
    report_per_phone: Limit = Limit(count=5, seconds=86400)  # 诉求 from one verified phone
    report_per_address: Limit = Limit(count=30, seconds=3600)  # 诉求 from one network address
    follow_per_address: Limit = Limit(count=30, seconds=600)  # order look-ups (guessing numbers)
    challenge_after: int = Field(default=3, ge=1)  # reports from one address within report_per_address.seconds
    # beyond which the simple challenge (算术题) is asked


class Otp(_Strict):
    ttl_seconds: int = Field(default=300, ge=60, le=1800)
    max_attempts: int = Field(default=5, ge=1, le=10)
    session_minutes: int = Field(default=30, ge=5, le=240)  # how long a verified phone stays verified


class Photos(_Strict):
    max_count: int = Field(default=3, ge=0, le=9)
    max_bytes: int = Field(default=5 * 1024 * 1024, ge=64 * 1024, le=20 * 1024 * 1024)
    max_pixels: int = Field(default=40_000_000, ge=1_000_000)
    max_side: int = Field(default=4096, ge=640)  # larger photos are scaled down to this longest side
    # (4096 keeps a 12-megapixel phone photo, 4032×3024, as it was taken)


class Reopen(_Strict):  # 重办 after the citizen's rating
    when: tuple[str, ...] = ("不满意",)  # satisfaction levels that reopen
    max_times: int = Field(default=2, ge=0)  # beyond this the rating is recorded and the order stays closed


class Ask(_Strict):
    min_score: float = Field(default=0.6, ge=0)  # a knowledge hit at least this good answers on the spot


class PortalRules(_Strict):
    limits: Limits = Limits()
    otp: Otp = Otp()
    photos: Photos = Photos()
    reopen: Reopen = Reopen()
    ask: Ask = Ask()
    hint: str = "请写明：发生了什么、具体位置（路名、小区、门牌或标志物）、从何时开始、影响了哪些人。"

    @property
    def max_upload(self) -> int:
        """The largest request body the report form accepts: every photo at its limit plus the text."""
        return self.photos.max_count * self.photos.max_bytes + 512 * 1024


def load_portal_rules(path: Path) -> PortalRules:
    if not path.exists():
        return PortalRules()
    return validate(PortalRules, load_yaml(path) or {}, path)
