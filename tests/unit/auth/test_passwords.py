"""Password hashes (argon2id) and the strength rule — pure, no database."""

import pytest

from liandong.auth import passwords
from liandong.core.errors import InvalidInput


def test_hash_is_argon2id_salted_and_verifies():
    a, b = passwords.hash_password("Hotline-12345"), passwords.hash_password("Hotline-12345")
    assert a.startswith("$argon2id$") and a != b  # a fresh salt each time
    assert passwords.verify_password(a, "Hotline-12345")
    assert not passwords.verify_password(a, "hotline-12345")
    assert not passwords.verify_password("not a hash", "Hotline-12345")


@pytest.mark.parametrize("password,message", [
    ("ab1", "至少 8 个字符"),
    ("x" * 129 + "1", "不超过 128 个字符"),
    ("abcdefghij", "两类"),
    ("1234567890", "两类"),
    ("a1a1a1a1a1", "至少含 4 个不同的字符"),
    (" Hotline-1 ", "首尾不能是空格"),
    ("zhangmin-2026", "不能包含用户名"),
])
def test_weak_passwords_are_refused_with_the_reason(password, message):
    with pytest.raises(InvalidInput) as err:
        passwords.check_strength(password, username="ZhangMin")
    assert message in err.value.message


@pytest.mark.parametrize("password", ["Hotline-12345", "热线联动2026年", "correct horse 9"])
def test_reasonable_passwords_pass(password):
    passwords.check_strength(password, username="张敏")
