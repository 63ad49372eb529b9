"""Property (hypothesis): over random consumers, scopes and requests, no interface serves a field outside
the consumer's scope, a row outside its region or unit, or personal data unmasked without the grant and
a purpose; a refusal happens only when the request asks for more than the scope allows."""

from __future__ import annotations

import itertools
import json
import shutil
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from liandong.core.clock import CST, FrozenClock
from liandong.share.consumers import authenticate
from liandong.share.scopes import DATASETS, FIELDS, PERSONAL
from tests.builders import make_world
from tests.conftest import PG_URL, USE_PG
from tests.fakes import ScriptedRouter
from tests.share_interfaces import INTERFACES, Ask
from tests.share_kit import add_consumer, open_appeal

RAW = ["李秀英", "13812345678", "幸福里小区5栋", "王建国", "13900001111", "和平路88号"]
REGIONS = ["148800", "148802", "148802001", "148803"]
SERVED = [d for d in DATASETS if d != "knowledge"]
names = itertools.count()


@pytest.fixture(scope="module")
def world(template_db, tmp_path_factory):
    from datetime import datetime

    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=CST))
    if USE_PG:
        name = f"ld_prop_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"'))
        url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    else:
        path = tmp_path_factory.mktemp("prop") / "liandong.db"
        shutil.copy(template_db, path)
        url = f"sqlite:///{path}"
    w = make_world(url, clock, router=ScriptedRouter())
    open_appeal(w)
    open_appeal(w, text="我家停水了，电话13900001111", region="148802001", address="东城区和平路88号",
                caller={"name": "王建国", "phone": "13900001111"})
    open_appeal(w, region="148803001", address="西城区某街道幸福里小区5栋")
    yield w
    w.ctx.close()
    if USE_PG:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def subset(items):
    return st.lists(st.sampled_from(items), unique=True).map(tuple)


consumers = st.fixed_dictionaries({
    "kind": st.sampled_from(["department", "ops_centre", "open311", "police_system"]),
    "datasets": st.lists(st.sampled_from(list(DATASETS)), min_size=1, unique=True),
    "region": st.sampled_from(REGIONS),
    "fields": st.one_of(st.none(), st.lists(st.sampled_from(sorted({f for fs in FIELDS.values() for f in fs})),
                                            min_size=1, unique=True)),
    "unmasked": subset(PERSONAL),
    "unit": st.sampled_from([None, "URBAN", "WSUPPLY"]),
})
asks = st.builds(Ask, dataset=st.sampled_from(SERVED), fields=st.one_of(st.none(), st.lists(
    st.sampled_from(sorted({f for fs in FIELDS.values() for f in fs})), min_size=1, max_size=5, unique=True).map(tuple)),
    unmasked=subset(PERSONAL), purpose=st.sampled_from([None, "核实办理情况"]))


def entitled(spec: dict, ask: Ask) -> bool:
    """Whether the request stays inside the scope (so it must be served, not refused)."""
    allowed = [f for f in FIELDS[ask.dataset] if spec["fields"] is None or f in spec["fields"]]
    return (ask.dataset in spec["datasets"] and (not ask.fields or set(ask.fields) <= set(allowed))
            and set(ask.unmasked) <= set(spec["unmasked"]) and (not ask.unmasked or ask.purpose is not None))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=consumers, ask=asks)
def test_no_interface_serves_more_than_the_scope(world, spec, ask):
    name = f"c{next(names)}"
    key = add_consumer(world, name, kind=spec["kind"], datasets=",".join(spec["datasets"]), region=spec["region"],
                       fields=",".join(spec["fields"]) if spec["fields"] else None,
                       unmasked=",".join(spec["unmasked"]) or None, purpose="测试授权" if spec["unmasked"] else None,
                       unit=spec["unit"])
    with world.ctx.read() as s:
        consumer = authenticate(s, key)
    allowed = set(consumer.allowed_fields(ask.dataset))
    open_fields = set(ask.unmasked) & set(spec["unmasked"]) if ask.purpose else set()
    for interface in INTERFACES:
        rows = interface(world, key, consumer, ask)
        if rows is None:
            assert not entitled(spec, ask) or interface.__name__ != "query_api", (interface.__name__, spec, ask)
            continue
        assert ask.dataset in spec["datasets"], interface.__name__
        for row in rows:
            assert set(row) <= allowed, (interface.__name__, set(row) - allowed)
            if row.get("region"):
                assert row["region"].startswith(spec["region"][:4] if spec["region"] == "148800" else spec["region"])
            if spec["unit"] and "unit" in row:
                assert row["unit"] == spec["unit"]
            for field in set(row) & set(PERSONAL) - open_fields:
                assert not any(raw in json.dumps(row[field], ensure_ascii=False) for raw in RAW), (field, row[field])
