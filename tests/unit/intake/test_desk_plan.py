"""Which orders a desk keeps and what it sends its peers, when 12345 and 110 are separate desks."""

from __future__ import annotations

from dataclasses import dataclass, field

from liandong.exchange.policy import load_linkage
from liandong.intake.desk_plan import PeerSend, desk_plan
from liandong.intake.plan import OrderPlan, plan_orders
from liandong.regions.registry import CITIES_DIR

RULES = load_linkage(CITIES_DIR / "demo" / "linkage.yaml")


@dataclass
class _Peers:
    peers: dict


@dataclass
class _Exchange:
    peers: _Peers
    rules: object = RULES


@dataclass
class _Ctx:  # what desk_plan reads of the composition root
    platform: str
    peer_platforms: tuple[str, ...]
    exchange: _Exchange = field(init=False)

    def __post_init__(self):
        self.exchange = _Exchange(_Peers({p: object() for p in self.peer_platforms}))

    @property
    def local_platforms(self):
        return frozenset({self.platform} | {p for p in ("12345", "110") if p not in self.peer_platforms})


GOV = _Ctx("12345", ("110", "119", "120"))
POLICE = _Ctx("110", ("12345", "119", "120"))


def test_without_an_exchange_the_plan_is_unchanged():
    class NoExchange:
        exchange = None

    plan = plan_orders(["110", "12345"], "12345", review=False)
    assert desk_plan(plan, NoExchange(), level="重大") == (plan, [], False)


def test_four_emergencies_at_12345_keep_a_live_work_order_and_send_110_to_act_first():
    plan, sends, escalate = desk_plan(plan_orders(["110", "12345"], "12345", review=False), GOV, level="一般")
    assert (plan.primary, plan.parallel, plan.transfer_to) == ("12345", None, None)
    assert sends == [PeerSend("110", "handle", sends[0].reason)] and not escalate


def test_four_emergencies_at_110_keep_the_police_order_and_ask_12345_to_coordinate():
    plan, sends, _ = desk_plan(plan_orders(["110", "12345"], "110", review=False), POLICE, level="一般")
    assert (plan.primary, plan.parallel) == ("110", None)
    assert [(s.target, s.purpose) for s in sends] == [("12345", "coordinate")]


def test_fire_and_ambulance_beside_the_police_are_notified():
    plan, sends, _ = desk_plan(plan_orders(["110", "119", "120"], "12345", review=False), GOV, level="一般")
    assert (plan.primary, plan.transfer_to, plan.notify) == ("12345", "110", ())
    assert [(s.target, s.purpose) for s in sends] == [("119", "notify"), ("120", "notify")]


def test_graded_response_major_police_first_serious_escalates():
    plan, sends, escalate = desk_plan(OrderPlan(primary="12345"), GOV, level="较大")
    assert [(s.target, s.purpose) for s in sends] == [("110", "handle")] and not escalate
    _, sends, escalate = desk_plan(OrderPlan(primary="110"), POLICE, level="重大")
    assert [(s.target, s.purpose) for s in sends] == [("12345", "coordinate")] and escalate
    _, sends, escalate = desk_plan(OrderPlan(primary="12345"), GOV, level="一般")
    assert sends == [] and not escalate
