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


@pytest.mark.parametrize("text, name", [
    ("江伴名城小区里面有人养鸡", "江畔名城"),  # the second character wrong
    ("文冒小区的路灯不亮", "文昌小区"),
    ("幸福里的小区门口堆满了垃圾", "幸福里小区"),  # one character too many
    ("书香门弟的电梯停了", "书香门第"),  # the last character wrong
])
def test_one_character_wrong_anywhere_in_a_long_name_is_forgiven(text, name):
    r = GAZ.resolve(text)
    assert r.candidates[0].place.name == name and r.region == r.candidates[0].place.region, r.reason


def test_a_near_miss_is_one_edit_not_a_few_words_apart():
    r = GAZ.resolve("望山那个公园里有人遛狗不牵绳")  # not 金山公园 from 「山那个公园」
    assert r.region == "148881001003" and r.candidates[0].place.name == "望山公园", r.reason


@pytest.mark.parametrize("text, name", [("人名路上的红绿灯坏了", "人民路"), ("陈关大街的路灯晚上不亮", "城关大街"),
                                        ("四桥街有人打架", "石桥街"), ("京山路有个大坑", "金山路")])
def test_a_name_that_nearly_sounds_right_is_found(text, name):  # -n/-ng, s/sh mixed, the last character right
    r = GAZ.resolve(text)
    assert r.candidates[0].place.name == name and r.region == r.candidates[0].place.region, r.reason


@pytest.mark.parametrize("text, region", [
    ("朝阳路上有个井盖没盖好", "148802001"),  # 朝阳街 said as a 路
    ("工业路上晚上有人飙车", "148803003"),  # 工业大道
    ("北关庄有人在河边挖沙", "148821001"),  # 北关村 said as a 庄
    ("213省道边上有人烧秸秆", "148821002"),  # 省道213线, said the other way round
    ("城关卫生服务中心打针的护士态度差", "148821001001"),  # 城关社区卫生服务中心, 社区 left out
    ("清河人民医院门口乱停车", "148821001002"),  # 清河县人民医院, not 明川市人民医院
])
def test_forms_callers_derive_from_a_name_are_found(text, region):
    r = GAZ.resolve(text)
    assert r.region == region, r.reason


@pytest.mark.parametrize("text, region", [
    ("望江那边的垃圾站太臭了", "148802003003"),  # 望江小区: no other place has 望江
    ("柳荫这边停水了", "148803002002"),
    ("文昌这边楼上漏水", "148802002"),  # 文昌小区 or 文昌路: the street they share
    ("石桥那边有个工地晚上一直干活", "148821002"),  # 石桥镇 without 镇
])
def test_a_name_without_its_kind_is_found(text, region):
    assert GAZ.resolve(text).region == region


@pytest.mark.parametrize("text", ["我家住湖滨，小区门口有人卖狗", "村口那座石桥塌了一半"])
def test_a_vague_name_gives_candidates_not_an_answer(text):
    r = GAZ.resolve(text)  # 湖滨 may be 湖滨花园 or 湖滨路; a stone bridge is not 石桥镇
    assert r.region is None and r.candidates and r.candidates[0].confidence < 0.8


@pytest.mark.parametrize("text", ["建设路跟学府街那个口子红绿灯不亮", "学府街建设路那个十字路口有人抢包"])
def test_a_crossroad_said_the_way_callers_say_it(text):
    r = GAZ.resolve(text)
    assert r.candidates[0].place.name == "建设路与学府街交叉口" and r.region == "148802004"


def test_a_crossroad_of_bent_road_names():
    assert GAZ.resolve("龙泉街跟文泉路那个口子有人摆摊").candidates[0].place.name == "龙泉街与温泉路交叉口"
    assert GAZ.resolve("石桥街省道213那个路口老是出事故").candidates[0].place.name == "石桥街与省道213线交叉口"


@pytest.mark.parametrize("text, region", [
    ("人民医院对面那个路口天天堵车", "148802004002"),
    ("东门那个菜市场门口全是三轮车", "148802001002"),  # 东门农贸市场
    ("金山那边有个菜市场卖注水肉", "148803003002"),
    ("鼓楼那个新村楼顶漏水", "148802002003"),
    ("东门的那个中学门口有人卖烟", "148802001003"),
])
def test_a_landmark_by_its_qualifier_and_kind(text, region):
    assert GAZ.resolve(text).region == region


def test_a_kind_word_that_fits_several_places_of_a_street_gives_the_street():
    r = GAZ.resolve("滨江那个学校放学的时候门口堵死了")  # 滨江小学 or 滨江中学
    assert r.region == "148802003" and {c.place.name for c in r.candidates[:2]} == {"滨江小学", "滨江中学"}


def test_a_qualifier_and_a_kind_word_must_be_one_phrase():
    assert GAZ.resolve("孩子只能喝白水吗医院说的").region is None  # 白水 … 吗 … 医院
    assert GAZ.resolve("望山龙泉小区的供暖不达标").region == "148881002001"  # 龙泉小区, not 望山 … 小区


@pytest.mark.parametrize("text", [
    "泡温泉的地方收费不明码标价", "金山银山不如绿水青山", "我们这里建设工地噪音大", "北京路上有人摆摊卖水果",
    "解放路和中山路路口红绿灯坏了", "阳光小区停水了", "幸福路那边有人打架", "能不能在新建的小区门口加一条公交线路",
    "菜市场里面有人缺斤短两", "学校门口有人卖三无零食",
])
def test_no_place_of_the_city_gives_no_region(text):
    assert GAZ.resolve(text).region is None
