import json
from pathlib import Path

from sqlalchemy import event

from liandong.standard import SCHEMAS, json_schema
from tests.builders import World

DOCS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


def test_schemas_are_served_and_the_docs_copy_is_current(world: World):
    assert set(world.get("operator", "/schemas").json()["schemas"]) == set(SCHEMAS)
    for name in SCHEMAS:
        served = world.get("operator", f"/schemas/{name}").json()
        assert served == json_schema(name)
        assert json.loads((DOCS / f"{name}.json").read_text(encoding="utf-8")) == served, \
            f"docs/schemas/{name}.json is stale: run `liandong schemas --out docs/schemas`"
    unit = world.get("operator", "/schemas/unit").json()
    assert {"credit_code", "region", "kind", "parent"} <= set(unit["properties"])
    r = world.get("operator", "/schemas/nope")
    assert r.status_code == 404 and "appeal" in r.json()["message"]


def test_order_list_costs_a_fixed_number_of_queries(world: World):
    for i in range(30):
        world.post("operator", "/appeals", {"channel": "phone", "text": f"占道经营第{i}次", "region": "148802001"})
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = world.ctx.read_engine
    world.get("dispatcher", "/me")  # the token is now cached: what remains is the list's own cost
    event.listen(engine, "before_cursor_execute", count)
    try:
        small = world.get("dispatcher", "/orders", params={"page_size": 2})
        n_small = len(statements)
        statements.clear()
        big = world.get("dispatcher", "/orders", params={"page_size": 30})
        n_big = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(small.json()["items"]) == 2 and len(big.json()["items"]) == 30
    assert n_small == n_big == 2  # count + page: no N+1
