"""Bounce detection (推诿扯皮): an order passed between units, or sent back, too many times.

The input is the order's chain of assignment events in time order, as plain data:
    ASSIGN   the order was dispatched (派单) or transferred (转办) to `unit`
    RETURN   `unit` sent it back to the centre (退单), with a reason
A *transfer* is an ASSIGN to a unit other than the one that held the order before (the first
assignment is not a transfer; re-assigning the same unit after a return is not one either).
The order is flagged when transfers >= max_transfers or returns >= max_returns (city data,
`bounce:` in time_limits.yaml). The whole chain comes back for display, so a supervisor sees who
passed it to whom, and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from liandong.core.clock import as_cst
from liandong.core.errors import InvalidInput


class ChainKind(StrEnum):
    ASSIGN = "assign"  # 派单 / 转办
    RETURN = "return"  # 退单


@dataclass(frozen=True)
class ChainEvent:  # 流转记录
    kind: ChainKind
    unit: str  # the unit receiving (ASSIGN) or sending back (RETURN)
    at: datetime
    note: str = ""  # e.g. the return reason


@dataclass(frozen=True)
class ChainLink:  # 流转环节, for display
    event: ChainEvent
    transfer: bool  # this ASSIGN moved the order to a different unit
    step: int  # 1-based position in the chain


@dataclass(frozen=True)
class BounceReport:  # 推诿研判
    flagged: bool
    transfers: int
    returns: int
    units: tuple[str, ...]  # distinct units in order of first appearance
    chain: tuple[ChainLink, ...]
    reasons: tuple[str, ...]  # Chinese, empty when not flagged


def detect_bounce(events: Iterable[ChainEvent], *, max_transfers: int = 3, max_returns: int = 2) -> BounceReport:
    """Count transfers and returns of one order's chain and flag 推诿 past the city's thresholds."""
    if max_transfers < 1 or max_returns < 1:
        raise InvalidInput("推诿阈值必须大于 0")
    ordered = sorted(events, key=lambda e: as_cst(e.at))  # stable: same-moment events keep their order
    links: list[ChainLink] = []
    holder: str | None = None
    transfers = returns = 0
    units: list[str] = []
    for step, event in enumerate(ordered, start=1):
        if not event.unit:
            raise InvalidInput(f"第 {step} 条流转记录缺少单位")
        if event.unit not in units:
            units.append(event.unit)
        moved = False
        if event.kind is ChainKind.ASSIGN:
            moved = holder is not None and event.unit != holder
            transfers += moved
            holder = event.unit
        elif event.kind is ChainKind.RETURN:
            returns += 1
        else:  # pragma: no cover - StrEnum guards this
            raise InvalidInput(f"未知的流转类型：{event.kind}")
        links.append(ChainLink(event, moved, step))
    reasons = []
    if transfers >= max_transfers:
        reasons.append(f"在 {len(units)} 个单位之间转办 {transfers} 次（阈值 {max_transfers}）")
    if returns >= max_returns:
        reasons.append(f"被退单 {returns} 次（阈值 {max_returns}）")
    return BounceReport(bool(reasons), transfers, returns, tuple(units), tuple(links), tuple(reasons))
