"""The seeds' linkage rules between separate desks (12345, 110, 119), message by message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from liandong.exchange.tables import OutboxMessage
from liandong.linkage.watch import watch_once
from tests.integration.desks_kit import Desks


@pytest.fixture
def desks(tmp_path, template_db, clock):
    d = Desks(tmp_path, template_db, clock)
    yield d
    d.close()


def _actions(desk, number: str) -> list[str]:
    return [e["action"] for e in desk.events(number)]


def _outbox(desk) -> dict:
    with desk.ctx.read() as s:
        return dict(s.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())


def test_one_click_transfer_keeps_a_shadow_that_follows_every_step_until_the_result(desks):
    gov, pol = desks["12345"], desks["110"]
    [shadow] = gov.submit("operator", "有人抢劫了我的手机")
    assert shadow["status"] == "transferred"
    desks.pump()
    [received] = pol.received()
    assert (received["status"], received["unit"], received["channel"]) == ("dispatched", "PS-148802", "12345-transfer")
    assert received["caller"]["name"] == "张*" and received["caller"]["phone"] == "138****1111"  # masked in transit
    assert received["region"] == "148802" and received["peer_order_id"] == shadow["id"]
    assert "purpose:handle" in received["flags"]
    assert gov.order(shadow["id"])["status"] == "peer_handling"
    with pytest.raises(AssertionError):  # the origin may not close before the peer's result (闭环)
        gov.act("dispatcher", shadow["id"], "close")
    for action, fields in (("arrive", {}), ("handle", {"note": "民警到场"}), ("reply", {"note": "已抓获嫌疑人"})):
        pol.act("police_east", received["id"], action, **fields)
    pol.act("police", received["id"], "close")
    desks.pump()
    assert _actions(gov, shadow["id"]) == ["receive", "transfer", "peer_accept"] + ["peer_progress"] * 4 + ["peer_result"]
    assert "已抓获嫌疑人" in gov.events(shadow["id"])[-1]["note"]
    assert gov.act("dispatcher", shadow["id"], "close")["status"] == "closed"
    assert _outbox(gov) == {"sent": 1} and _outbox(pol) == {"sent": 6}


def test_four_emergencies_at_12345_police_act_first_and_departments_in_parallel(desks):
    gov, pol = desks["12345"], desks["110"]
    [live] = gov.submit("operator", "有人站在楼顶要跳楼")
    assert (live["platform"], live["status"], live["unit"]) == ("12345", "dispatched", "ST-148802001")
    desks.pump()
    [received] = pol.received()
    assert received["status"] == "dispatched" and "purpose:handle" in received["flags"]
    pol.act("police_east", received["id"], "arrive")
    desks.pump()
    notes = [e for e in gov.events(live["id"]) if e["action"] == "peer_notice"]  # the live order sees 110's steps
    assert len(notes) == 3 and gov.order(live["id"])["status"] == "dispatched"
    assert any(e["action"] == "peer_transfer" and e["data"]["purpose"] == "handle" for e in gov.events(live["id"]))


def test_four_emergencies_at_110_notify_12345_to_coordinate(desks):
    gov, pol = desks["12345"], desks["110"]
    [live] = pol.submit("police", "有人站在楼顶要跳楼")
    assert (live["platform"], live["status"]) == ("110", "dispatched")
    desks.pump()
    [received] = gov.received()
    assert "purpose:coordinate" in received["flags"] and received["status"] == "dispatched"


def test_fire_goes_to_the_119_desk_and_its_result_comes_back(desks):
    gov, fire = desks["12345"], desks["119"]
    [shadow] = gov.submit("operator", "楼下仓库着火了")
    desks.pump()
    [received] = fire.received()
    assert (received["platform"], received["unit"], received["status"]) == ("119", "FIRE", "dispatched")
    for action, fields in (("arrive", {}), ("handle", {"note": "已扑灭"}), ("reply", {"note": "火已扑灭，无人员伤亡"})):
        fire.act("fire", received["id"], action, **fields)
    fire.act("police", received["id"], "close")
    desks.pump()
    assert gov.order(shadow["id"])["status"] == "replied"


def test_a_dispute_police_handled_goes_to_12345_for_mediation(desks):
    gov, pol = desks["12345"], desks["110"]
    [order] = pol.submit("police", "有人抢劫，双方还在争吵")
    pol.act("police_east", order["id"], "arrive")
    pol.act("police", order["id"], "transfer", target="12345", note="纠纷需属地政府联合调处")
    desks.pump()
    [received] = gov.received()
    assert "purpose:mediation" in received["flags"]
    assert pol.order(order["id"])["status"] == "peer_handling"  # 12345 dispatched it: accepted


def test_serious_events_are_escalated_and_12345_notified(desks):
    gov, pol = desks["12345"], desks["110"]
    [live] = pol.submit("police", "化工厂爆炸")
    detail = pol.order(live["id"])
    assert "escalated" in detail["flags"]
    escalation = [e for e in pol.events(live["id"]) if e["action"] == "escalation"]
    assert len(escalation) == 1 and "城运中心" in escalation[0]["note"] and escalation[0]["action_label"] == "升级通报"
    desks.pump()
    [received] = gov.received()
    assert "purpose:coordinate" in received["flags"] and received["level"] == "重大"


def test_a_transfer_not_accepted_in_time_warns_both_desks(desks, clock):
    gov, pol = desks["12345"], desks["110"]
    [shadow] = gov.submit("operator", "有人抢劫")
    clock.advance(timedelta(minutes=29))
    with gov.ctx.write() as s:
        assert watch_once(s, gov.ctx.linkage, clock.now())["overdue"] == []
    clock.advance(timedelta(minutes=2))
    with gov.ctx.write() as s:
        assert watch_once(s, gov.ctx.linkage, clock.now())["overdue"] == [shadow["id"]]
    with gov.ctx.write() as s:  # once only
        assert watch_once(s, gov.ctx.linkage, clock.now())["overdue"] == []
    assert "transfer_overdue" in gov.order(shadow["id"])["flags"]
    assert _actions(gov, shadow["id"])[-1] == "transfer_overdue"
    desks.pump()  # the peer comes back: the transfer, then the warning on its order
    [received] = pol.received()
    assert "transfer_overdue" in received["flags"] and _actions(pol, received["id"])[-1] == "escalation"
    assert "transfer_overdue_accepted" in gov.order(shadow["id"])["flags"]


def test_recall_cancels_the_order_the_peer_opened(desks):
    gov, pol = desks["12345"], desks["110"]
    [order] = pol.submit("police", "问一下航班几点起飞")  # neither side's: not dispatched anywhere
    pol.act("police", order["id"], "transfer", target="12345", note="请12345解释")
    pol.act("police", order["id"], "recall", reason="已当场解释")
    desks.pump()
    [received] = gov.received()
    assert received["status"] == "cancelled"
    assert pol.order(order["id"])["status"] == "received"
    assert _outbox(pol) == {"sent": 2} and _outbox(gov) == {}  # no return sent back for a recall


def test_the_receiver_cancelling_returns_the_order_to_its_origin(desks):
    gov, pol = desks["12345"], desks["110"]
    [order] = pol.submit("police", "我家停水了")
    desks.pump()
    [received] = gov.received()
    gov.act("dispatcher", received["id"], "cancel", reason="not_our_duty", note="已由物业处理，非政府部门职责")
    desks.pump()
    shadow = pol.order(order["id"])
    assert shadow["status"] == "received"
    assert _actions(pol, order["id"])[-1] == "peer_return"


def test_unresolved_negotiation_leaves_the_order_with_the_first_receiver(desks, clock):
    gov, pol = desks["12345"], desks["110"]
    [order] = gov.submit("operator", "问一下航班几点起飞")
    gov.act("operator", order["id"], "negotiate", target="110", note="职责不清，请协商")
    desks.pump()
    clock.advance(timedelta(minutes=31))
    with gov.ctx.write() as s:
        assert watch_once(s, gov.ctx.linkage, clock.now())["first_receiver_keeps"] == [order["id"]]
    assert gov.order(order["id"])["status"] == "received"
    assert _outbox(gov) == {"sent": 1}


def test_a_units_return_and_its_approval_reach_the_origin_as_they_do_in_one_process(desks):
    """The same feedback table as tests/api/test_lifecycle.py, over the exchange this time."""
    gov, pol = desks["12345"], desks["110"]
    [shadow] = pol.submit("police", "我们小区停水两天了")
    assert shadow["status"] == "transferred"
    desks.pump()
    [work] = gov.received()
    assert (work["status"], work["unit"]) == ("dispatched", "WSUPPLY")
    gov.act("water", work["id"], "sign")
    gov.act("water", work["id"], "return", reason="not_our_duty", note="供水管网不归我单位")
    gov.act("supervisor", work["id"], "approve_return")
    desks.pump()
    trail = pol.events(shadow["id"])
    assert [e["action"] for e in trail] == ["receive", "transfer", "peer_accept"] + ["peer_progress"] * 4
    assert "供水管网不归我单位" in trail[-2]["note"] and pol.order(shadow["id"])["status"] == "peer_handling"
