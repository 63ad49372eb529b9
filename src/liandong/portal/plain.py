"""What the citizen reads about an order (办理状态的通俗说法): four words for the many states of the table."""

from __future__ import annotations

from liandong.orders.states import Status

PLAIN = {  # 已受理 / 办理中 / 已答复 / 已办结, and the two ends a citizen may also meet
    Status.RECEIVED: "已受理", Status.DISPATCHED: "已受理",
    Status.SIGNED: "办理中", Status.HANDLING: "办理中", Status.ON_SCENE: "办理中", Status.RETURN_PENDING: "办理中",
    Status.EXTENSION_PENDING: "办理中", Status.TRANSFERRED: "办理中", Status.PEER_HANDLING: "办理中",
    Status.NEGOTIATING: "办理中",
    Status.REPLIED: "已答复",
    Status.CLOSED: "已办结", Status.VISITED: "已办结", Status.EVALUATED: "已办结",
    Status.CANCELLED: "已撤销", Status.MERGED: "已合并办理",
}
EXPLAIN = {
    "已受理": "您的诉求已登记，正在分派给承办单位。",
    "办理中": "承办单位正在核实和处理。",
    "已答复": "承办单位已答复，请查看答复内容并评价。",
    "已办结": "诉求已办结。感谢您的反映。",
    "已撤销": "该诉求已撤销（撤诉或经审核撤销），不再办理。",
    "已合并办理": "与相同问题的诉求合并办理。",
}
SATISFACTION = {"满意": "satisfied", "基本满意": "basically_satisfied", "不满意": "unsatisfied"}  # 满意度 → the
# level codes of the city's scale, which the 回访 (VISIT) records with 是否解决
REPLY_ACTIONS = ("reply", "peer_result")  # the audit events whose note is the answer the citizen reads
RATEABLE = frozenset({Status.REPLIED, Status.CLOSED})


def plain_status(status: str) -> str:
    try:
        return PLAIN[Status(status)]
    except ValueError:
        return "办理中"
