"""The demo's call records (`make demo`): attached to the 12345 orders, inspected, and good and bad alike."""

import pytest
from sqlalchemy import func, select

from liandong.demo.quality_seed import seed_call_records
from liandong.quality.tables import InspectionRow
from tests.api.test_quality import APPEAL
from tests.builders import make_world
from tests.fakes import ScriptedRouter


@pytest.fixture
def world(db_url, clock):
    w = make_world(db_url, clock, router=ScriptedRouter())
    yield w
    w.ctx.close()


def test_demo_orders_get_call_records_with_a_mix_of_outcomes(world):
    for i in range(12):
        r = world.post("operator", "/appeals", {**APPEAL, "text": f"{APPEAL['text']}（第{i}次）"})
        assert r.status_code == 201
    line = seed_call_records(world.ctx, seed=3, share=1.0)
    assert "为 12 张工单生成来电记录" in line
    with world.ctx.read() as session:
        outcomes = dict(session.execute(select(InspectionRow.outcome, func.count()).group_by(InspectionRow.outcome)).all())
    assert sum(outcomes.values()) == 12 and len(outcomes) >= 2
    assert "为 0 张" in seed_call_records(world.ctx, seed=3, share=1.0)  # run again: nothing twice
