"""12345 beside an emergency service, learned (routing/joint.py): the JOINT output decides where no rule is sure."""

from types import SimpleNamespace

import pytest

from liandong.routing import danger_model
from liandong.routing.joint import learned_joint, settled


def item(code, services):
    return SimpleNamespace(code=code, services=tuple(services))


@pytest.mark.parametrize("services, p, after", [
    ({"119"}, 0.95, {"119", "12345"}),  # a utility must act too
    ({"110", "12345"}, 0.05, {"110"}),  # the emergency service acts alone
    ({"110"}, 0.5, None),  # between the thresholds: the rules' decision stands
    ({"110", "12345"}, 0.5, None),
    ({"12345"}, 0.99, None),  # no emergency service: not the JOINT question
])
def test_the_joint_probability_adds_or_drops_12345(services, p, after):
    before = set(services)
    reason = learned_joint(services, {danger_model.JOINT: p}, False)
    assert services == (after or before)
    assert (reason is not None) == (after is not None)
    if reason:
        assert reason.startswith("联动（模型研判）") and f"p={p:.2f}" in reason


def test_a_settled_decision_is_left_alone():
    services = {"110", "12345"}
    assert learned_joint(services, {danger_model.JOINT: 0.01}, True) is None
    assert services == {"110", "12345"}


def test_what_the_rules_are_sure_of():
    index = SimpleNamespace(claims={"threat": [item("XZ-E02", ("110", "12345"))], "fight": [item("JC-A05", ("110",))]})
    composed = [SimpleNamespace(adds=("110", "12345"))]
    assert settled(None, {}, index, ["threat"], [])  # a joint emergency claims the signal
    assert settled(None, {}, index, [], composed)  # a composed pattern brings 12345
    assert settled(item("JC-A03", ("110",)), {"JC-A03": ["赌博"]}, index, [], [])  # list A by its keyword: 110 alone
    assert not settled(item("JC-A03", ("110",)), {}, index, ["fight"], [])  # the model's guess of an item
    assert not settled(item("JC-B20", ("12345",)), {"JC-B20": ["配电箱"]}, index, [], [])  # a list-B word beside a signal


def test_the_router_asks_the_detector_for_a_utility_behind_a_fire(route):
    d = route("小区配电房在冒烟，噼啪响，整栋楼都断电了")
    assert set(d.services) == {"119", "12345"}, d.reasons
