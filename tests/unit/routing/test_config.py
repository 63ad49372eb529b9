"""List and city YAML is validated on load; errors name the file and the line."""

from pathlib import Path

import pytest

from liandong.core.errors import ConfigError
from liandong.routing.lists import load_city_routing, load_list_file

GOOD_ITEM = '{num: 1, group: 测试类, name: 路灯故障, unit_function: urban_management, services: ["12345"], keywords: [路灯]}'


def write_list(tmp_path: Path, *items: str) -> Path:
    lines = ["city: test", "source: 测试", "lists:", '  - direction: "110→12345"', "    code_prefix: T-", "    items:"]
    lines += [f"      - {it}" for it in items]
    path = tmp_path / "test.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_file_loads(tmp_path):
    items = load_list_file(write_list(tmp_path, GOOD_ITEM))
    assert items[0].code == "T-01" and items[0].line == 7


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{num: 2, group: 测试类, name: 某事, unit_function: police_dept, services: ["12345"]}', "functions.yaml"),
        ('{num: 2, group: 测试类, name: 某事, unit_function: urban_management, services: ["911"]}', "未知的服务"),
        ('{num: 2, group: 测试类, name: 某事, signals: [earthquake_now], services: ["110"]}', "未知的紧急信号"),
        ('{num: 2, group: 测试类, name: 某事, colour: red}', "colour"),
        ('{num: 1, group: 测试类, name: 重复, services: ["12345"]}', "编号重复"),
        ('{num: 2, group: 测试类, services: ["12345"]}', "缺少 name"),
        ('{group: 测试类, name: 某事}', "num"),
    ],
)
def test_bad_item_names_file_and_line(tmp_path, bad, message):
    path = write_list(tmp_path, GOOD_ITEM, bad)
    with pytest.raises(ConfigError, match=message) as err:
        load_list_file(path)
    assert err.value.line == 8
    assert err.value.path == str(path)
    assert f"{path}:8" in err.value.message


def test_yaml_syntax_error_has_a_line(tmp_path):
    path = write_list(tmp_path, GOOD_ITEM, "{num: 2, name: [unclosed")
    with pytest.raises(ConfigError, match="YAML") as err:
        load_list_file(path)
    assert err.value.line is not None


def test_city_routing_missing_list_file(tmp_path):
    city = tmp_path / "somecity"
    city.mkdir()
    (city / "routing.yaml").write_text("city: somecity\nlists:\n  - file: jincheng.yaml\n  - file: nowhere.yaml\n", encoding="utf-8")
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "jincheng.yaml").write_text((Path(__file__).resolve().parents[3] / "src/liandong/cities/lists/jincheng.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigError, match="nowhere.yaml") as err:
        load_city_routing("somecity", cities_dir=tmp_path)
    assert err.value.line == 4


def test_unknown_city():
    with pytest.raises(ConfigError, match="routing.yaml"):
        load_city_routing("atlantis")


def test_demo_city_config_loads():
    city = load_city_routing("demo")
    codes = [it.code for it in city.items]
    assert len(codes) == len(set(codes))
    assert "XZ-E01" in codes and "XZ-S01" not in codes  # only the four joint emergencies from Tibet
