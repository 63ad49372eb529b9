"""Work orders as plain data, and the one function that decides what an action does to one.

`decide(order, command, actor, now)` is pure: it checks the transition table (`states.py`), the
command's required fields and the guards that depend on the order's facts, and returns the new
status, every field the action changes (as the order's own column names and final values) and the
data of the audit event. Storage only writes them, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from liandong.core.actors import ROLE_LABELS, Actor, Role
from liandong.core.errors import Conflict, Forbidden, InvalidInput
from liandong.core.types import TRANSFER_TARGETS, Level
from liandong.orders.states import ACTION_LABELS, MILESTONES, STATUS_LABELS, Action, Status, dispatch_refusal, rule_for

RETURN_REASONS = {  # 退单原因
    "not_our_duty": "非本单位职责",
    "wrong_region": "不属本辖区",
    "incomplete": "诉求信息不全、无法联系诉求人",
    "duplicate": "重复工单",
    "judicial": "已进入诉讼、仲裁、信访等法定途径",
    "other": "其他",
}


@dataclass(frozen=True)
class SatisfactionLevel:  # 满意度等级 of the city's scale
    code: str
    label: str
    satisfied: bool  # counts as satisfied: False lets a supervisor reopen (重办), as `satisfied=False` does


SATISFACTION_SCALE = {  # the default scale (满意 / 基本满意 / 不满意); a city passes its own to `Orders`
    "satisfied": SatisfactionLevel("satisfied", "满意", True),
    "basically_satisfied": SatisfactionLevel("basically_satisfied", "基本满意", True),
    "unsatisfied": SatisfactionLevel("unsatisfied", "不满意", False),
}


@dataclass(frozen=True)
class OrderFacts:
    """What the decision needs to know of an order."""

    number: str
    platform: str
    status: Status
    unit: str | None
    last_visit_satisfied: bool | None = None
    return_count: int = 0
    transfer_count: int = 0
    urge_count: int = 0
    extension_days: int = 0
    pending_extension_days: int | None = None
    category_code: str | None = None
    category_name: str | None = None
    level: str | None = None
    contacted_at: datetime | None = None


@dataclass(frozen=True)
class ActionCommand:  # 操作指令
    action: Action
    note: str = ""
    unit: str | None = None  # 派单 target unit
    reason: str | None = None  # 退单/撤销/合并 reason code or text
    satisfied: bool | None = None  # 回访 result
    solved: bool | None = None  # 回访：是否解决 (None: not asked, counted as unknown)
    satisfaction: str | None = None  # 回访：满意度, a level code of the city's scale
    rating: int | None = None  # 评价 1..5
    days: int | None = None  # 延期 working days
    target: str | None = None  # 合并 into order number / 转办 target platform
    step: str | None = None  # 办理 sub-step: 核实/派遣/处置
    unit_platform: str | None = None  # 派单: the platform of the target unit (the service looks it up)
    unit_name: str | None = None
    category: str | None = None  # 改分类: a category code of the city's reference lists
    level: str | None = None  # 定级: 一般/较大/重大/特别重大
    category_name: str | None = None  # 改分类: the list item's name and group (the service looks them up)
    category_group: str | None = None
    satisfaction_level: SatisfactionLevel | None = None  # 回访: the level of that code (the service looks it up)


@dataclass(frozen=True)
class Decision:
    from_status: Status
    to_status: Status
    changes: dict = field(default_factory=dict)
    event_data: dict = field(default_factory=dict)


_FIELD_LABELS = {"unit": "承办单位", "reason": "原因", "satisfied": "是否满意", "rating": "评价分值", "days": "延期天数",
                 "target": "目标", "note": "说明", "category": "分类", "level": "事件等级"}


def decide(order: OrderFacts, cmd: ActionCommand, actor: Actor, now: datetime) -> Decision:
    rule = rule_for(order.platform, order.status, cmd.action)
    if cmd.action is Action.VISIT and not _blank(cmd.satisfaction):
        if cmd.satisfaction_level is None:
            raise InvalidInput(f"满意度「{cmd.satisfaction}」不在本市满意度等级中")
        if cmd.satisfied is None:
            cmd = replace(cmd, satisfied=cmd.satisfaction_level.satisfied)
    if actor.role not in rule.roles:
        allowed = "、".join(ROLE_LABELS[r] for r in sorted(rule.roles, key=list(Role).index) if r is not Role.SYSTEM)
        raise Forbidden(f"「{ACTION_LABELS[cmd.action]}」需由{allowed}执行，当前用户角色为{ROLE_LABELS[actor.role]}")
    for name in rule.needs:
        value = getattr(cmd, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise InvalidInput(f"「{ACTION_LABELS[cmd.action]}」必须填写{_FIELD_LABELS[name]}")
    if rule.needs_one_of and all(_blank(getattr(cmd, name)) for name in rule.needs_one_of):
        names = "或".join(_FIELD_LABELS[n] for n in rule.needs_one_of)
        raise InvalidInput(f"「{ACTION_LABELS[cmd.action]}」至少要填写{names}")
    changes: dict = {}
    data: dict = {}
    to = rule.to or order.status
    match cmd.action:
        case Action.DISPATCH:
            refusal = dispatch_refusal(order.platform, cmd.unit_platform, cmd.unit_name or cmd.unit or "") \
                if cmd.unit_platform is not None else None  # an unknown unit is refused by the city registry
            if refusal:
                raise InvalidInput(refusal)
            changes["unit"] = cmd.unit
            if order.unit is not None or order.return_count > 0:  # passed on from one unit to another
                changes["transfer_count"] = order.transfer_count + 1
            data["unit"] = cmd.unit
        case Action.RETURN:
            reason_text = RETURN_REASONS.get(cmd.reason or "")
            if reason_text is None:
                raise InvalidInput(f"退单原因「{cmd.reason}」不在原因清单中：{'、'.join(f'{k}（{v}）' for k, v in RETURN_REASONS.items())}")
            if not cmd.note.strip():
                raise InvalidInput("退单必须写明具体说明（原因清单之外的文字说明）")
            data["reason"] = cmd.reason
            data["reason_text"] = reason_text
            data["returned_by"] = order.unit
            changes["return_count"] = order.return_count + 1
        case Action.APPROVE_RETURN:
            changes["unit"] = None
        case Action.REQUEST_EXTENSION:
            if not (1 <= (cmd.days or 0) <= 30):
                raise InvalidInput("延期天数应为1至30个工作日")
            data["days"] = cmd.days
            data["reason"] = cmd.reason
            changes["pending_extension_days"] = cmd.days
        case Action.APPROVE_EXTENSION:
            data["approved"] = True
            changes["extension_days"] = order.extension_days + (order.pending_extension_days or 0)
            changes["pending_extension_days"] = None
        case Action.VISIT:
            level = cmd.satisfaction_level
            if level is not None and level.satisfied != cmd.satisfied:
                raise InvalidInput(f"满意度「{level.label}」与回访结果（{'满意' if cmd.satisfied else '不满意'}）不一致")
            changes.update(satisfied=cmd.satisfied, solved=cmd.solved, satisfaction=level.code if level else None)
            data.update(satisfied=cmd.satisfied, solved=cmd.solved, satisfaction=level.code if level else None)
        case Action.CONTACT:
            if order.contacted_at is not None:
                raise Conflict(f"已于{order.contacted_at:%Y-%m-%d %H:%M}记录首次联系，后续联系请在「办理」中说明")
            changes["contacted_at"] = now
        case Action.EVALUATE:
            if not (1 <= (cmd.rating or 0) <= 5):
                raise InvalidInput("评价分值应为1至5分")
            changes["rating"] = cmd.rating
            data["rating"] = cmd.rating
        case Action.REOPEN:
            if order.status is Status.VISITED and order.last_visit_satisfied is not False:
                raise Conflict("只有回访不满意的工单才能重办")
            # the same unit handles it again (重办); the clocks restart at this dispatch
            changes.update(satisfied=None, solved=None, satisfaction=None, closed_at=None, replied_at=None,
                           signed_at=None, visited_at=None)
            data["reason"] = cmd.reason
        case Action.CANCEL | Action.MERGE:
            data["reason"] = cmd.reason
            if cmd.action is Action.MERGE:
                if cmd.target == order.number:
                    raise InvalidInput("不能将工单合并到自身")
                changes["merged_into"] = cmd.target
                data["target"] = cmd.target
        case Action.TRANSFER | Action.NEGOTIATE:
            if cmd.target not in TRANSFER_TARGETS or cmd.target == order.platform:
                raise InvalidInput(f"转办目标平台「{cmd.target}」无效")
            changes["peer_platform"] = cmd.target
            data["target"] = cmd.target
        case Action.URGE:
            changes["urge_count"] = order.urge_count + 1
        case Action.SUPERVISE:
            changes["supervised"] = True
        case Action.HANDLE:
            if cmd.step:
                data["step"] = cmd.step
        case Action.RECLASSIFY:
            changes.update(_reclassify(order, cmd, data))
    stamp = MILESTONES.get(cmd.action)
    if stamp:
        changes[stamp] = now
    if to is Status.CLOSED:
        changes.setdefault("closed_at", now)
    changes["status"] = to.value
    changes["updated_at"] = now
    return Decision(order.status, to, changes, data)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _reclassify(order: OrderFacts, cmd: ActionCommand, data: dict) -> dict:
    """改分类定级: the new category (a list item the service found) and/or level; the review is done."""
    changes: dict = {"review": False}
    if not _blank(cmd.category):
        if cmd.category_name is None:
            raise InvalidInput(f"分类「{cmd.category}」不在本市分流转办事项清单中")
        changes.update(category_code=cmd.category, category_name=cmd.category_name,
                       category_group=cmd.category_group)
        data["category"] = {"from": order.category_code, "to": cmd.category}
        data["category_name"] = {"from": order.category_name, "to": cmd.category_name}
    if not _blank(cmd.level):
        if cmd.level not in Level._value2member_map_:
            raise InvalidInput(f"事件等级「{cmd.level}」无效，可选：{'、'.join(lv.value for lv in Level)}")
        changes["level"] = cmd.level
        data["level"] = {"from": order.level, "to": cmd.level}
    return changes


def describe(decision: Decision, action: Action) -> str:
    """One line for the audit trail, e.g. 「签收」：已派单 → 已签收."""
    return f"「{ACTION_LABELS[action]}」：{STATUS_LABELS[decision.from_status]} → {STATUS_LABELS[decision.to_status]}"
