from datetime import datetime

import pytest

from liandong.core.actors import Actor, Role
from liandong.core.clock import CST
from liandong.core.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from liandong.orders.model import ActionCommand, OrderFacts, decide
from liandong.orders.states import (
    ACTION_LABELS,
    POLICE_ORDER_TRANSITIONS,
    STATUS_LABELS,
    WORK_ORDER_TRANSITIONS,
    Action,
    Status,
    allowed_actions,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CST)
HANDLER = Actor("h", Role.HANDLER, unit="URBAN")
DISPATCHER = Actor("d", Role.DISPATCHER)
SUPERVISOR = Actor("s", Role.SUPERVISOR)
OPERATOR = Actor("o", Role.OPERATOR)


def facts(status: Status, platform="12345", **kw) -> OrderFacts:
    return OrderFacts(number="GD-1", platform=platform, status=status, unit="URBAN", **kw)


def test_happy_path_from_intake_to_evaluation():
    steps = [
        (Status.RECEIVED, ActionCommand(Action.DISPATCH, unit="URBAN"), DISPATCHER, Status.DISPATCHED),
        (Status.DISPATCHED, ActionCommand(Action.SIGN), HANDLER, Status.SIGNED),
        (Status.SIGNED, ActionCommand(Action.HANDLE, step="核实"), HANDLER, Status.HANDLING),
        (Status.HANDLING, ActionCommand(Action.REPLY, note="已清理"), HANDLER, Status.REPLIED),
        (Status.REPLIED, ActionCommand(Action.CLOSE), DISPATCHER, Status.CLOSED),
        (Status.CLOSED, ActionCommand(Action.VISIT, satisfied=True), OPERATOR, Status.VISITED),
        (Status.VISITED, ActionCommand(Action.EVALUATE, rating=5), OPERATOR, Status.EVALUATED),
    ]
    for state, cmd, actor, expected in steps:
        assert decide(facts(state), cmd, actor, NOW).to_status is expected


def test_illegal_action_names_state_and_allowed_actions():
    with pytest.raises(IllegalTransition) as err:
        decide(facts(Status.RECEIVED), ActionCommand(Action.CLOSE), DISPATCHER, NOW)
    assert "已受理" in err.value.message and "办结" in err.value.message
    assert "派单" in err.value.allowed


def test_return_needs_reason_from_the_list_and_approval():
    with pytest.raises(InvalidInput, match="原因"):
        decide(facts(Status.SIGNED), ActionCommand(Action.RETURN), HANDLER, NOW)
    with pytest.raises(InvalidInput, match="原因清单"):
        decide(facts(Status.SIGNED), ActionCommand(Action.RETURN, reason="懒得办"), HANDLER, NOW)
    with pytest.raises(InvalidInput, match="说明"):
        decide(facts(Status.SIGNED), ActionCommand(Action.RETURN, reason="not_our_duty"), HANDLER, NOW)
    d = decide(facts(Status.SIGNED), ActionCommand(Action.RETURN, reason="not_our_duty", note="属供水公司职责"), HANDLER, NOW)
    assert d.to_status is Status.RETURN_PENDING and d.changes["return_count"] == 1
    with pytest.raises(Forbidden):
        decide(facts(Status.RETURN_PENDING), ActionCommand(Action.APPROVE_RETURN), HANDLER, NOW)
    approved = decide(facts(Status.RETURN_PENDING), ActionCommand(Action.APPROVE_RETURN), SUPERVISOR, NOW)
    assert approved.to_status is Status.RECEIVED and approved.changes["unit"] is None


def test_reopen_only_after_unsatisfied_visit():
    with pytest.raises(Conflict):
        decide(facts(Status.VISITED, last_visit_satisfied=True), ActionCommand(Action.REOPEN, reason="x"), SUPERVISOR, NOW)
    d = decide(facts(Status.VISITED, last_visit_satisfied=False), ActionCommand(Action.REOPEN, reason="没修好"), SUPERVISOR, NOW)
    assert d.to_status is Status.DISPATCHED


def test_extension_bounds_and_approval():
    with pytest.raises(InvalidInput):
        decide(facts(Status.HANDLING), ActionCommand(Action.REQUEST_EXTENSION, days=90, reason="x"), HANDLER, NOW)
    d = decide(facts(Status.HANDLING), ActionCommand(Action.REQUEST_EXTENSION, days=3, reason="需协调"), HANDLER, NOW)
    assert d.to_status is Status.EXTENSION_PENDING
    assert decide(facts(Status.EXTENSION_PENDING), ActionCommand(Action.APPROVE_EXTENSION), SUPERVISOR, NOW).to_status is Status.HANDLING


def test_urge_and_supervise_keep_the_state():
    d = decide(facts(Status.HANDLING), ActionCommand(Action.URGE), SUPERVISOR, NOW)
    assert d.to_status is Status.HANDLING
    assert d.changes == {"urge_count": 1, "chased_at": NOW, "status": "handling", "updated_at": NOW}
    s = decide(facts(Status.HANDLING), ActionCommand(Action.SUPERVISE, note="督办"), SUPERVISOR, NOW)
    assert (s.changes["supervised"], s.changes["supervised_at"]) == (True, NOW)
    with pytest.raises(IllegalTransition):
        decide(facts(Status.EVALUATED), ActionCommand(Action.URGE), SUPERVISOR, NOW)


