"""Open311 mapping without a server: status, address and text masking, the published categories."""

from __future__ import annotations

import pytest

from liandong.open311 import documents as doc
from liandong.open311.mapping import mask_text, open311_status, published, status_notes, street_level
from liandong.orders.states import Status
from liandong.routing.lists import load_city_routing


@pytest.mark.parametrize("status, expect", [(s, "closed" if s in {
    Status.CLOSED, Status.VISITED, Status.EVALUATED, Status.CANCELLED, Status.MERGED} else "open") for s in Status])
def test_every_state_of_the_lifecycle_maps_to_open_or_closed(status, expect):
    assert open311_status(status.value) == expect
    assert status_notes(status.value, None)


@pytest.mark.parametrize("address, expect", [
    ("明川市东城区解放路12号3单元", "明川市东城区解放路"),
    ("东城区幸福小区5栋2单元301室", "东城区幸福小区"),
    ("西湖区湖滨路与中山路交叉口", "西湖区湖滨路与中山路交叉口"),
    ("88号", None), (None, None), ("", None),
])
def test_addresses_are_cut_to_street_level(address, expect):
    assert street_level(address) == expect


def test_numbers_in_the_text_are_masked_but_short_ones_kept():
    assert mask_text("我电话13812345678，身份证110101199001011234，门牌5号") == \
        "我电话138****5678，身份证110***********1234，门牌5号"


def test_only_categories_12345_handles_alone_are_published():
    items = published(load_city_routing("demo").items)
    assert items and all(it.services == ("12345",) for it in items)


def test_xml_of_an_empty_list_and_of_none_and_booleans():
    assert doc.render(doc.services([]), "xml").endswith(b"<services />")
    out = doc.render(doc.service_requests([{"a": None, "b": True, "c": 3}]), "xml")
    assert out.endswith(b"<service_requests><request><a /><b>true</b><c>3</c></request></service_requests>")
    assert doc.render(doc.errors(400, "坏"), "json") == '[{"code":400,"description":"坏"}]'.encode()
