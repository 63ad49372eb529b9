"""回访 records 是否解决 and a level of the city's satisfaction scale; 首次联系 is an action with its time."""

from datetime import datetime

import pytest

from liandong.core.actors import Actor, Role
from liandong.core.clock import CST
from liandong.core.errors import Conflict, IllegalTransition, InvalidInput
from liandong.orders.model import SATISFACTION_SCALE, ActionCommand, OrderFacts, decide
from liandong.orders.states import Action, Status, allowed_actions

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CST)
HANDLER = Actor("h", Role.HANDLER, unit="URBAN")
OPERATOR = Actor("o", Role.OPERATOR)
SUPERVISOR = Actor("s", Role.SUPERVISOR)


def facts(status: Status, platform="12345", **kw) -> OrderFacts:
    return OrderFacts(number="GD-1", platform=platform, status=status, unit="URBAN", **kw)


def visit(**kw) -> ActionCommand:
    code = kw.pop("satisfaction", None)
    return ActionCommand(Action.VISIT, satisfaction=code, satisfaction_level=SATISFACTION_SCALE.get(code or ""), **kw)


def test_the_boolean_alone_still_works_and_leaves_the_new_facts_unknown():
    d = decide(facts(Status.CLOSED), ActionCommand(Action.VISIT, satisfied=True), OPERATOR, NOW)
    assert d.changes["satisfied"] is True and d.changes["solved"] is None and d.changes["satisfaction"] is None


@pytest.mark.parametrize("code, satisfied", [("satisfied", True), ("basically_satisfied", True),
                                             ("unsatisfied", False)])
def test_the_level_says_whether_the_visit_counts_as_satisfied(code, satisfied):
    d = decide(facts(Status.CLOSED), visit(satisfaction=code, solved=False), OPERATOR, NOW)
    assert d.changes["satisfied"] is satisfied and d.changes["satisfaction"] == code
    assert d.changes["solved"] is False and d.event_data["solved"] is False and d.event_data["satisfaction"] == code


def test_an_unsatisfied_level_opens_the_reopen_guard_as_the_boolean_did():
    d = decide(facts(Status.CLOSED), visit(satisfaction="unsatisfied"), OPERATOR, NOW)
    reopened = decide(facts(Status.VISITED, last_visit_satisfied=d.changes["satisfied"]),
                      ActionCommand(Action.REOPEN, reason="没修好"), SUPERVISOR, NOW)
    assert reopened.to_status is Status.DISPATCHED
    assert reopened.changes["solved"] is None and reopened.changes["satisfaction"] is None
    with pytest.raises(Conflict):
        decide(facts(Status.VISITED, last_visit_satisfied=True), ActionCommand(Action.REOPEN, reason="x"),
               SUPERVISOR, NOW)


def test_a_level_off_the_scale_or_contradicting_the_boolean_is_refused():
    with pytest.raises(InvalidInput, match="不在本市满意度等级中"):
        decide(facts(Status.CLOSED), visit(satisfaction="very_happy"), OPERATOR, NOW)
    with pytest.raises(InvalidInput, match="不一致"):
        decide(facts(Status.CLOSED), visit(satisfaction="unsatisfied", satisfied=True), OPERATOR, NOW)
    with pytest.raises(InvalidInput, match="必须填写是否满意"):
        decide(facts(Status.CLOSED), ActionCommand(Action.VISIT, solved=True), OPERATOR, NOW)


@pytest.mark.parametrize("platform, status", [("12345", Status.SIGNED), ("12345", Status.HANDLING),
                                              ("110", Status.ON_SCENE), ("110", Status.HANDLING)])
def test_first_contact_is_recorded_once_while_handling_and_keeps_the_status(platform, status):
    assert Action.CONTACT in allowed_actions(platform, status, Role.HANDLER)
    d = decide(facts(status, platform), ActionCommand(Action.CONTACT), HANDLER, NOW)
    assert d.to_status is status and d.changes["contacted_at"] == NOW
    with pytest.raises(Conflict, match="已于2026-11-23 10:00记录首次联系"):
        decide(facts(status, platform, contacted_at=NOW), ActionCommand(Action.CONTACT), HANDLER, NOW)


def test_first_contact_is_not_an_action_before_signing_or_after_the_reply():
    for status in (Status.DISPATCHED, Status.REPLIED, Status.CLOSED):
        with pytest.raises(IllegalTransition):
            decide(facts(status), ActionCommand(Action.CONTACT), HANDLER, NOW)
