"""Property (hypothesis), as tests/integration/test_share_properties.py states it for the other interfaces:
over random open311 consumers (datasets, region, fields, unit), Open311 serves no field outside the
consumer's scope, no row outside its region or unit, and never a caller's name, phone or house address."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from liandong.core.clock import CST, FrozenClock
from liandong.open311.mapping import SOURCES
from liandong.orders.tables import OrderRow
from liandong.share.scopes import DATASETS, FIELDS
from tests.builders import make_world
from tests.open311_kit import ListRouter, module_db
from tests.share_kit import add_consumer

RAW = ["李秀英", "13812345678", "幸福里小区5栋", "王建国", "13900001111", "和平路88号"]
REGIONS = ["148800", "148802", "148802001", "148803"]
names = itertools.count()
BASE = "/open311/v2"


@pytest.fixture(scope="module")
def world(template_db, tmp_path_factory):
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=CST))
    for url in module_db(template_db, tmp_path_factory):
        w = make_world(url, clock, router=ListRouter())
        for text, region, address, name, phone in [
            ("路灯坏了，我电话13812345678", "148802001002", "东城区东门街道幸福里小区5栋", "李秀英", "13812345678"),
            ("井盖丢了，电话13900001111", "148802001", "东城区和平路88号", "王建国", "13900001111"),
            ("路灯不亮", "148803001", "西城区某街道幸福里小区5栋", "李秀英", "13812345678")]:
            r = w.post("operator", "/appeals", {"channel": "phone", "text": text, "region": region, "address": address,
                                                "caller": {"name": name, "phone": phone}})
            assert r.status_code == 201, r.text
        yield w
        w.ctx.close()


consumers = st.fixed_dictionaries({
    "datasets": st.lists(st.sampled_from(list(DATASETS)), min_size=1, unique=True),
    "region": st.sampled_from(REGIONS),
    "fields": st.one_of(st.none(), st.lists(st.sampled_from(list(FIELDS["orders"])), min_size=1, unique=True)),
    "unit": st.sampled_from([None, "URBAN", "WSUPPLY"]),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=consumers, path=st.sampled_from(["requests.json", "requests.xml"]))
def test_open311_serves_nothing_outside_the_scope(world, spec, path):
    key = add_consumer(world, f"o{next(names)}", kind="open311", datasets=",".join(spec["datasets"]),
                       region=spec["region"], fields=",".join(spec["fields"]) if spec["fields"] else None,
                       unit=spec["unit"])
    r = world.client.get(f"{BASE}/{path}", params={"api_key": key})
    for raw in RAW:
        assert raw not in r.text
    if "orders" not in spec["datasets"]:
        assert r.status_code == 403
        return
    assert r.status_code == 200
    if path.endswith(".xml"):
        return
    allowed = set(FIELDS["orders"]) if spec["fields"] is None else set(spec["fields"])
    rows = r.json()
    for row in rows:
        served = {SOURCES[k] for k, v in row.items() if k in SOURCES and v is not None}
        assert served <= allowed, served - allowed
    numbers = [row["service_request_id"] for row in rows]
    if "number" in allowed:
        with world.ctx.read() as s:
            found = {o.number: o for o in s.scalars(select(OrderRow).where(OrderRow.number.in_(numbers)))}
        for n in numbers:
            prefix = spec["region"][:4] if spec["region"] == "148800" else spec["region"]
            assert found[n].region.startswith(prefix)
            if spec["unit"]:
                assert found[n].unit == spec["unit"]
