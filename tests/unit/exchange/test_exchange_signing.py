from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from liandong.core.clock import CST
from liandong.exchange.errors import AuthRejected
from liandong.exchange.signing import Key, KeyRing, sign_headers, signature, verify

NOW = datetime(2026, 9, 30, 16, 0, tzinfo=CST)
KEY = Key("jc-2026-01", b"0123456789abcdef0123456789abcdef")
RING = KeyRing({"110": [KEY, Key("jc-2025-02", b"old-secret-old-secret-0000")]})
BODY = b'{"kind":"accept"}'


def refused(headers, body=BODY, now=NOW, **kw):
    with pytest.raises(AuthRejected) as err:
        verify(headers, body, RING, now=now, **kw)
    assert err.value.status == 401 and err.value.message
    return err.value.code


def test_worked_example_from_the_protocol_document():
    # docs/exchange.md, "Signing": these three values are quoted there.
    assert signature(b"0123456789abcdef0123456789abcdef", "1790755200", BODY) == (
        "0498af8cc89ab33be5f87c289f80e43f49e5a53a1ca6f9fc4ae2dcda2d2f761a")


def test_signed_request_verifies_with_lowercase_headers():
    headers = sign_headers(sender="110", key=KEY, body=BODY, now=NOW)
    assert verify({k.lower(): v for k, v in headers.items()}, BODY, RING, now=NOW) == "110"


def test_an_old_key_still_verifies_during_rotation():
    old = RING.lookup("110", "jc-2025-02")
    assert verify(sign_headers(sender="110", key=old, body=BODY, now=NOW), BODY, RING, now=NOW) == "110"


def test_each_failure_has_its_own_code():
    good = sign_headers(sender="110", key=KEY, body=BODY, now=NOW)
    assert refused({}) == "unsigned"
    assert refused({**good, "X-Liandong-Peer": "999"}) == "unknown_peer"
    assert refused({**good, "X-Liandong-Key-Id": "nope"}) == "unknown_key"
    assert refused({**good, "X-Liandong-Timestamp": "yesterday"}) == "bad_timestamp"
    assert refused(good, now=NOW + timedelta(seconds=301)) == "stale_timestamp"
    assert refused(good, now=NOW - timedelta(seconds=301)) == "stale_timestamp"
    assert refused(good, body=BODY + b" ") == "body_tampered"
    forged = sign_headers(sender="110", key=Key("jc-2026-01", b"not-the-real-secret-000000000000"), body=BODY, now=NOW)
    assert refused(forged) == "bad_signature"


def test_skew_window_is_configurable():
    good = sign_headers(sender="110", key=KEY, body=BODY, now=NOW)
    assert verify(good, BODY, RING, now=NOW + timedelta(seconds=299)) == "110"
    assert refused(good, now=NOW + timedelta(seconds=61), skew_seconds=60) == "stale_timestamp"