def test_role_is_checked():
    with pytest.raises(Forbidden, match="承办人"):
        decide(facts(Status.DISPATCHED), ActionCommand(Action.SIGN), OPERATOR, NOW)


def test_police_order_flow():
    police = Actor("p", Role.POLICE)
    state = Status.RECEIVED
    for cmd in [ActionCommand(Action.DISPATCH, unit="PS-148802"), ActionCommand(Action.ARRIVE), ActionCommand(Action.HANDLE),
                ActionCommand(Action.REPLY, note="已处置"), ActionCommand(Action.CLOSE)]:
        state = decide(facts(state, platform="110"), cmd, police, NOW).to_status
    assert state is Status.CLOSED


def test_every_state_and_action_has_a_label_and_terminal_states_are_dead_ends():
    for table in (WORK_ORDER_TRANSITIONS, POLICE_ORDER_TRANSITIONS):
        for (state, action), rule in table.items():
            assert state in STATUS_LABELS and action in ACTION_LABELS
            assert rule.roles
    for terminal in (Status.EVALUATED, Status.CANCELLED, Status.MERGED):
        assert allowed_actions("12345", terminal) == []


def test_merge_into_itself_is_refused():
    with pytest.raises(InvalidInput):
        decide(facts(Status.RECEIVED), ActionCommand(Action.MERGE, target="GD-1", reason="重复"), DISPATCHER, NOW)


def test_the_table_names_every_role_that_may_act_admin_included():
    """No role passes a rule it is not listed in: the table is the whole policy."""
    admin = Actor("a", Role.ADMIN)
    for table in (WORK_ORDER_TRANSITIONS, POLICE_ORDER_TRANSITIONS):
        for (state, action), rule in table.items():
            assert Role.ADMIN in rule.roles, (state, action)
    assert decide(facts(Status.TRANSFERRED), ActionCommand(Action.PEER_ACCEPT), admin, NOW).to_status is Status.PEER_HANDLING


def test_dispatch_guard_keeps_police_and_work_orders_apart():
    dispatcher = Actor("d", Role.DISPATCHER)
    to_police = ActionCommand(Action.DISPATCH, unit="PS-1", unit_platform="110", unit_name="东区派出所")
    with pytest.raises(InvalidInput, match="转办"):
        decide(facts(Status.RECEIVED), to_police, dispatcher, NOW)
    to_dept = ActionCommand(Action.DISPATCH, unit="CG-1", unit_platform="12345", unit_name="城管局")
    with pytest.raises(InvalidInput, match="警单只能派给公安单位"):
        decide(facts(Status.RECEIVED, platform="110"), to_dept, Actor("p", Role.POLICE), NOW)
    d = decide(facts(Status.RECEIVED), to_dept, dispatcher, NOW)
    assert d.changes["unit"] == "CG-1" and d.changes["dispatched_at"] == NOW
    assert d.changes["transfer_count"] == 1  # it was with URBAN before: passed on from one unit to another


def test_reclassify_changes_category_and_level_and_ends_the_review():
    order = OrderFacts(number="GD-1", platform="12345", status=Status.RECEIVED, unit=None, category_code="T-其他",
                       category_name="其他", level="一般")
    cmd = ActionCommand(Action.RECLASSIFY, category="JC-B65", category_name="垃圾清运", category_group="城市管理类",
                        level="较大")
    d = decide(order, cmd, DISPATCHER, NOW)
    assert d.to_status is Status.RECEIVED
    assert {k: d.changes[k] for k in ("category_code", "category_name", "category_group", "level", "review")} == {
        "category_code": "JC-B65", "category_name": "垃圾清运", "category_group": "城市管理类", "level": "较大",
        "review": False}
    assert d.event_data["category"] == {"from": "T-其他", "to": "JC-B65"}
    assert d.event_data["level"] == {"from": "一般", "to": "较大"}
    only_level = decide(order, ActionCommand(Action.RECLASSIFY, level="重大"), SUPERVISOR, NOW)
    assert only_level.changes["level"] == "重大" and "category_code" not in only_level.changes
    assert only_level.changes["review"] is False


def test_reclassify_needs_a_known_category_or_a_level_and_the_right_role():
    order = facts(Status.RECEIVED)
    with pytest.raises(InvalidInput, match="至少要填写分类或事件等级"):
        decide(order, ActionCommand(Action.RECLASSIFY), DISPATCHER, NOW)
    with pytest.raises(InvalidInput, match="不在本市分流转办事项清单中"):  # the service found no such item
        decide(order, ActionCommand(Action.RECLASSIFY, category="NO-SUCH"), DISPATCHER, NOW)
    with pytest.raises(InvalidInput, match="事件等级"):
        decide(order, ActionCommand(Action.RECLASSIFY, level="很大"), DISPATCHER, NOW)
    with pytest.raises(Forbidden):
        decide(order, ActionCommand(Action.RECLASSIFY, level="较大"), HANDLER, NOW)
    with pytest.raises(IllegalTransition):  # only before dispatch
        decide(facts(Status.DISPATCHED), ActionCommand(Action.RECLASSIFY, level="较大"), DISPATCHER, NOW)
    assert Action.RECLASSIFY in allowed_actions("12345", Status.RECEIVED, Role.DISPATCHER)
    assert Action.RECLASSIFY not in allowed_actions("12345", Status.RECEIVED, Role.OPERATOR)
