"""Open311 mapping without a server: status, address and text masking, the published categories."""

from __future__ import annotations

import pytest

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
