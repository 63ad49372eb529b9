"""Scopes and masking of the open-data interfaces (授权范围、个人信息脱敏): pure rules."""

import pytest

from liandong.core.errors import Forbidden, InvalidInput
from liandong.share.scopes import FIELDS, Consumer, Kind, authorise, mask_address, mask_text, project

ROW = {"number": "GD1", "status": "closed", "caller_name": "张三丰", "caller_phone": "13812341234",
       "address": "明川市东城区幸福街道幸福路3号2栋", "region": "148802001", "unit": "URBAN"}


def consumer(**kw):
    base = dict(id=1, name="dept", kind=Kind.DEPARTMENT, datasets=frozenset({"orders"}), region="148802")
    return Consumer(**{**base, **kw})


def test_personal_fields_are_masked_by_default():
    out = project(authorise(consumer(), "orders"), ROW)
    assert out["caller_name"] == "张**"
    assert out["caller_phone"] == "138****1234"
    assert out["address"] == "明川市东城区幸福街道（详址已脱敏）"
    assert out["number"] == "GD1"


def test_unmasked_needs_the_grant_and_a_purpose():
    with pytest.raises(Forbidden, match="未获授权"):
        authorise(consumer(), "orders", unmasked=["caller_phone"], purpose="回访")
    granted = consumer(unmasked=frozenset({"caller_phone"}))
    with pytest.raises(InvalidInput, match="用途"):
        authorise(granted, "orders", unmasked=["caller_phone"])
    read = authorise(granted, "orders", unmasked=["caller_phone"], purpose="回访核实")
    out = project(read, ROW)
    assert out["caller_phone"] == "13812341234" and out["caller_name"] == "张**"
    assert not read.masked and read.purpose == "回访核实"


def test_fields_outside_scope_are_refused_and_never_served():
    narrow = consumer(fields=frozenset({"number", "status"}))
    assert set(project(authorise(narrow, "orders"), ROW)) == {"number", "status"}
    with pytest.raises(Forbidden, match="字段超出授权范围：caller_phone"):
        authorise(narrow, "orders", fields=["number", "caller_phone"])
    with pytest.raises(InvalidInput, match="没有字段"):
        authorise(narrow, "orders", fields=["nope"])


def test_unknown_and_unscoped_datasets_are_refused():
    with pytest.raises(InvalidInput, match="未知数据集"):
        authorise(consumer(), "secrets")
    with pytest.raises(Forbidden, match="未获授权读取数据集"):
        authorise(consumer(), "appeals")


def test_free_text_loses_its_numbers_and_addresses_their_detail():
    text = "我叫李四电话13900001111身份证110101199001011234家里座机0571-88886666"
    masked = mask_text(text)
    assert "13900001111" not in masked and "139****1111" in masked
    assert "19900101" not in masked and "0571-****6666" in masked
    assert mask_address("幸福路3号") == "幸福路（详址已脱敏）"
    assert mask_address(None) is None


def test_every_dataset_has_fields_but_the_one_not_yet_served():
    assert all(FIELDS[d] for d in FIELDS if d != "knowledge")


def test_cursors_round_trip_whatever_bytes_their_signature_holds():
    from liandong.share.feed import END, Position, decode_cursor, encode_cursor

    for tx in range(300):  # signatures containing b"." among them
        pos = Position(tx, END)
        assert decode_cursor(b"k", 1, "orders", encode_cursor(b"k", 1, "orders", pos)) == pos


def test_a_number_said_in_the_first_words_is_masked_in_the_title_too():
    row = {**ROW, "title": "13812341234 我是张三，小区门口路灯坏了"}
    out = project(authorise(consumer(), "orders"), row)
    assert "13812341234" not in out["title"] and out["title"].startswith("138****1234")
