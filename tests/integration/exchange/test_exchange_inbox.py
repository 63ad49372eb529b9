"""The receiver against a real database: idempotency, ownership, sequencing, stored refusals."""

from __future__ import annotations

import threading
from datetime import timedelta

import orjson
import pytest
from exchange_testkit import KEY, peers_of
from exchange_peer_app import PeerHandlers, PeerOrder, state, submit_transfers
from sqlalchemy import func, select

from liandong.exchange.errors import AuthRejected, ExchangeRejected, SequenceGap
from liandong.exchange.http import handle
from liandong.exchange.messages import (AcceptPayload, Address, Caller, CategoryRef, OrderRef, ResultPayload,
                                        TransferPayload, encode, new_message)
from liandong.exchange.receiver import Receiver, ReceiverSettings, receive
from liandong.exchange.signing import sign_headers
from liandong.exchange.tables import ExchangeLink, InboxMessage
from liandong.storage.db import transaction


@pytest.fixture
def desk(make_db, clock):
    """The 110 desk's database and receiver settings, receiving from 12345 (and 119)."""
    factory = make_db("desk110")
    ring = type(peers_of("110", "12345").keyring())({"12345": [KEY], "119": [KEY]})
    return factory, ReceiverSettings(local_platform="110", keyring=ring, clock=clock)


def transfer(clock, order_id="GD-1", seq=1, sender="12345", message_id=None):
    extra = {"message_id": message_id} if message_id else {}
    return new_message(
        "transfer", sender_platform=sender, sender_unit="话务员", receiver_platform="110", seq=seq,
        order_ref=OrderRef(origin_platform=sender, origin_order_id=order_id), sent_at=clock.now(),
        category=CategoryRef(sender_code="jc-12345to110-011", receiver_code="110-0111"),
        payload=TransferPayload(appeal_text="有人打架", caller=Caller(phone_masked="139****1111"),
                                address=Address(text="南街", region_code="140502")), **extra)


def deliver(factory, settings, msg, clock, *, handlers=None):
    body = encode(msg)
    headers = sign_headers(sender=msg.sender_platform, key=KEY, body=body, now=clock.now())
    with transaction(factory) as s:
        return Receiver(settings).receive(body, headers, s, handlers or PeerHandlers("110", clock, auto_reply=False))


def test_duplicate_returns_the_stored_answer_without_effect(desk, clock):
    factory, settings = desk
    msg = transfer(clock)
    first = deliver(factory, settings, msg, clock)
    second = deliver(factory, settings, msg, clock)
    assert first.ok and not first.duplicate and second.duplicate
    assert second.body == first.body and first.body["receiver_order_id"].startswith("110-")
    with transaction(factory) as s:
        (order,) = state(s).values()
        assert order["effects"] == 1
        assert s.scalar(select(func.count()).select_from(InboxMessage)) == 1


def test_seq_gap_is_refused_retryably_and_not_stored(desk, clock):
    factory, settings = desk
    deliver(factory, settings, transfer(clock), clock)
    recall = new_message("recall", sender_platform="12345", sender_unit="话务员", receiver_platform="110", seq=3,
                         order_ref=OrderRef(origin_platform="12345", origin_order_id="GD-1"), sent_at=clock.now(),
                         payload={"reason": "撤回", "recalled_by": "话务员"})
    with pytest.raises(SequenceGap) as err:
        deliver(factory, settings, recall, clock)
    assert err.value.retryable and err.value.details == {"expected_seq": 2, "got_seq": 3}
    with transaction(factory) as s:
        assert s.get(InboxMessage, recall.message_id) is None
    ok = deliver(factory, settings, recall.model_copy(update={"seq": 2}), clock)
    assert ok.ok


def test_new_message_reusing_a_seq_is_a_conflict(desk, clock):
    factory, settings = desk
    deliver(factory, settings, transfer(clock), clock)
    again = deliver(factory, settings, transfer(clock), clock)  # new message_id, seq 1 again
    assert again.status == 409 and again.body["code"] == "seq_conflict" and not again.body["retryable"]


def test_result_for_an_order_not_transferred_to_the_sender_is_not_owner(desk, clock):
    factory, settings = desk
    # 110's own order JD-9 was transferred to 12345 only; 119 claims to have finished it.
    with transaction(factory) as s:
        submit_transfers(s, local="110", receiver="12345", count=1, clock=clock, prefix="JD")
        order_id = s.scalars(select(PeerOrder.id)).one()
    result = new_message("result", sender_platform="119", sender_unit="消防站", receiver_platform="110",
                         order_ref=OrderRef(origin_platform="110", origin_order_id=order_id), sent_at=clock.now(),
                         payload=ResultPayload(outcome="resolved", handled_by="消防站", note="已处置"))
    ack = deliver(factory, settings, result, clock)
    assert ack.status == 403 and ack.body["code"] == "not_owner" and "无权" in ack.body["message"]
    with transaction(factory) as s:
        assert state(s)[order_id]["effects"] == 0
    from_12345 = result.model_copy(update={"sender_platform": "12345", "message_id": "m" + result.message_id[1:]})
    assert deliver(factory, settings, from_12345, clock).ok


