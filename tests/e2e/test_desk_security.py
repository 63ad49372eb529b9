"""The real 110 desk's exchange endpoint refuses what it must, and changes nothing when it does:
a wrong key, a replay (inside and outside the time window), a tampered body, and messages about
orders the sender does not own."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import orjson
import pytest
from desk_procs import make_desk, secret
from exchange_procs import free_port

from liandong.exchange.messages import (AcceptPayload, Address, Caller, CategoryRef, OrderRef, RecallPayload,
                                        TransferPayload, encode, new_message)
from liandong.exchange.signing import Key, sign_headers
from liandong.regions.registry import load_city

KEY_12345 = Key("e2e-110-12345", secret("110", "12345").encode())
KEY_119 = Key("e2e-110-119", secret("110", "119").encode())


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("security")
    unreachable = f"http://127.0.0.1:{free_port()}"
    d = make_desk(tmp, "110", port=free_port(), peers={"12345": unreachable, "119": unreachable})
    d.proc.start(timeout=60)
    yield d
    d.proc.stop()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _transfer(origin_id: str):
    return new_message("transfer", sender_platform="12345", sender_unit="话务员 07", receiver_platform="110",
                       order_ref=OrderRef(origin_platform="12345", origin_order_id=origin_id), sent_at=_now(),
                       category=CategoryRef(sender_code="jc-12345to110-007", receiver_code="110-0107", label="违法停车"),
                       payload=TransferPayload(appeal_text="小区东门有车辆长时间占用消防通道", caller=Caller(name_masked="张*"),
                                               address=Address(text="东城区凤台街88号", region_code="148802")))


def _post(desk, body: bytes, headers: dict) -> httpx.Response:
    return httpx.post(f"{desk.url}/api/v1/exchange/messages", content=body, headers=headers, timeout=60)


def _signed(msg, key: Key, sender: str, *, at: datetime | None = None):
    body = encode(msg)
    return body, sign_headers(sender=sender, key=key, body=body, now=at or _now())


def _snapshot(desk) -> list[tuple]:
    rows = []
    for o in sorted(desk.orders(), key=lambda o: o["id"]):
        rows.append((o["id"], o["status"], tuple(o["flags"]), len(desk.get(f"/orders/{o['id']}/events").json())))
    return rows


@pytest.fixture(scope="module")
def received(desk):
    """One genuine transfer, accepted: (its signed request, the answer, the 110 order it opened)."""
    body, headers = _signed(_transfer("GD-148802-20261123-900001"), KEY_12345, "12345")
    r = _post(desk, body, headers)
    assert r.status_code == 200 and r.json()["code"] == "accepted", r.text
    return body, headers, r


def test_a_genuine_transfer_opens_and_dispatches_an_order(desk, received):
    _, _, answer = received
    order = desk.get(f"/orders/{answer.json()['receiver_order_id']}").json()
    assert order["status"] == "dispatched" and load_city("demo").unit(order["unit"]).platform == "110"  # to police
    assert order["channel"] == "12345-transfer" and order["caller"]["name"] == "张*"
    assert order["peer_platform"] == "12345" and order["peer_order_id"] == "GD-148802-20261123-900001"
    assert answer.headers["x-liandong-signature"]  # the acknowledgement is signed for the sender


def test_wrong_key_is_refused_and_changes_nothing(desk, received):
    before = _snapshot(desk)
    body, headers = _signed(_transfer("GD-148802-20261123-900002"), Key(KEY_12345.key_id, b"not-the-shared-secret-000"), "12345")
    r = _post(desk, body, headers)
    assert (r.status_code, r.json()["code"]) == (401, "bad_signature")
    assert _snapshot(desk) == before


def test_replay_gets_the_stored_answer_and_no_effect(desk, received):
    body, headers, first = received
    before = _snapshot(desk)
    again = _post(desk, body, headers)
    assert again.status_code == 200 and again.headers["x-liandong-duplicate"] == "1"
    assert orjson.loads(again.content) == orjson.loads(first.content)
    stale = dict(headers)
    stale.update(sign_headers(sender="12345", key=KEY_12345, body=body, now=_now() - timedelta(minutes=10)))
    r = _post(desk, body, stale)
    assert (r.status_code, r.json()["code"]) == (401, "stale_timestamp")
    assert _snapshot(desk) == before


def test_tampered_body_is_refused_and_changes_nothing(desk, received):
    before = _snapshot(desk)
    body, headers = _signed(_transfer("GD-148802-20261123-900003"), KEY_12345, "12345")
    tampered = body.replace("消防通道".encode(), "人行道上".encode())
    r = _post(desk, tampered, headers)
    assert (r.status_code, r.json()["code"]) == (401, "body_tampered")
    assert _snapshot(desk) == before


def test_messages_about_orders_the_sender_does_not_own_are_refused(desk, received):
    _, _, answer = received
    ours = answer.json()["receiver_order_id"]
    before = _snapshot(desk)
    # 12345 "accepts" a 110 order that 110 never transferred to it
    accept = new_message("accept", sender_platform="12345", sender_unit="话务员 07", receiver_platform="110",
                         order_ref=OrderRef(origin_platform="110", origin_order_id=ours, peer_order_id="GD-x"),
                         sent_at=_now(), payload=AcceptPayload(accepted_by="话务员 07"))
    r = _post(desk, *_signed(accept, KEY_12345, "12345"))
    assert (r.status_code, r.json()["code"]) == (403, "not_owner")
    # 119 (a configured peer, with its own key) recalls the order 12345 transferred
    recall = new_message("recall", sender_platform="119", sender_unit="119指挥中心", receiver_platform="110",
                         order_ref=OrderRef(origin_platform="12345", origin_order_id="GD-148802-20261123-900001"),
                         sent_at=_now(), payload=RecallPayload(reason="撤回", recalled_by="119"))
    r = _post(desk, *_signed(recall, KEY_119, "119"))
    assert (r.status_code, r.json()["code"]) == (403, "not_owner")
    # 119 signs, but claims to be 12345 in the envelope
    forged = recall.model_copy(update={"sender_platform": "12345"})
    r = _post(desk, *_signed(forged, KEY_119, "119"))
    assert (r.status_code, r.json()["code"]) == (403, "peer_mismatch")
    assert _snapshot(desk) == before
