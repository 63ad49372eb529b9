"""Open311 mapping without a server: status, address and text masking, the published categories."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liandong.open311 import documents as doc
from liandong.open311.mapping import SOURCES, RequestView, open311_status, published, request_row, status_notes
from liandong.orders.states import Status
from liandong.routing.lists import load_city_routing


@pytest.mark.parametrize("status, expect", [(s, "closed" if s in {
    Status.CLOSED, Status.VISITED, Status.EVALUATED, Status.CANCELLED, Status.MERGED} else "open") for s in Status])
def test_every_state_of_the_lifecycle_maps_to_open_or_closed(status, expect):
    assert open311_status(status.value) == expect
    assert status_notes(status.value, None)


def test_a_row_hides_fields_outside_the_consumers_scope_and_masks_personal_data():
    from datetime import datetime

    v = RequestView(number="GD-1", status="closed", merged_into=None, category_code="JC-B34", category_name="路灯故障",
                    text="路灯坏了，电话13812345678", agency="明川市城市管理局", received_at=datetime(2026, 11, 23, 10),
                    updated_at=datetime(2026, 11, 23, 11), close_due=None, address="东城区解放路12号3单元",
                    region_name=None)
    full = request_row(v)
    assert full["status"] == "closed" and "13812345678" not in full["description"] and "12号" not in full["address"]
    narrow = request_row(v, frozenset({"number", "status"}))
    assert narrow["service_request_id"] == "GD-1" and narrow["status"] == "closed"
    assert all(narrow[k] is None for k, src in SOURCES.items() if src not in {"number", "status"})


def test_only_categories_12345_handles_alone_are_published():
    items = published(load_city_routing("demo").items)
    assert items and all(it.services == ("12345",) for it in items)


def test_xml_of_an_empty_list_and_of_none_and_booleans():
    assert doc.render(doc.services([]), "xml").endswith(b"<services />")
    out = doc.render(doc.service_requests([{"a": None, "b": True, "c": 3}]), "xml")
    assert out.endswith(b"<service_requests><request><a /><b>true</b><c>3</c></request></service_requests>")
    assert doc.render(doc.errors(400, "坏"), "json") == '[{"code":400,"description":"坏"}]'.encode()


ORDER_FIELDS = sorted(set(SOURCES.values()) | {"kind", "level", "region", "warning", "caller_name", "caller_phone"})


@settings(max_examples=100, deadline=None)
@given(fields=st.one_of(st.none(), st.frozensets(st.sampled_from(ORDER_FIELDS))),
       phone=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       before=st.text(alphabet="路灯坏了东城区解放路号栋单元 ，", max_size=20),
       house=st.integers(min_value=1, max_value=999))
def test_no_field_outside_the_scope_and_no_phone_or_house_number_in_any_row(fields, phone, before, house):
    from datetime import datetime

    v = RequestView(number="GD-1", status="handling", merged_into=None, category_code="JC-B34",
                    category_name="路灯故障", text=f"{before}我的电话{phone}", agency="明川市城市管理局",
                    received_at=datetime(2026, 11, 23, 10), updated_at=datetime(2026, 11, 23, 11), close_due=None,
                    address=f"东城区解放路{house}号", region_name=None)
    row = request_row(v, fields)
    for name, source in SOURCES.items():
        if fields is not None and source not in fields:
            assert row[name] is None
    text = " ".join(str(x) for x in row.values() if x is not None)
    assert phone not in text and f"{house}号" not in text
