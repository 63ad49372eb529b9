"""The audit trail cannot be changed: the database itself refuses UPDATE and DELETE."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.builders import make_world
from tests.fakes import ScriptedRouter


def test_events_cannot_be_updated_or_deleted(db_url, clock):
    world = make_world(db_url, clock, router=ScriptedRouter())
    world.post("operator", "/appeals", {"channel": "phone", "text": "占道经营", "region": "148802001"})
    for statement in ("UPDATE order_events SET note = 'forged'", "DELETE FROM order_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            with world.ctx.write() as s:
                s.execute(text(statement))
    with world.ctx.read() as s:
        assert s.scalar(text("SELECT count(*) FROM order_events")) == 2
        assert s.scalar(text("SELECT count(*) FROM order_events WHERE note = 'forged'")) == 0
    world.ctx.close()
