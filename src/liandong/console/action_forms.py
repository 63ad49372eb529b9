"""The action forms of an order (操作表单): one small form per action the transition table allows the
signed-in role in the order's state, with exactly the fields that row needs (`rule_for(...).needs`,
`needs_one_of`) and an optional note. Pure: it reads the table, the city and the stored routing; the
server still checks everything again when the form is posted (`Orders.act`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from liandong.core.actors import Role
from liandong.core.types import TRANSFER_TARGETS, Level
from liandong.orders.model import RETURN_REASONS, SATISFACTION_SCALE
from liandong.orders.states import (
    ACTION_LABELS,
    Action,
    Status,
    allowed_actions,
    dispatch_function,
    dispatch_refusal,
    rule_for,
)
from liandong.orders.tables import OrderRow
from liandong.regions.registry import CityRegistry, Unit
from liandong.routing.decision import RoutingDecision

PLATFORM_NAMES = {"12345": "12345 热线", "110": "110 报警台", "119": "119 消防", "120": "120 急救",
                  "122": "122 交警", "utility": "公用事业"}
HANDLE_STEPS = ("核实", "派遣", "处置")
PRIMARY = {Action.DISPATCH, Action.SIGN, Action.REPLY, Action.CLOSE, Action.APPROVE_RETURN, Action.APPROVE_EXTENSION,
           Action.HANDLE, Action.ARRIVE, Action.VISIT, Action.EVALUATE}  # drawn as the filled buttons
DANGER = {Action.CANCEL, Action.RETURN, Action.REJECT_RETURN, Action.REJECT_EXTENSION, Action.MERGE}


@dataclass(frozen=True)
class Field:  # one input of an action form
    name: str  # the ActionRequest field it fills
    label: str
    kind: str  # select, text, textarea, number, list (a text input over the page's datalist of that name)
    required: bool = True
    options: tuple[tuple[str, str], ...] = ()  # (value, label)
    groups: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # optgroups: (label, options)
    value: str = ""
    placeholder: str = ""


@dataclass(frozen=True)
class ActionForm:
    action: str
    label: str
    fields: tuple[Field, ...]
    style: str  # primary, danger or plain


def dispatchable_units(city: CityRegistry, platform: str) -> list[Unit]:
    """The units the dispatch guard (`states.dispatch_refusal`) lets an order of `platform` go to."""
    return [u for u in city.city.units if dispatch_refusal(platform, u.platform, u.name) is None]


def suggestion(routing: dict | None) -> RoutingDecision:
    """The machine's stored routing of the order's appeal (`RoutingDecision.from_dict`)."""
    return RoutingDecision.from_dict(routing or {})


def suggested_unit(order: OrderRow, decision: RoutingDecision, city: CityRegistry, categories: Mapping) -> Unit | None:
    """The unit the order would go to by 智能派单: the stored routing's unit, or — after 改分类 — the unit
    of the new category's function at the order's place; None when the guard refuses it or there is none."""
    function, code = decision.unit_function, decision.unit
    item = categories.get(order.category_code or "")
    if item is not None and order.category_code != decision.category_code:  # reclassified by a person
        function, code = item.unit_function, None
    function = dispatch_function(order.platform, function)
    unit = city.units.get(code) if code else None
    if unit is None and function:
        unit = city.unit_for(function, order.region)
    if unit is None or dispatch_refusal(order.platform, unit.platform, unit.name) is not None:
        return None
    return unit


def unit_field(city: CityRegistry, platform: str, value: str = "") -> Field:
    options = tuple((u.code, u.name) for u in dispatchable_units(city, platform))
    return Field("unit", "承办单位", "select", options=options, value=value)


def category_field(categories: Mapping, value: str = "") -> Field:
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, item in categories.items():
        groups.setdefault(item.group, []).append((code, f"{item.name}（{code}）"))
    return Field("category", "分类（分流转办事项清单）", "select", required=False, value=value,
                 options=(("", "不改分类"),), groups=tuple((g, tuple(opts)) for g, opts in groups.items()))


def level_field(value: str = "") -> Field:
    return Field("level", "事件等级", "select", required=False, value=value,
                 options=(("", "不改等级"),) + tuple((lv.value, lv.value) for lv in Level))


def visit_fields(scale: Mapping) -> list[Field]:
    """回访: the level on the city's satisfaction scale (it says whether the visit counts as satisfied)
    and whether the problem was solved (是否解决; left blank it is counted as unknown)."""
    return [Field("satisfaction", "满意度", "select", options=tuple((lv.code, lv.label) for lv in scale.values())),
            Field("solved", "问题是否解决", "select", required=False,
                  options=(("", "未说明"), ("true", "已解决"), ("false", "未解决")))]


def _field(name: str, action: Action, order: OrderRow, city: CityRegistry, categories: Mapping,
           unit: Unit | None) -> Field:
    if name == "unit":
        return unit_field(city, order.platform, unit.code if unit else (order.unit or ""))
    if name == "reason" and action is Action.RETURN:
        return Field("reason", "退单原因", "select", options=(("", "请选择退单原因"),) + tuple(RETURN_REASONS.items()))
    if name == "reason":
        label = {Action.CANCEL: "撤销原因", Action.MERGE: "合并原因", Action.REQUEST_EXTENSION: "延期理由",
                 Action.REOPEN: "重办原因", Action.RECALL: "撤回原因"}.get(action, "原因")
        return Field("reason", label, "text")
    if name == "days":
        return Field("days", "延期天数（工作日，1–30）", "number", value="3")
    if name == "satisfied":
        return Field("satisfied", "回访结果", "select", options=(("true", "满意"), ("false", "不满意")))
    if name == "rating":
        return Field("rating", "评价分值", "select", options=tuple((str(n), f"{n} 分") for n in range(5, 0, -1)))
    if name == "note":
        return Field("note", {Action.REPLY: "答复内容"}.get(action, "说明"), "textarea")
    if name == "target" and action is Action.MERGE:
        return Field("target", "合并到工单编号", "text", placeholder="例如 GD-148802-20261123-000001")
    if name == "target":
        options = tuple((p, PLATFORM_NAMES.get(p, p)) for p in sorted(TRANSFER_TARGETS) if p != order.platform)
        return Field("target", "目标平台", "select", options=options)
    if name == "category":
        return category_field(categories)
    if name == "level":
        return level_field()
    return Field(name, name, "text")


def forms_for(order: OrderRow, role: Role, city: CityRegistry, categories: Mapping,
              unit: Unit | None = None, scale: Mapping = SATISFACTION_SCALE) -> list[ActionForm]:
    """The forms of the actions the table allows `role` on this order now (`allowed_actions`)."""
    status = Status(order.status)
    forms = []
    for action in allowed_actions(order.platform, status, role):
        rule = rule_for(order.platform, status, action)
        if action is Action.VISIT:
            fields = visit_fields(scale)
        else:
            fields = [_field(n, action, order, city, categories, unit) for n in rule.needs + rule.needs_one_of]
        if action is Action.HANDLE:
            fields.append(Field("step", "办理环节", "select", required=False,
                                options=(("", "—"),) + tuple((s, s) for s in HANDLE_STEPS)))
        if "note" not in rule.needs:  # every action may carry a note; a return must explain itself
            must = action is Action.RETURN
            fields.append(Field("note", "具体说明" if must else "备注（可选）", "textarea", required=must,
                                placeholder="办理进展、核实情况等" if action is Action.HANDLE else ""))
        style = "primary" if action in PRIMARY else "danger" if action in DANGER else "plain"
        forms.append(ActionForm(action.value, ACTION_LABELS[action], tuple(fields), style))
    return forms
