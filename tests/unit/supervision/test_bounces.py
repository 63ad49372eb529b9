from datetime import datetime
from pathlib import Path

import pytest

from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.supervision.bounces import ChainEvent, ChainKind, detect_bounce
from liandong.supervision.limits import load_time_limits

FIXTURE = Path(__file__).with_name("time_limits_fixture.yaml")

A, R = ChainKind.ASSIGN, ChainKind.RETURN


def at(d, hh):
    return datetime(2026, 10, d, hh, tzinfo=CST)


def test_order_bouncing_between_three_units_is_flagged_with_its_whole_chain():
    chain = [
        ChainEvent(A, "东门街道", at(8, 9)),
        ChainEvent(R, "东门街道", at(8, 11), "非本单位职责"),
        ChainEvent(A, "城管执法局", at(8, 14)),
        ChainEvent(R, "城管执法局", at(9, 10), "应由属地处理"),
        ChainEvent(A, "住建局", at(9, 11)),
        ChainEvent(A, "东门街道", at(9, 15)),
    ]
    bounce = load_time_limits(FIXTURE).bounce
    report = detect_bounce(reversed(chain), max_transfers=bounce.max_transfers, max_returns=bounce.max_returns)
    assert report.flagged
    assert report.transfers == 3 and report.returns == 2
    assert report.units == ("东门街道", "城管执法局", "住建局")
    assert [link.event for link in report.chain] == chain  # sorted back into time order
    assert [link.transfer for link in report.chain] == [False, False, True, False, True, True]
    assert report.reasons == ("在 3 个单位之间转办 3 次（阈值 3）", "被退单 2 次（阈值 2）")


def test_one_return_and_reassignment_to_the_same_unit_is_not_a_bounce():
    report = detect_bounce(
        [ChainEvent(A, "东门街道", at(8, 9)), ChainEvent(R, "东门街道", at(8, 10)), ChainEvent(A, "东门街道", at(8, 11))]
    )
    assert not report.flagged and report.transfers == 0 and report.returns == 1 and report.reasons == ()


def test_thresholds_are_configurable_and_validated():
    chain = [ChainEvent(A, "甲", at(8, 9)), ChainEvent(A, "乙", at(8, 10))]
    assert not detect_bounce(chain).flagged
    assert detect_bounce(chain, max_transfers=1).flagged
    with pytest.raises(InvalidInput):
        detect_bounce(chain, max_transfers=0)
    with pytest.raises(InvalidInput):
        detect_bounce([ChainEvent(A, "", at(8, 9))])


def test_empty_chain():
    report = detect_bounce([])
    assert not report.flagged and report.chain == ()
