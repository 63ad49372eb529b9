import pytest

from liandong.core.errors import ConfigError, InvalidInput
from liandong.regions.codes import RegionLevel, ancestors, check_region_code, region_prefix, within
from liandong.regions.credit_code import make_credit_code, validate_credit_code
from liandong.regions.registry import load_city, load_city_file


@pytest.mark.parametrize("code,level", [
    ("110000", RegionLevel.PROVINCE), ("148800", RegionLevel.CITY), ("148802", RegionLevel.COUNTY),
    ("148802001", RegionLevel.STREET), ("148802001002", RegionLevel.COMMUNITY),
])
def test_levels(code, level):
    assert check_region_code(code) is level


@pytest.mark.parametrize("bad", ["12345", "1488021", "abcdef", "998800", "148802000", "148802001000", ""])
def test_malformed_codes_are_refused_with_a_message(bad):
    with pytest.raises(InvalidInput, match="行政区划代码"):
        check_region_code(bad)


def test_ancestry_and_prefix():
    assert ancestors("148802001002") == ["148802001002", "148802001", "148802", "148800", "140000"]
    assert within("148802001002", "148800") and not within("148803001", "148802")
    assert region_prefix("148800") == "1488" and region_prefix("140000") == "14"


def test_known_real_credit_code_and_check_character():
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    with pytest.raises(InvalidInput, match="校验位"):
        validate_credit_code("91350100M000100Y44")
    with pytest.raises(InvalidInput, match="18位"):
        validate_credit_code("9135")
    with pytest.raises(InvalidInput, match="不允许的字符"):
        validate_credit_code("91350100M000100YI3")
    made = make_credit_code("1", "1", "148800", "10000001")
    assert validate_credit_code(made) == made


def test_demo_city_loads_with_units_for_every_kind():
    city = load_city("demo")
    assert 35 <= len(city.units) <= 60
    assert city.unit_for("street_office", "148802001003").code == "ST-148802001"
    assert city.unit_for("public_security", "148803002").code == "PS-148803"
    assert city.unit_for("water_supply", None).code == "WSUPPLY"
    with pytest.raises(InvalidInput, match="不在明川市"):
        city.region("148899")


def test_bad_city_file_names_file_and_line(tmp_path):
    bad = tmp_path / "city.yaml"
    bad.write_text(
        'name: 测试市\ncode: "148800"\nregions:\n  - {code: "148800", name: 测试市}\nunits:\n'
        '  - {code: A1, name: 单位, credit_code: "91350100M000100Y44", kind: department, region: "148800", platform: "12345"}\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_city_file(bad)
    assert f"{bad}:6" in err.value.message and "校验位" in err.value.message
