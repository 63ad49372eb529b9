"""Which orders a desk keeps and what it sends its peers, when 12345 and 110 are separate desks."""

from __future__ import annotations

from datetime import datetime

from liandong.core.clock import CST
from liandong.linkage.plan import OrderPlan, PeerSend, plan_appeal
from liandong.linkage.rules import load_linkage
from liandong.regions.registry import CITIES_DIR

RULES = load_linkage(CITIES_DIR / "demo" / "linkage.yaml")
NOW = datetime(2026, 9, 30, 16, 0, tzinfo=CST)


def desk(platform: str, *peers: str) -> dict:
    """What the planner knows of a desk: the platforms it hosts and its peer desks."""
    hosted = frozenset({platform} | {p for p in ("12345", "110") if p not in peers})
    return dict(hosted=hosted, peers=frozenset(peers), rules=RULES)


GOV = desk("12345", "110", "119", "120")
POLICE = desk("110", "12345", "119", "120")


def plan(services, receiving, at, level="一般"):
    p = plan_appeal(services, receiving, level=level, review=False, now=NOW, **at)
    return p.orders, list(p.sends), p.escalate


ALONE = dict(hosted=frozenset({"12345", "110"}), peers=frozenset(), rules=RULES)  # one process hosts both


def test_in_one_process_the_four_emergencies_open_a_police_order_and_a_work_order_beside_it():
    for receiving in ("12345", "110"):
        assert plan(["110", "12345"], receiving, ALONE, level="重大") == (OrderPlan("110", parallel="12345"), [], False)


def test_in_one_process_a_matter_of_the_other_side_is_a_shadow_transferred_to_it():
    assert plan(["110"], "12345", ALONE)[0] == OrderPlan("12345", transfer_to="110")
    assert plan(["12345"], "110", ALONE)[0] == OrderPlan("110", transfer_to="12345")
    assert plan(["110", "119", "120"], "12345", ALONE)[0] == OrderPlan("12345", transfer_to="110", notify=("119", "120"))
    assert plan(["119"], "12345", ALONE)[0] == OrderPlan("12345", transfer_to="119", auto_dispatch=False)


def test_own_matters_stay_and_neither_sides_are_explained():
    assert plan(["12345"], "12345", ALONE)[0] == OrderPlan("12345")
    assert plan(["110"], "110", ALONE)[0] == OrderPlan("110")
    assert plan([], "12345", ALONE)[0] == OrderPlan("12345", auto_dispatch=False)


def test_four_emergencies_at_12345_keep_a_live_work_order_and_send_110_to_act_first():
    orders, sends, escalate = plan(["110", "12345"], "12345", GOV)
    assert (orders.primary, orders.parallel, orders.transfer_to) == ("12345", None, None)
    assert sends == [PeerSend("110", "handle", sends[0].reason)] and not escalate


def test_four_emergencies_at_110_keep_the_police_order_and_ask_12345_to_coordinate():
    orders, sends, _ = plan(["110", "12345"], "110", POLICE)
    assert (orders.primary, orders.parallel) == ("110", None)
    assert [(s.target, s.purpose) for s in sends] == [("12345", "coordinate")]


def test_fire_and_ambulance_beside_the_police_are_notified():
    orders, sends, _ = plan(["110", "119", "120"], "12345", GOV)
    assert (orders.primary, orders.transfer_to, orders.notify) == ("12345", "110", ())
    assert [(s.target, s.purpose) for s in sends] == [("119", "notify"), ("120", "notify")]


def test_graded_response_major_police_first_serious_escalates():
    orders, sends, escalate = plan(["12345"], "12345", GOV, level="较大")
    assert orders == OrderPlan(primary="12345")
    assert [(s.target, s.purpose) for s in sends] == [("110", "handle")] and not escalate
    _, sends, escalate = plan(["110"], "110", POLICE, level="重大")
    assert [(s.target, s.purpose) for s in sends] == [("12345", "coordinate")] and escalate
    _, sends, escalate = plan(["12345"], "12345", GOV, level="一般")
    assert sends == [] and not escalate


def test_graded_response_adds_platforms_only_where_they_are_separate_desks():
    assert plan(["12345"], "12345", ALONE, level="较大")[0] == OrderPlan("12345")  # 110 sees it in the same process
    assert plan(["110"], "110", ALONE, level="重大") == (OrderPlan("110"), [], False)
    assert plan(["110"], "12345", ALONE, level="较大")[0] == OrderPlan("12345", transfer_to="110")
    orders, sends, escalate = plan(["110"], "12345", GOV, level="较大")  # the shadow keeps 12345 informed
    assert orders == OrderPlan("12345", transfer_to="110") and sends == [] and not escalate
