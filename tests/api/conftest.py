import pytest

from tests.builders import make_world
from tests.fakes import ScriptedRouter


@pytest.fixture
def world(db_url, clock):
    w = make_world(db_url, clock, router=ScriptedRouter())
    yield w
    w.ctx.close()
