"""Surge mode (话务激增): when calls arrive far faster than usual, answer what can be answered at once.

Automatic switching compares the arrivals of the last 15 minutes with the same slot's baseline — the
mean over the previous working days (or, on a rest day, the previous rest days) in the same 15 minutes
of the day — with hysteresis: on above `on_multiple` × baseline (and at least `min_arrivals`), off only
below `off_multiple` × baseline, so a rate hovering at the line does not flap. Time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class SurgePolicy:  # 话务激增判定规则
    on_multiple: float = 3.0
    off_multiple: float = 1.5
    min_arrivals: int = 30  # a quiet night's 3 calls against a baseline of 1 is not a surge
    baseline_days: int = 10
    auto_answer_score: float = 0.6  # a public entry this sure answers web/WeChat/app consultations by itself


@dataclass(frozen=True)
class SurgeDecision:
    on: bool
    reason: str


def baseline_days(now: datetime, is_working_day, count: int) -> list[date]:
    """The previous `count` days of the same kind (working / rest) as today."""
    kind = is_working_day(now.date())
    days, day = [], now.date()
    for _ in range(count * 4):
        day -= timedelta(days=1)
        if is_working_day(day) == kind:
            days.append(day)
            if len(days) == count:
                break
    return days


def decide(on: bool, arrivals: int, baseline: float, policy: SurgePolicy) -> SurgeDecision | None:
    """The switch to make now, or None to stay as it is."""
    base = max(baseline, 1.0)
    rate = f"近15分钟来电 {arrivals} 件，同时段基线 {baseline:.1f} 件（{arrivals / base:.1f} 倍）"
    if not on and arrivals >= policy.min_arrivals and arrivals > policy.on_multiple * base:
        return SurgeDecision(True, f"自动开启：{rate}，超过 {policy.on_multiple:g} 倍")
    if on and arrivals < policy.off_multiple * base:
        return SurgeDecision(False, f"自动关闭：{rate}，低于 {policy.off_multiple:g} 倍")
    return None
