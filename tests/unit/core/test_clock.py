from datetime import datetime, timedelta

from liandong.core.clock import CST, FrozenClock, as_cst


def test_frozen_clock_moves_only_when_told():
    clock = FrozenClock(datetime(2026, 9, 30, 16, 0))
    assert clock.now() == datetime(2026, 9, 30, 16, 0, tzinfo=CST)
    clock.advance(timedelta(hours=2))
    assert clock.now().hour == 18


def test_as_cst_converts_utc():
    from datetime import timezone

    moment = datetime(2026, 1, 1, 0, 0, tzinfo=timezone.utc)
    assert as_cst(moment).hour == 8
