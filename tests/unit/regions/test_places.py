"""属地: the demo gazetteer resolves what callers say to the street or community that owns the place."""

from __future__ import annotations

import pytest

from liandong.core.errors import ConfigError
from liandong.regions.places import load_gazetteer
from liandong.regions.registry import CITIES_DIR, load_city

CITY = load_city("demo")
GAZ = load_gazetteer(CITIES_DIR / "demo" / "places.yaml", CITY)


@pytest.mark.parametrize("text, region", [
    ("幸福里小区门口的垃圾好几天没人清了", "148802001001"),  # a compound → its community
    ("幸福里楼下有人烧烤", "148802001001"),  # an alias
    ("东门菜市场旁边占道经营", "148802001002"),  # a market by what people call it
    ("新华路上井盖丢了", "148802004"),  # a road → its street
    ("市人民医院门口堵车严重", "148802004002"),  # a city landmark
    ("石桥水库边有人电鱼", "148821002"),  # a rural spot
    ("柳岸第二社区的路灯不亮", "148803002002"),  # the registry's own names count too
])
def test_a_place_named_exactly_resolves_to_its_region(text, region):
    r = GAZ.resolve(text)
    assert r.region == region, r.reason
    assert r.candidates[0].matched and r.candidates[0].confidence >= 0.85


@pytest.mark.parametrize("text", ["人民路和东门大街路口下水道冒水", "东门大街人民路口积水", "东门大街与人民路交叉口红绿灯坏了"])
def test_a_crossroad_is_found_from_its_two_roads_in_any_order(text):
    r = GAZ.resolve(text)
    assert (r.region, r.candidates[0].place.name) == ("148802001", "东门大街与人民路交叉口")


@pytest.mark.parametrize("text, name", [("幸福理小区楼下有人烧烤", "幸福里小区"), ("锦秀家园停水了", "锦绣家园")])
def test_one_wrong_character_is_forgiven(text, name):
    r = GAZ.resolve(text)
    assert r.candidates[0].place.name == name and r.region == r.candidates[0].place.region


def test_a_near_miss_must_say_what_kind_of_place_it_is():
    assert GAZ.resolve("东门小区门口有人摆摊").region is None  # not 东门小学


def test_two_streets_named_at_once_are_left_to_the_operator():
    r = GAZ.resolve("从新华路一直到滨江大道都在施工，噪音很大")
    assert r.region is None and {c.place.street for c in r.candidates[:2]} == {"148802004", "148802003"}
    assert "候选" in r.reason


def test_the_address_field_outweighs_the_text():
    r = GAZ.resolve("人民路那边也有这个问题", "东城区新华街道新华小区3栋")
    assert r.region == "148802004001"


def test_no_place_no_answer():
    r = GAZ.resolve("我想问一下社保卡补办需要什么材料")
    assert (r.region, r.candidates) == (None, ()) and r.reason == "未识别出地点"


def test_a_place_in_an_unknown_region_is_refused_with_file_and_line(tmp_path):
    bad = tmp_path / "places.yaml"
    bad.write_text("places:\n  - {name: 幸福里小区, kind: compound, region: \"148802001001\"}\n"
                   "  - {name: 不存在的小区, kind: compound, region: \"148899001001\"}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_gazetteer(bad, CITY)
    assert err.value.line == 3 and "148899001001" in str(err.value)
    bad.write_text("places:\n  - {name: 幸福里小区, kind: compound, region: \"148802001001\", aliases: [幸福]}\n",
                   encoding="utf-8")
    with pytest.raises(ConfigError, match="别名太短"):
        load_gazetteer(bad, CITY)


def test_a_name_written_as_it_sounds_is_found():
    r = GAZ.resolve("幸福丽小区门口的路灯坏了")  # 丽 for 里: a transcriber's homophone
    assert r.region == "148802001001", r.reason
    assert r.candidates[0].matched == ("幸福丽小区",)


def test_a_name_without_its_kind_is_found_when_no_other_place_shares_it():
    r = GAZ.resolve("锦绣那边垃圾好几天没人收")
    assert r.region == "148802001003", r.reason
