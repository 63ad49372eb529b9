"""The lifecycle of a work order (工单) and a police order (警单): one table each.

Read a row as: in state S, action A by one of ROLES moves the order to state T, provided the
command carries the fields NEEDS. A move not in the table is refused with `IllegalTransition`
(HTTP 409), naming the current state and the actions it does allow. The rows follow the
12345 flow in the seeds — 受理 → 派单 → 签收 → 办理 → 答复 → 办结 → 回访 → 评价 — with 退单 and
延期 behind a supervisor's approval, 催办/督办 at any open step, 重办 after an unsatisfied
回访, 撤销/合并 for invalid or duplicate appeals, and 转办 to the peer platform, whose order the
origin keeps as a linked shadow (待对方签收 → 对方办理中) until the peer's result arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from liandong.core.actors import Role
from liandong.core.errors import IllegalTransition
from liandong.core.types import Platform


class Status(StrEnum):
    RECEIVED = "received"  # 已受理（待派单）
    DISPATCHED = "dispatched"  # 已派单（待签收）
    SIGNED = "signed"  # 已签收
    HANDLING = "handling"  # 办理中（核实/派遣/处置）
    ON_SCENE = "on_scene"  # 已到场（警单）
    RETURN_PENDING = "return_pending"  # 退单待审核
    EXTENSION_PENDING = "extension_pending"  # 延期待审批
    REPLIED = "replied"  # 已答复
    CLOSED = "closed"  # 已办结 / 已结警
    VISITED = "visited"  # 已回访
    EVALUATED = "evaluated"  # 已评价
    TRANSFERRED = "transferred"  # 已转办（待对方签收）
    PEER_HANDLING = "peer_handling"  # 对方办理中
    NEGOTIATING = "negotiating"  # 在线协商中
    CANCELLED = "cancelled"  # 已撤销
    MERGED = "merged"  # 已合并


class Action(StrEnum):
    DISPATCH = "dispatch"  # 派单 / 派警
    SIGN = "sign"  # 签收
    ARRIVE = "arrive"  # 到场（警单）
    HANDLE = "handle"  # 办理（核实、派遣、处置）
    REPLY = "reply"  # 答复
    CLOSE = "close"  # 办结 / 结警
    VISIT = "visit"  # 回访
    EVALUATE = "evaluate"  # 评价
    RETURN = "return"  # 退单
    APPROVE_RETURN = "approve_return"  # 退单审核通过
    REJECT_RETURN = "reject_return"  # 退单审核驳回
    REQUEST_EXTENSION = "request_extension"  # 申请延期
    APPROVE_EXTENSION = "approve_extension"  # 延期审批通过
    REJECT_EXTENSION = "reject_extension"  # 延期审批驳回
    URGE = "urge"  # 催办
    SUPERVISE = "supervise"  # 督办
    REOPEN = "reopen"  # 重办
    CANCEL = "cancel"  # 撤销
    MERGE = "merge"  # 合并
    TRANSFER = "transfer"  # 转办至对方平台
    RECALL = "recall"  # 撤回转办
    NEGOTIATE = "negotiate"  # 发起在线协商
    PEER_ACCEPT = "peer_accept"  # 对方签收
    PEER_RETURN = "peer_return"  # 对方退回
    PEER_PROGRESS = "peer_progress"  # 对方进展
    PEER_RESULT = "peer_result"  # 对方办结反馈
    NEGOTIATED = "negotiated"  # 协商结果（含首接负责）
    RECLASSIFY = "reclassify"  # 改分类定级（派单员复核智能分流）
    CONTACT = "contact"  # 首次联系诉求人（承办单位）


STATUS_LABELS = {
    Status.RECEIVED: "已受理", Status.DISPATCHED: "已派单", Status.SIGNED: "已签收", Status.HANDLING: "办理中",
    Status.ON_SCENE: "已到场", Status.RETURN_PENDING: "退单待审核", Status.EXTENSION_PENDING: "延期待审批",
    Status.REPLIED: "已答复", Status.CLOSED: "已办结", Status.VISITED: "已回访", Status.EVALUATED: "已评价",
    Status.TRANSFERRED: "已转办待签收", Status.PEER_HANDLING: "对方办理中", Status.NEGOTIATING: "在线协商中",
    Status.CANCELLED: "已撤销", Status.MERGED: "已合并",
}
ACTION_LABELS = {
    Action.DISPATCH: "派单", Action.SIGN: "签收", Action.ARRIVE: "到场", Action.HANDLE: "办理", Action.REPLY: "答复",
    Action.CLOSE: "办结", Action.VISIT: "回访", Action.EVALUATE: "评价", Action.RETURN: "退单",
    Action.APPROVE_RETURN: "退单审核通过", Action.REJECT_RETURN: "退单审核驳回", Action.REQUEST_EXTENSION: "申请延期",
    Action.APPROVE_EXTENSION: "延期审批通过", Action.REJECT_EXTENSION: "延期审批驳回", Action.URGE: "催办",
    Action.SUPERVISE: "督办", Action.REOPEN: "重办", Action.CANCEL: "撤销", Action.MERGE: "合并",
    Action.TRANSFER: "转办", Action.RECALL: "撤回", Action.NEGOTIATE: "在线协商", Action.PEER_ACCEPT: "对方签收",
    Action.PEER_RETURN: "对方退回", Action.PEER_PROGRESS: "对方进展", Action.PEER_RESULT: "对方办结反馈",
    Action.NEGOTIATED: "协商确定", Action.RECLASSIFY: "改分类定级",
    Action.CONTACT: "首次联系",
}


class Notice(StrEnum):  # audit events that record a notice and change no state (`Orders.record_notice`)
    PEER_NOTICE = "peer_notice"  # 对端通报: a peer answered about an order that stays live here
    ESCALATION = "escalation"  # 升级通报 to the city command (or received from a peer)
    TRANSFER_OVERDUE = "transfer_overdue"  # 转办超时预警
    NEGOTIATION = "negotiation"  # 在线协商
    PEER_TRANSFER = "peer_transfer"  # 通报对端平台: a transfer sent from a live order
    CITIZEN_NOTE = "citizen_note"  # 市民补充: information the citizen added on the portal


NOTICE_LABELS = {
    Notice.PEER_NOTICE: "对端通报", Notice.ESCALATION: "升级通报", Notice.TRANSFER_OVERDUE: "转办超时预警",
    Notice.NEGOTIATION: "在线协商", Notice.PEER_TRANSFER: "通报对端平台", Notice.CITIZEN_NOTE: "市民补充",
}
TERMINAL = frozenset({Status.EVALUATED, Status.CANCELLED, Status.MERGED})
OPEN_FOR_CHASE = frozenset({  # 催办/督办 reach every step until the citizen has been visited
    Status.RECEIVED, Status.DISPATCHED, Status.SIGNED, Status.HANDLING, Status.ON_SCENE, Status.RETURN_PENDING,
    Status.EXTENSION_PENDING, Status.TRANSFERRED, Status.PEER_HANDLING, Status.NEGOTIATING, Status.REPLIED,
    Status.CLOSED,
})


@dataclass(frozen=True)
class Rule:
    to: Status | None  # None: the order stays where it is (催办, 督办, progress notes)
    roles: frozenset[Role]
    needs: tuple[str, ...] = ()  # command fields that must be present: unit, reason, satisfied, days, target, rating
    needs_one_of: tuple[str, ...] = ()  # of these command fields at least one must be present (改分类定级)


def _r(to, *roles, needs=(), needs_one_of=()):
    return Rule(to, frozenset(roles), tuple(needs), tuple(needs_one_of))


O, D, H, S, P, A, SYS = Role.OPERATOR, Role.DISPATCHER, Role.HANDLER, Role.SUPERVISOR, Role.POLICE, Role.ADMIN, Role.SYSTEM
C = Role.CITIZEN  # 市民 on the portal: withdraws (撤诉) and rates (回访) their own appeal
_CHASE = {
    (st, act): _r(None, S, D, A, SYS, needs=("note",) if act is Action.SUPERVISE else ())
    for st in OPEN_FOR_CHASE for act in (Action.URGE, Action.SUPERVISE)
}
_PEER = {
    (Status.RECEIVED, Action.TRANSFER): _r(Status.TRANSFERRED, O, D, P, A, SYS, needs=("target",)),
    (Status.RECEIVED, Action.NEGOTIATE): _r(Status.NEGOTIATING, O, D, P, A, needs=("target",)),
    (Status.NEGOTIATING, Action.NEGOTIATED): _r(Status.RECEIVED, SYS, D, P, S, A),
    (Status.NEGOTIATING, Action.TRANSFER): _r(Status.TRANSFERRED, SYS, D, P, A, needs=("target",)),
    # the peer's answers arrive as system actions; an admin may record one by hand when the link is down
    (Status.TRANSFERRED, Action.PEER_ACCEPT): _r(Status.PEER_HANDLING, SYS, A),
    (Status.TRANSFERRED, Action.PEER_RETURN): _r(Status.RECEIVED, SYS, A, needs=("reason",)),
    (Status.TRANSFERRED, Action.RECALL): _r(Status.RECEIVED, O, D, P, A, needs=("reason",)),
    (Status.PEER_HANDLING, Action.PEER_PROGRESS): _r(None, SYS, A),
    (Status.PEER_HANDLING, Action.PEER_RETURN): _r(Status.RECEIVED, SYS, A, needs=("reason",)),
    (Status.PEER_HANDLING, Action.PEER_RESULT): _r(Status.REPLIED, SYS, A),
}

# 工单 (12345 side)
WORK_ORDER_TRANSITIONS: dict[tuple[Status, Action], Rule] = {
    (Status.RECEIVED, Action.DISPATCH): _r(Status.DISPATCHED, D, O, A, SYS, needs=("unit",)),
    (Status.RECEIVED, Action.REPLY): _r(Status.REPLIED, O, D, A, needs=("note",)),  # 即问即答: answered on the call
    (Status.RECEIVED, Action.CANCEL): _r(Status.CANCELLED, O, D, S, A, SYS, C, needs=("reason",)),  # SYS: a peer's recall
    (Status.RECEIVED, Action.MERGE): _r(Status.MERGED, O, D, S, A, SYS, needs=("target", "reason")),
    # the dispatcher corrects the machine's routing (熔断复核): a category of the city's lists and/or a level
    (Status.RECEIVED, Action.RECLASSIFY): _r(None, D, S, A, needs_one_of=("category", "level")),
    (Status.DISPATCHED, Action.SIGN): _r(Status.SIGNED, H, A),
    (Status.DISPATCHED, Action.RETURN): _r(Status.RETURN_PENDING, H, A, needs=("reason",)),
    (Status.DISPATCHED, Action.CANCEL): _r(Status.CANCELLED, D, S, A, SYS, C, needs=("reason",)),
    (Status.DISPATCHED, Action.MERGE): _r(Status.MERGED, D, S, A, SYS, needs=("target", "reason")),
    (Status.SIGNED, Action.HANDLE): _r(Status.HANDLING, H, A),
    (Status.SIGNED, Action.RETURN): _r(Status.RETURN_PENDING, H, A, needs=("reason",)),
    (Status.SIGNED, Action.REQUEST_EXTENSION): _r(Status.EXTENSION_PENDING, H, A, needs=("days", "reason")),
    (Status.SIGNED, Action.REPLY): _r(Status.REPLIED, H, A, needs=("note",)),
    (Status.SIGNED, Action.CANCEL): _r(Status.CANCELLED, C, A, needs=("reason",)),  # 撤诉 by the citizen
    (Status.HANDLING, Action.HANDLE): _r(None, H, A),
    (Status.SIGNED, Action.CONTACT): _r(None, H, A),  # 首次联系: the time the unit first reached the citizen
    (Status.HANDLING, Action.CONTACT): _r(None, H, A),
    (Status.HANDLING, Action.REQUEST_EXTENSION): _r(Status.EXTENSION_PENDING, H, A, needs=("days", "reason")),
    (Status.HANDLING, Action.REPLY): _r(Status.REPLIED, H, A, needs=("note",)),
    (Status.HANDLING, Action.CANCEL): _r(Status.CANCELLED, C, A, needs=("reason",)),  # 撤诉 by the citizen
    (Status.RETURN_PENDING, Action.APPROVE_RETURN): _r(Status.RECEIVED, S, A),
    (Status.RETURN_PENDING, Action.REJECT_RETURN): _r(Status.SIGNED, S, A, needs=("note",)),
    (Status.EXTENSION_PENDING, Action.APPROVE_EXTENSION): _r(Status.HANDLING, S, A),
    (Status.EXTENSION_PENDING, Action.REJECT_EXTENSION): _r(Status.HANDLING, S, A, needs=("note",)),
    (Status.REPLIED, Action.CLOSE): _r(Status.CLOSED, D, O, S, A, SYS),
    (Status.REPLIED, Action.REOPEN): _r(Status.DISPATCHED, D, S, A, needs=("reason",)),  # reply not acceptable
    (Status.CLOSED, Action.VISIT): _r(Status.VISITED, O, D, S, A, C, needs=("satisfied",)),  # C: rated on the portal
    (Status.VISITED, Action.EVALUATE): _r(Status.EVALUATED, O, D, S, A, SYS, needs=("rating",)),
    # guard: visit unsatisfied; SYS: the portal reopens an unsatisfied rating under the city's rules
    (Status.VISITED, Action.REOPEN): _r(Status.DISPATCHED, D, S, A, SYS, needs=("reason",)),
    **_CHASE,
    **_PEER,
}

# 警单 (110 side): 接警 → 派警 → 到场 → 处置 → 结警 → 回访 → 评价
POLICE_ORDER_TRANSITIONS: dict[tuple[Status, Action], Rule] = {
    (Status.RECEIVED, Action.DISPATCH): _r(Status.DISPATCHED, P, A, SYS, needs=("unit",)),
    (Status.RECEIVED, Action.CANCEL): _r(Status.CANCELLED, P, S, A, SYS, needs=("reason",)),  # SYS: a peer's recall
    (Status.RECEIVED, Action.MERGE): _r(Status.MERGED, P, S, A, SYS, needs=("target", "reason")),
    (Status.DISPATCHED, Action.SIGN): _r(Status.SIGNED, H, P, A),
    (Status.DISPATCHED, Action.ARRIVE): _r(Status.ON_SCENE, H, P, A),
    (Status.SIGNED, Action.ARRIVE): _r(Status.ON_SCENE, H, P, A),
    (Status.ON_SCENE, Action.HANDLE): _r(Status.HANDLING, H, P, A),
    (Status.HANDLING, Action.HANDLE): _r(None, H, P, A),
    (Status.SIGNED, Action.CONTACT): _r(None, H, P, A),
    (Status.ON_SCENE, Action.CONTACT): _r(None, H, P, A),
    (Status.HANDLING, Action.CONTACT): _r(None, H, P, A),
    (Status.HANDLING, Action.REPLY): _r(Status.REPLIED, H, P, A, needs=("note",)),
    (Status.ON_SCENE, Action.REPLY): _r(Status.REPLIED, H, P, A, needs=("note",)),
    (Status.ON_SCENE, Action.TRANSFER): _r(Status.TRANSFERRED, H, P, A, SYS, needs=("target",)),  # 先期处置后移交
    (Status.HANDLING, Action.TRANSFER): _r(Status.TRANSFERRED, H, P, A, SYS, needs=("target",)),
    (Status.REPLIED, Action.CLOSE): _r(Status.CLOSED, P, S, A, SYS),
    (Status.CLOSED, Action.VISIT): _r(Status.VISITED, P, S, A, needs=("satisfied",)),
    (Status.VISITED, Action.EVALUATE): _r(Status.EVALUATED, P, S, A, SYS, needs=("rating",)),
    (Status.VISITED, Action.REOPEN): _r(Status.DISPATCHED, P, S, A, needs=("reason",)),
    **_CHASE,
    **_PEER,
}

TABLES = {Platform.GOV: WORK_ORDER_TRANSITIONS, Platform.POLICE: POLICE_ORDER_TRANSITIONS}


MILESTONES = {  # the action → the time stamp supervision measures limits from
    Action.DISPATCH: "dispatched_at", Action.SIGN: "signed_at", Action.ARRIVE: "signed_at", Action.REPLY: "replied_at",
    Action.PEER_RESULT: "replied_at", Action.CLOSE: "closed_at", Action.VISIT: "visited_at", Action.URGE: "chased_at",
    Action.SUPERVISE: "supervised_at", Action.REOPEN: "dispatched_at",
}


def dispatch_refusal(order_platform: str, unit_platform: str, unit_name: str) -> str | None:
    """Guard of 派单: why a unit of `unit_platform` may not take an order of `order_platform` (None: it may).

    Police orders (and the minimal 119/120 desks' orders) go to their own platform's units only; work
    orders go to 12345 departments and public utilities, never to the police — that is a transfer (转办)."""
    if order_platform != Platform.GOV:
        if unit_platform == order_platform:
            return None
        return (f"警单只能派给公安单位，「{unit_name}」不是公安单位" if order_platform == Platform.POLICE
                else f"{order_platform}平台的工单只能派给本平台单位，「{unit_name}」不是")
    if unit_platform in (Platform.GOV, Platform.UTILITY):
        return None
    return f"工单不能派给「{unit_name}」：请通过转办交由{unit_platform}平台处理"


POLICE_FUNCTIONS = ("public_security", "traffic_police")  # unit functions (cities/functions.yaml) of the police
EMERGENCY_FUNCTIONS = ("fire_rescue", "emergency_medical")
DESK_FUNCTIONS = {Platform.POLICE: "public_security", Platform.FIRE: "fire_rescue", Platform.MEDICAL: "emergency_medical"}


def dispatch_function(platform: str, function: str | None) -> str | None:
    """Rule of 智能派单: the unit function a confidently routed order of `platform` goes to, or None (a
    person dispatches it). The police take their own functions (public security by default); the 119/120
    desks their service; a work order never goes to the police or an emergency service (that is 转办)."""
    if platform == Platform.POLICE:
        return function if function in POLICE_FUNCTIONS else DESK_FUNCTIONS[Platform.POLICE]
    if platform in DESK_FUNCTIONS:
        return DESK_FUNCTIONS[Platform(platform)]
    if not function or function in POLICE_FUNCTIONS or function in EMERGENCY_FUNCTIONS:
        return None
    return function


def table_for(platform: str) -> dict[tuple[Status, Action], Rule]:
    """12345 keeps work orders; every other desk (110, and the minimal 119/120 desks) police-style orders."""
    return TABLES[Platform.GOV if platform == Platform.GOV else Platform.POLICE]


def allowed_actions(platform: str, status: Status, role: Role | None = None) -> list[Action]:
    return [a for (s, a), rule in table_for(platform).items() if s is status and (role is None or role in rule.roles)]


def rule_for(platform: str, status: Status, action: Action) -> Rule:
    """The rule for this move, or IllegalTransition naming the state and what it allows."""
    rule = table_for(platform).get((status, action))
    if rule is None:
        allowed = allowed_actions(platform, status)
        raise IllegalTransition(
            status.value, action.value, [ACTION_LABELS[a] for a in allowed],
            state_label=STATUS_LABELS[status], action_label=ACTION_LABELS[action],
        )
    return rule
