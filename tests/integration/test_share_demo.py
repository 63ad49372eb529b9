"""`make demo` registers a consumer of each kind and writes their keys to var/demo-consumers.json."""

import json

from liandong.demo.consumers import create_demo_consumers
from liandong.share.consumers import authenticate
from liandong.share.scopes import Kind
from tests.builders import make_world
from tests.fakes import ScriptedRouter


def test_demo_consumers_of_each_kind_with_working_keys(db_url, clock, tmp_path):
    world = make_world(db_url, clock, router=ScriptedRouter())
    try:
        create_demo_consumers(world.ctx, tmp_path / "var" / "demo-consumers.json")
        rows = json.loads((tmp_path / "var" / "demo-consumers.json").read_text(encoding="utf-8"))
        assert {r["kind"] for r in rows} == {k.value for k in Kind}
        assert all(set(r) >= {"name", "kind", "datasets", "region", "api_key"} for r in rows)
        with world.ctx.read() as s:
            assert [authenticate(s, r["api_key"]).name for r in rows] == [r["name"] for r in rows]
        dept = next(r for r in rows if r["kind"] == "department")
        r = world.client.get("/api/v1/share/datasets/orders", headers={"X-Api-Key": dept["api_key"]})
        assert r.status_code == 200 and r.json()["rows"] == []
    finally:
        world.ctx.close()
