"""Graded response (分级响应, 晋市政办〔2023〕21号 三(二)): 一般 / 较大 / 重大 / 特别重大.

The seed names four grades but not their thresholds; these follow the national grading of
accidents (3 / 10 / 30 casualties) and are documented in docs/routing.md.
"""

from __future__ import annotations

from liandong.core.types import Level
from liandong.routing.signals import ACTIVE, Hit
from liandong.routing.text import people_counts

_RANK = {level.value: rank for rank, level in enumerate(Level)}
_CASUALTY = {"injury", "trapped", "drowning", "medical", "explosion", "fire", "hazchem", "traffic_accident", "violence"}
_CROWDED = ("商场", "超市", "学校", "幼儿园", "医院", "小区", "居民楼", "宿舍", "工厂", "酒店", "宾馆", "ktv", "网吧", "车站", "地铁", "影院", "养老院", "市场")
_MANY = ("多人", "好多人", "很多人", "一群人", "好几个人", "几个人", "一家人", "全家")


def grade(text: str, hits: list[Hit]) -> tuple[str, list[str]]:
    """The level and what raised it."""
    active = [h for h in hits if h.state == ACTIVE]
    ids = {h.signal for h in active}
    level, why = "一般", []

    def raise_to(lv: str, reason: str) -> None:
        nonlocal level
        if _RANK[lv] > _RANK[level]:
            level = lv
        why.append(reason)

    if not active:
        return level, why
    positions = [h.start for h in active if h.signal in _CASUALTY]
    counts = people_counts(text)
    casualties = max((n for n, pos in counts if any(abs(pos - p) <= 12 for p in positions)), default=0)
    if casualties >= 30:
        raise_to("特别重大", f"伤亡/被困约 {casualties} 人")
    elif casualties >= 10:
        raise_to("重大", f"伤亡/被困约 {casualties} 人")
    elif casualties >= 3 and ids & {"injury", "trapped", "drowning"}:
        raise_to("较大", f"伤亡/被困约 {casualties} 人")
    if "trapped" in ids and (casualties >= 2 or any(m in text for m in _MANY)):
        raise_to("较大", "多人被困")
    if "explosion" in ids:
        raise_to("较大", "爆炸")
    if "hazchem" in ids:
        raise_to("重大" if any(w in text for w in ("大量", "扩散", "疏散", "好多人", "很多人")) else "较大", "危化品泄漏")
    if "gathering" in ids:
        crowd = max((n for n, _ in counts), default=0)
        if crowd >= 300:
            raise_to("重大", f"群体性聚集约 {crowd} 人")
        else:
            raise_to("较大", f"群体性聚集{f'约 {crowd} 人' if crowd else ''}")
    if ids & {"self_harm", "threat"}:
        raise_to("较大", "个人极端/扬言事件")
    if any(h.signal == "violence" and any(w in h.phrase for w in ("刀", "枪", "斧", "械", "棍", "砍", "捅")) for h in active):
        raise_to("较大", "持械暴力")
    if ids & {"fire", "explosion"} and any(p in text for p in _CROWDED):
        raise_to("较大", "人员密集场所火情")
    if any(h.signal == "injury" and any(w in h.phrase for w in ("死", "身亡", "遇难", "尸体")) for h in active):
        raise_to("较大", "有人员死亡")
    return level, why
