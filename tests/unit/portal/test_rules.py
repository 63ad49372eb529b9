"""The portal's pure rules: codes, signed phones, limits, the challenge, photos, publication, plain words."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from PIL import Image

from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.orders.states import Status
from liandong.portal import challenge, limits, otp
from liandong.portal.photos import clean_photo
from liandong.portal.plain import PLAIN, plain_status
from liandong.portal.publication import redact
from liandong.portal.rules import Limit, Photos
from tests.portal_kit import jpeg_with_gps

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CST)
SECRET = "s3cret"


def test_phone_numbers_are_normalised_and_others_refused():
    assert otp.normal_phone("+86 138-0013-8000") == "13800138000"
    for bad in ("", "12345", "23800138000", "1380013800a"):
        with pytest.raises(InvalidInput):
            otp.normal_phone(bad)


def test_a_code_is_right_once_within_its_time_and_attempts():
    stored = otp.StoredCode(otp.code_hash(SECRET, "13800138000", "123456"), NOW + timedelta(minutes=5), 0, False)
    check = lambda s, code="123456", now=NOW: otp.check_code(s, secret=SECRET, phone="13800138000", code=code,  # noqa: E731
                                                             now=now, max_attempts=5)
    assert check(stored) is None
    assert check(stored, "654321") == "验证码不正确"
    assert "过期" in check(stored, now=NOW + timedelta(minutes=6))
    assert "次数过多" in check(otp.StoredCode(stored.code_hash, stored.expires_at, 5, False))
    assert "已使用" in check(otp.StoredCode(stored.code_hash, stored.expires_at, 1, True))
    assert check(None) is not None
    assert otp.check_code(stored, secret=SECRET, phone="13900139000", code="123456", now=NOW, max_attempts=5)


def test_a_signed_phone_cannot_be_forged_or_outlive_its_time():
    token = otp.sign_phone(SECRET, "13800138000", NOW, 30)
    assert otp.verified_phone(SECRET, token, NOW + timedelta(minutes=29)) == "13800138000"
    assert otp.verified_phone(SECRET, token, NOW + timedelta(minutes=31)) is None
    assert otp.verified_phone("other", token, NOW) is None
    other = otp.sign_phone(SECRET, "13900139000", NOW, 30)
    assert otp.verified_phone(SECRET, token.split(".")[0] + "." + other.split(".")[1], NOW) is None
    assert otp.verified_phone(SECRET, "garbage", NOW) is None


def test_limits_count_in_fixed_windows_keyed_without_the_value_in_clear():
    rule = Limit(count=3, seconds=3600)
    key = limits.counter_key("report_phone", "13800138000", rule, NOW)
    assert "13800138000" not in key
    assert key != limits.counter_key("report_phone", "13800138000", rule, NOW + timedelta(hours=1))
    assert limits.allowed(2, rule) and not limits.allowed(3, rule)
    assert "1 小时" in limits.refusal("report_phone", rule)


def test_the_challenge_is_answered_only_with_its_sum_and_in_time():
    c = challenge.make(SECRET, NOW, rand=lambda n: 2)  # 3 + 3
    assert "三加三" in c.question
    assert challenge.solved(SECRET, c.token, "6", NOW)
    assert not challenge.solved(SECRET, c.token, "7", NOW)
    assert not challenge.solved(SECRET, c.token, "6", NOW + timedelta(seconds=challenge.TTL_S + 1))
    assert not challenge.solved("other", c.token, "6", NOW)
    assert not challenge.solved(SECRET, "1.2.3", "6", NOW)


def test_a_photo_loses_its_gps_and_camera_metadata_and_is_named_by_its_hash():
    raw = jpeg_with_gps()
    assert dict(Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825))  # the fixture does carry a position
    clean = clean_photo(raw, "IMG_0001.jpg", Photos())
    stored = Image.open(io.BytesIO(clean.data))
    assert stored.format == "JPEG" and not dict(stored.getexif()) and "exif" not in stored.info
    assert clean.sha256 == __import__("hashlib").sha256(clean.data).hexdigest()
    assert (clean.width, clean.height) == (320, 240)


def test_a_file_that_is_not_an_image_or_too_large_is_refused_in_chinese():
    with pytest.raises(InvalidInput, match="不是有效的图片"):
        clean_photo(b"%PDF-1.4 not an image" * 10, "report.pdf", Photos())
    with pytest.raises(InvalidInput, match="过大"):
        clean_photo(b"\xff" * (5 * 1024 * 1024 + 1), "big.jpg", Photos())
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, "GIF")
    with pytest.raises(InvalidInput, match="不是支持的图片格式"):
        clean_photo(gif.getvalue(), "a.gif", Photos())
    with pytest.raises(InvalidInput, match="不是有效的图片"):
        clean_photo(jpeg_with_gps()[:200], "cut.jpg", Photos())


def test_publication_removes_personal_data_and_exact_addresses():
    text = "我叫张三，电话13800138000，身份证110101199003071234，住幸福里小区3号楼2单元502室，人民路12号门口路灯不亮"
    out = redact(text, name="张三", compounds=("幸福里小区", "幸福里"))
    for gone in ("张三", "13800138000", "110101199003071234", "幸福里", "3号楼", "502室", "12号"):
        assert gone not in out
    assert "人民路" in out and "路灯不亮" in out


def test_every_status_reads_as_plain_words():
    assert set(PLAIN) == set(Status)
    assert {plain_status(s) for s in ("received", "handling", "replied", "closed")} == {"已受理", "办理中", "已答复", "已办结"}


def test_a_portrait_phone_photo_keeps_only_its_orientation_and_its_pixels():
    img = Image.new("RGB", (400, 300), "navy")
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneCam"
    exif.get_ifd(0x8825).update({1: "N", 2: (39.0, 54.0, 1.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, comment=b"shot at home")
    clean = clean_photo(out.getvalue(), "portrait.jpg", Photos())
    stored = Image.open(io.BytesIO(clean.data))
    assert dict(stored.getexif()) == {0x0112: 6} and "comment" not in stored.info
    assert b"PhoneCam" not in clean.data and b"shot at home" not in clean.data
    assert stored.size == (400, 300)
    stored.load()


def test_a_photo_larger_than_the_limit_is_scaled_down_and_re_encoded():
    out = io.BytesIO()
    Image.new("RGB", (1600, 400), "teal").save(out, "PNG")
    clean = clean_photo(out.getvalue(), "wide.png", Photos(max_side=800))
    stored = Image.open(io.BytesIO(clean.data))
    assert (stored.format, stored.size) == ("JPEG", (800, 200))


def test_what_a_camera_appends_after_the_picture_is_dropped():
    raw = jpeg_with_gps() + b"SEFT trailer: 39.9042N 116.4074E"
    clean = clean_photo(raw, "samsung.jpg", Photos())
    assert clean.data.endswith(b"\xff\xd9") and b"trailer" not in clean.data
