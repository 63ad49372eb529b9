"""Each linkage rule of the seeds, one test each (晋城 三(一)(二)(三), 天津 二(三))."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from liandong.core.clock import CST
from liandong.core.errors import ConfigError
from liandong.exchange.messages import Level
from liandong.linkage.plan import plan_linkage
from liandong.linkage.rules import load_linkage, negotiation_outcome, transfer_overdue

RULES = load_linkage(Path(__file__).resolve().parents[3] / "src/liandong/cities/demo/linkage.yaml")
NOW = datetime(2026, 9, 30, 16, 0, tzinfo=CST)


def plan(services, level=Level.GENERAL, receiving="12345", **kw):
    return plan_linkage(services, level, receiving, RULES, now=NOW, **kw)


def actions(p):
    return [(s.move.value, s.target) for s in p.steps]


def test_clearly_the_other_sides_is_transferred_one_click():
    assert actions(plan({"police"})) == [("transfer", "110")]
    assert actions(plan({"government"}, receiving="110")) == [("transfer", "12345")]


def test_own_general_matters_go_to_departments():
    assert actions(plan({"government"})) == [("keep", "12345"), ("dispatch_departments", "12345")]
    assert actions(plan({"police"}, receiving="110")) == [("dispatch_police", "110")]


def test_overlapping_duties_are_negotiated_with_a_deadline():
    p = plan({"police", "government"})
    assert actions(p) == [("negotiate", "110")] and p.negotiation_deadline == NOW + timedelta(minutes=30)
    assert actions(plan({"government"}, receiving="110", ambiguous=True)) == [("negotiate", "12345")]


def test_negotiation_unresolved_in_time_stays_with_the_first_receiver():
    pending = negotiation_outcome(proposed_at=NOW, now=NOW + timedelta(minutes=29), first_receiver="110", rules=RULES)
    assert (pending.state, pending.taker) == ("pending", None)
    late = negotiation_outcome(proposed_at=NOW, now=NOW + timedelta(minutes=30), first_receiver="110", rules=RULES)
    assert (late.state, late.taker) == ("first_receiver_keeps", "110")
    agreed = negotiation_outcome(proposed_at=NOW, now=NOW + timedelta(hours=2), first_receiver="110", rules=RULES,
                                 agreed_taker="12345")
    assert (agreed.state, agreed.taker) == ("agreed", "12345")


def test_danger_goes_to_110_and_119_120_first():
    p = plan({"government", "fire", "medical"}, danger=True)
    firsts = [(s.move.value, s.target) for s in p.steps if s.first]
    assert firsts == [("transfer", "110"), ("transfer", "119"), ("transfer", "120")]
    assert ("dispatch_departments", "12345") not in actions(p)  # a general-level danger: no parallel dispatch


def test_four_emergencies_also_dispatch_departments_in_parallel():
    p = plan({"government"}, emergency="natural_disaster")
    assert actions(p) == [("transfer", "110"), ("dispatch_departments", "12345")]
    at_110 = plan({"police"}, receiving="110", emergency="public_health")
    assert actions(at_110) == [("dispatch_police", "110"), ("notify", "12345")]
    assert at_110.steps[1].purpose == "coordinate"


def test_violent_dispute_at_110_police_act_and_12345_mediates():
    p = plan({"government"}, receiving="110", violent_dispute=True)
    assert actions(p) == [("dispatch_police", "110"), ("transfer", "12345")]
    assert p.steps[0].first and p.steps[1].purpose == "mediation"


def test_stability_clue_at_12345_goes_to_110_first():
    assert actions(plan({"government"}, stability_clue=True)) == [("transfer", "110")]


def test_county_110_relays_through_city_110_to_city_12345():
    p = plan({"government"}, receiving="110", receiving_tier="county")
    assert actions(p) == [("transfer", "12345")] and p.steps[0].via == ("city-110", "city-12345")
    assert plan({"government"}, receiving="110").steps[0].via == ()


@pytest.mark.parametrize("level, expected", [
    (Level.GENERAL, [("keep", "12345"), ("dispatch_departments", "12345")]),
    (Level.MAJOR, [("transfer", "110"), ("dispatch_departments", "12345")]),
    (Level.SERIOUS, [("transfer", "110"), ("dispatch_departments", "12345"), ("escalate", "command")]),
    (Level.EXTRAORDINARY, [("transfer", "110"), ("dispatch_departments", "12345"), ("escalate", "command")]),
])
def test_graded_response(level, expected):
    assert actions(plan({"government"}, level=level)) == expected


def test_major_event_received_by_110_notifies_12345_to_coordinate():
    p = plan({"police"}, level=Level.MAJOR, receiving="110")
    assert actions(p) == [("dispatch_police", "110"), ("notify", "12345")]
    assert "城运中心" in plan({"police"}, level=Level.SERIOUS, receiving="110").steps[-1].reason


def test_neither_sides_matter_is_explained_to_the_caller():
    assert actions(plan(set())) == [("guide", "12345")]


def test_transfer_not_accepted_in_time_warns():
    assert transfer_overdue(sent_at=NOW, accepted_at=None, now=NOW + timedelta(minutes=30), rules=RULES) is None
    late = transfer_overdue(sent_at=NOW, accepted_at=None, now=NOW + timedelta(minutes=45), rules=RULES)
    assert late.minutes_overdue == 15 and late.due_at == NOW + timedelta(minutes=30)
    assert transfer_overdue(sent_at=NOW, accepted_at=NOW + timedelta(minutes=5), now=NOW + timedelta(days=1),
                            rules=RULES) is None


def test_linkage_file_is_validated(tmp_path):
    bad = tmp_path / "linkage.yaml"
    bad.write_text("service_platforms: {police: '110'}\n")
    with pytest.raises(ConfigError, match="缺少字段"):
        load_linkage(bad)
