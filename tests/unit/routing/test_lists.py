"""Every reference-list item routes to its item, or at least to its services."""

import pytest

from liandong.routing.lists import LISTS_DIR, load_city_routing, load_list_file

DEMO = load_city_routing("demo")
ROUTABLE = [it for it in DEMO.items if not (it.signals and "+" in it.direction)]


def test_jincheng_lists_are_complete():
    items = load_list_file(LISTS_DIR / "jincheng.yaml")
    a = [i.num for i in items if i.direction == "12345→110"]
    b = [i.num for i in items if i.direction == "110→12345"]
    assert a == list(range(1, 23))
    assert b == [n for n in range(1, 159) if n != 98]  # item 98 is missing from the source text


def test_jincheng_item_98_is_recorded_as_missing():
    text = (LISTS_DIR / "jincheng.yaml").read_text(encoding="utf-8")
    assert "{num: 98, missing: true" in text and "原文缺失" in text


def test_tibet_lists():
    items = load_list_file(LISTS_DIR / "tibet.yaml")
    count = {d: sum(1 for i in items if i.direction == d) for d in {i.direction for i in items}}
    assert count == {"12345": 17, "110": 7, "12345→110+12345": 4, "110→12345": 7}
    joint = [i.name for i in items if i.direction == "12345→110+12345"]
    assert joint == ["个人极端事件", "扬言报复社会事件", "群体性聚集事件", "危及公共、人身或财产安全事件"]


@pytest.mark.parametrize("item", ROUTABLE, ids=lambda it: it.code)
def test_item_routes_to_its_services(router, item):
    """Each hand-written example of an item gets the item's services (emergency items: at least them)."""
    for text in item.examples:
        d = router.route(text)
        if item.signals:
            assert set(item.services) <= set(d.services), (text, d.services, d.reasons)
        else:
            assert d.services == tuple(item.services), (text, d.services, d.category_code, d.reasons)


def test_items_route_to_their_item_mostly(router):
    total = ok = 0
    for item in ROUTABLE:
        for text in item.examples:
            total += 1
            ok += router.route(text).category_code == item.code
    assert ok / total >= 0.9