def test_sender_may_not_send_the_other_sides_kinds(desk, clock):
    factory, settings = desk
    accept = new_message("accept", sender_platform="12345", sender_unit="x", receiver_platform="110",
                         order_ref=OrderRef(origin_platform="12345", origin_order_id="GD-7"), sent_at=clock.now(),
                         payload=AcceptPayload(accepted_by="x"))
    assert deliver(factory, settings, accept, clock).body["code"] == "kind_not_allowed"


def test_refusal_by_the_order_core_is_stored_and_consumes_the_seq(desk, clock):
    factory, settings = desk
    with transaction(factory) as s:
        submit_transfers(s, local="110", receiver="12345", count=1, clock=clock, prefix="JD")
        order_id = s.scalars(select(PeerOrder.id)).one()
        s.delete(s.get(PeerOrder, order_id))  # the order core no longer knows it
    ref = OrderRef(origin_platform="110", origin_order_id=order_id, peer_order_id="GD-5")
    accept = new_message("accept", sender_platform="12345", sender_unit="x", receiver_platform="110", order_ref=ref,
                         sent_at=clock.now(), payload=AcceptPayload(accepted_by="x"))
    first = deliver(factory, settings, accept, clock)
    assert first.status == 404 and first.body["code"] == "unknown_order"
    assert deliver(factory, settings, accept, clock).body == first.body
    with transaction(factory) as s:
        link = s.scalars(select(ExchangeLink)).one()
        assert link.last_seq_in == 1 and s.scalar(select(func.count()).select_from(PeerOrder)) == 0


def test_replay_outside_the_window_is_refused(desk, clock):
    factory, settings = desk
    msg = transfer(clock)
    body = encode(msg)
    headers = sign_headers(sender="12345", key=KEY, body=body, now=clock.now())
    clock.advance(timedelta(seconds=301))
    with pytest.raises(AuthRejected) as err, transaction(factory) as s:
        receive(body, headers, s, PeerHandlers("110", clock), settings)
    assert err.value.code == "stale_timestamp"


def test_concurrent_duplicates_apply_once(desk, clock):
    factory, settings = desk
    msg = transfer(clock)
    body = encode(msg)
    headers = sign_headers(sender="12345", key=KEY, body=body, now=clock.now())
    handlers = PeerHandlers("110", clock, auto_reply=False)
    lock = threading.Lock()
    answers = []
    barrier = threading.Barrier(6)

    def hit():
        barrier.wait()
        answers.append(handle(body, headers, lambda: transaction(factory), lambda s: handlers, settings, lock))

    threads = [threading.Thread(target=hit) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert [a.status_code for a in answers] == [200] * 6
    assert len({orjson.loads(a.body)["receiver_order_id"] for a in answers}) == 1
    with transaction(factory) as s:
        (order,) = state(s).values()
        assert order["effects"] == 1


def test_effect_and_inbox_row_commit_or_vanish_together(desk, clock):
    """A crash after `receive` but before the commit leaves neither the effect nor the inbox row."""
    factory, settings = desk
    with transaction(factory) as s:
        (order_id,) = submit_transfers(s, local="110", receiver="12345", count=1, clock=clock, prefix="JD")
    accept = new_message("accept", sender_platform="12345", sender_unit="x", receiver_platform="110",
                         order_ref=OrderRef(origin_platform="110", origin_order_id=order_id, peer_order_id="GD-5"),
                         sent_at=clock.now(), payload=AcceptPayload(accepted_by="x"))
    body = encode(accept)
    headers = sign_headers(sender="12345", key=KEY, body=body, now=clock.now())
    with pytest.raises(RuntimeError), transaction(factory) as s:
        assert receive(body, headers, s, PeerHandlers("110", clock, auto_reply=False), settings).ok
        raise RuntimeError("process died before the commit")
    with transaction(factory) as s:
        assert state(s)[order_id]["effects"] == 0
        assert s.get(InboxMessage, accept.message_id) is None
        assert s.scalars(select(ExchangeLink.last_seq_in)).one() == 0
    assert deliver(factory, settings, accept, clock).ok  # the re-delivery applies it, once
    with transaction(factory) as s:
        assert state(s)[order_id]["effects"] == 1


def test_other_protocol_versions_and_wrong_receivers_are_refused(desk, clock):
    factory, settings = desk
    data = orjson.loads(encode(transfer(clock)))
    for change, code in (({"protocol": "liandong-exchange/2"}, "unsupported_version"),
                         ({"receiver_platform": "119"}, "wrong_receiver"),
                         ({"sender_platform": "119"}, "peer_mismatch")):
        body = orjson.dumps({**data, **change})
        headers = sign_headers(sender="12345", key=KEY, body=body, now=clock.now())
        with pytest.raises(ExchangeRejected) as err, transaction(factory) as s:
            receive(body, headers, s, PeerHandlers("110", clock), settings)
        assert err.value.code == code and err.value.message
