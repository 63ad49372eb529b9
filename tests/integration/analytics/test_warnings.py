"""Trend warnings over stored orders: 高发, 新发, 群诉增长, 12345 and 110 rising together; acknowledged once."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from liandong.analytics.warnings import Warnings, acknowledge, list_warnings
from liandong.core.actors import Actor, Role
from liandong.core.clock import CST
from liandong.core.errors import Conflict, Forbidden, InvalidInput
from liandong.regions.registry import load_city
from liandong.storage.db import make_engine
from tests.analytics_kit import add_orders, module_db

DAY = date(2019, 11, 20)  # a Wednesday
EAST, WEST = "148802001001", "148803001001"
ADMIN = Actor("admin", Role.ADMIN)


def at(d: date, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=CST)


def history():
    specs = []
    for back in range(1, 100):
        d = DAY - timedelta(days=back)
        working = d.weekday() < 5
        specs += [("12345", EAST, "占道经营", at(d))] * (2 if working else 1)
        specs += [("12345", WEST, "噪声扰民", at(d))] * (3 if working else 1)
        specs += [("110", WEST, "邻里纠纷", at(d))] * (back % 2)
        if back <= 2:
            specs += [("12345", WEST, "邻里纠纷", at(d))] * 4 + [("110", WEST, "邻里纠纷", at(d))] * 4
    specs += [("12345", EAST, "占道经营", at(DAY))] * 11  # 高发: 11 against about 2
    specs += [("12345", WEST, "噪声扰民", at(DAY))] * 3  # ordinary day
    specs += [("12345", EAST, "供暖不热", at(DAY))] * 4  # 新发: nothing in four weeks
    specs += [("12345", WEST, "邻里纠纷", at(DAY))] * 4 + [("110", WEST, "邻里纠纷", at(DAY))] * 4
    specs += [("12345", EAST, "拆迁补偿", at(DAY - timedelta(days=1)), "GD-LEAD")]
    specs += [("12345", EAST, "拆迁补偿", at(DAY), "GD-LEAD")] * 4  # 群诉: 4 new members today, 1 yesterday
    return specs


@pytest.fixture(scope="module")
def scanned(template_db, tmp_path_factory):
    with module_db(template_db, tmp_path_factory) as url:
        engine = make_engine(url)
        warnings = Warnings(load_city("demo"), lambda d: d.weekday() < 5)
        with Session(engine) as session:
            add_orders(session, history())
            found = warnings.scan(session, day=DAY, now=at(DAY, 18))
            session.commit()
            yield warnings, session, found
        engine.dispose()


def test_each_kind_names_place_category_counts_expected_and_orders(scanned):
    _, _, found = scanned
    by = {(w.kind, w.category): w for w in found}
    high = by[("high", "占道经营")]
    assert high.place == "148802001" and high.place_name == "东门街道" and high.count == 11
    assert 1.5 < high.expected < 2.5 and high.p_value < 0.005 and len(high.orders) == 11
    assert ("high", "噪声扰民") not in by
    new = by[("new", "供暖不热")]
    assert new.count == 4 and new.expected == 0 and len(new.orders) == 4
    joint = next(w for w in found if w.kind == "joint")
    assert joint.place == "148803001" and joint.count == 34  # 3 days: 12345 (4+3)×3, 110 4×3 + 1
    mass = next(w for w in found if w.kind == "mass")
    assert mass.count == 4 and "GD-LEAD" in mass.category


def test_a_second_scan_of_the_day_raises_nothing_twice(scanned):
    warnings, session, _ = scanned
    assert warnings.scan(session, day=DAY, now=at(DAY, 19)) == []


def test_listing_is_scoped_and_acknowledging_is_once_and_by_a_supervisor(scanned):
    _, session, found = scanned
    west = Actor("w", Role.SUPERVISOR, region="148803")
    listed = list_warnings(session, west, start=DAY, end=DAY)
    assert listed and all(w.place.startswith("148803") for w in listed)
    with pytest.raises(Forbidden):
        list_warnings(session, Actor("h", Role.HANDLER, unit="URBAN"), start=DAY, end=DAY)
    with pytest.raises(InvalidInput, match="预警类型"):
        list_warnings(session, ADMIN, start=DAY, end=DAY, kind="storm")
    high = next(w for w in found if w.kind == "high")
    with pytest.raises(Forbidden):
        acknowledge(session, high.id, Actor("o", Role.OPERATOR), "", at(DAY, 19))
    row = acknowledge(session, high.id, Actor("s", Role.SUPERVISOR), "已通知城管执法中队", at(DAY, 19))
    assert (row.acknowledged_by, row.acknowledged_note) == ("s", "已通知城管执法中队")
    with pytest.raises(Conflict, match="已由s于2019-11-20 19:00确认"):
        acknowledge(session, high.id, ADMIN, "", at(DAY, 20))
