"""The one feedback table (闭环反馈): how the receiving side's work on an order reaches the origin's shadow.

When 12345 hands an appeal to 110 (or back), the origin keeps a shadow order in 已转办 / 对方办理中. Every
accepted action on the receiving side's order becomes zero or more *reports* (`reports_for`), and every
report becomes one action on the shadow (`SHADOW_ACTIONS`). The two transports carry the same reports:
in one process they are applied to the shadow at once; between desks they travel as exchange messages
(`accept`, `progress`, `result`, `return`) and are applied on arrival. So a return, a re-dispatch or a
reopening is reported the same way whichever transport carries it.

    action on the received order      reports (the first one reported is preceded by `accept`, once)
    派单 / 签收 / 到场 / 办理 / 答复     progress: dispatched / signed / on_scene / handling / replied
    退单 / 退单审核通过 / 重办           progress: unit_returned / redispatching / reopened
    办结                              result
    撤销                              return (not preceded by accept)

    report      → action on the shadow (a progress or result on a shadow still 待签收 is preceded by 对方签收)
    accept        对方签收 (PEER_ACCEPT)         已转办待签收 → 对方办理中
    progress      对方进展 (PEER_PROGRESS)       stays 对方办理中
    result        对方办结反馈 (PEER_RESULT)     → 已答复: only now may the origin close (闭环)
    return        对方退回 (PEER_RETURN)         → 已受理: the origin decides again
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from liandong.orders.states import Action


class Report(StrEnum):  # 反馈
    ACCEPT = "accept"
    PROGRESS = "progress"
    RESULT = "result"
    RETURN = "return"


PROGRESS_STEPS = {  # action on the received order → progress step reported to the origin
    Action.DISPATCH: "dispatched", Action.SIGN: "signed", Action.ARRIVE: "on_scene", Action.HANDLE: "handling",
    Action.REPLY: "replied", Action.RETURN: "unit_returned", Action.APPROVE_RETURN: "redispatching",
    Action.REOPEN: "reopened",
}
SHADOW_ACTIONS = {Report.ACCEPT: Action.PEER_ACCEPT, Report.PROGRESS: Action.PEER_PROGRESS,
                  Report.RESULT: Action.PEER_RESULT, Report.RETURN: Action.PEER_RETURN}
OUTCOMES = {"resolved": "已解决", "partly_resolved": "部分解决", "unresolved": "未解决", "explained": "已解释说明",
            "referred": "已转其他渠道"}
RETURN_CODES = {"not_our_duty": "not_our_duty", "duplicate": "duplicate", "incomplete": "insufficient_info"}


@dataclass(frozen=True)
class PeerReport:  # 一条反馈
    report: Report
    step: str | None = None  # progress step
    note: str = ""
    handled_by: str = ""  # the unit (or person) that acted
    reason_code: str | None = None  # return: why
    outcome: str = "resolved"  # result: how it ended


def reports_for(action: Action, *, accept_sent: bool) -> list[tuple[Report, str | None]]:
    """The reports an accepted action on a received order sends back to its origin (report, step)."""
    if action is Action.CANCEL:
        return [(Report.RETURN, None)]
    if action is Action.CLOSE:
        done = [(Report.RESULT, None)]
    elif action in PROGRESS_STEPS:
        done = [(Report.PROGRESS, PROGRESS_STEPS[action])]
    else:
        return []
    return done if accept_sent else [(Report.ACCEPT, None), *done]


def shadow_note(sender: str, r: PeerReport) -> str:
    """The audit note the origin's shadow records for a report from `sender`."""
    match r.report:
        case Report.ACCEPT:
            return f"{sender}已签收：{r.handled_by}" + (f"（{r.note}）" if r.note else "")
        case Report.PROGRESS:
            return f"{sender} {r.handled_by}：{r.note}".replace("  ", " ")
        case Report.RESULT:
            return f"{sender}办结反馈（{OUTCOMES.get(r.outcome, r.outcome)}，{r.handled_by}）：{r.note}"
        case _:
            return f"{sender}退回（{r.handled_by}）：{r.note}"
