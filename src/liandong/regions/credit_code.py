"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters: registration authority (1), organisation type (1), the 6-digit region code of the
registering authority (GB/T 2260), the 9-character organisation code (GB 11714), and a check
character over the first 17 with weights 3^i mod 31.
"""

from __future__ import annotations

from liandong.core.errors import InvalidInput

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def check_character(first17: str) -> str:
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """Return the normalised code or raise InvalidInput naming what is wrong."""
    if not isinstance(code, str):
        raise InvalidInput("统一社会信用代码必须是字符串")
    code = code.strip().upper()
    if len(code) != 18:
        raise InvalidInput(f"统一社会信用代码「{code}」应为18位，实际{len(code)}位")
    bad = [ch for ch in code if ch not in _VALUE]
    if bad:
        raise InvalidInput(f"统一社会信用代码「{code}」含有不允许的字符「{''.join(bad)}」（不使用 I、O、S、V、Z）")
    if not code[2:8].isdigit():
        raise InvalidInput(f"统一社会信用代码「{code}」第3–8位应为行政区划代码数字")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidInput(f"统一社会信用代码「{code}」校验位错误：应为「{expected}」")
    return code


def make_credit_code(authority: str, org_type: str, region6: str, org_body8: str) -> str:
    """Build a valid code (used by the demo city): the 9th org-code character is GB 11714's check."""
    org_code = org_body8 + _gb11714_check(org_body8)
    first17 = authority + org_type + region6 + org_code
    return first17 + check_character(first17)


def _gb11714_check(body8: str) -> str:
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(_VALUE[ch] * w for ch, w in zip(body8, weights))
    c = 11 - total % 11
    return "0" if c == 11 else ("X" if c == 10 else str(c))
