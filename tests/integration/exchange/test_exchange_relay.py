"""Outbox → relay → receiver across two real databases, over the in-process loopback transport."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import httpx
import orjson
import pytest
from exchange_testkit import LoopbackTransport, peers_of
from exchange_peer_app import PeerOrder, state, submit_transfers
from sqlalchemy import select

from liandong.exchange import outbox
from liandong.exchange.messages import OrderRef, RecallPayload, new_message
from liandong.exchange.relay import Relay, RelaySettings
from liandong.exchange.signing import Key
from liandong.exchange.tables import ExchangeLink, OutboxMessage
from liandong.storage.db import transaction

FAST = RelaySettings(batch_size=20, base_delay_s=1.0, max_delay_s=60.0, lease_s=30.0, concurrency=4)


@pytest.fixture
def pair(make_db, clock):
    a, b = make_db("a12345"), make_db("b110")
    transport = LoopbackTransport(b, "110", "12345", clock)
    relay = Relay(a, peers_of("12345", "110"), clock=clock, settings=FAST, name="relay-a",
                  client=httpx.Client(transport=transport), rng=random.Random(7))
    yield a, b, transport, relay
    relay.close()


def _transfer(a, clock, n=1):
    with transaction(a) as s:
        return submit_transfers(s, local="12345", receiver="110", count=n, clock=clock)


def _recall(a, clock, order_id):
    with transaction(a) as s:
        return outbox.enqueue(s, new_message(
            "recall", sender_platform="12345", sender_unit="话务员", receiver_platform="110",
            order_ref=OrderRef(origin_platform="12345", origin_order_id=order_id), sent_at=clock.now(),
            payload=RecallPayload(reason="群众已自行解决", recalled_by="话务员 07")))


def _rows(factory):
    with transaction(factory) as s:
        return {r.message_id: r for r in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))}


def test_transfers_arrive_once_and_ack_gives_peer_order_id(pair, clock):
    a, b, _, relay = pair
    ids = _transfer(a, clock, 5)
    stats = relay.run_once()
    assert (stats.claimed, stats.sent) == (5, 5)
    with transaction(b) as s:
        received = state(s)
    assert sorted(o["origin_order_id"] for o in received.values()) == sorted(ids)
    with transaction(a) as s:
        links = {l.origin_order_id: l.peer_order_id for l in s.scalars(select(ExchangeLink))}
        assert outbox.counts(s)["sent"] == 5
    assert set(links.values()) == set(received)
    assert relay.run_once().claimed == 0


def test_duplicate_delivery_after_lost_ack_has_no_effect(pair, clock):
    a, b, transport, relay = pair
    _transfer(a, clock)
    transport.lose_ack = True
    assert relay.run_once().retried == 1
    transport.lose_ack = False
    clock.advance(timedelta(seconds=2))
    assert relay.run_once().sent == 1
    assert transport.delivered[0] == transport.delivered[1]  # byte-identical re-send
    with transaction(b) as s:
        orders = state(s)
    assert len(orders) == 1 and next(iter(orders.values()))["effects"] == 1
    row = next(iter(_rows(a).values()))
    assert orjson.loads(row.ack)["receiver_order_id"] == next(iter(orders))


def test_seq_n_plus_1_never_sent_before_seq_n_is_acked(pair, clock):
    a, b, transport, relay = pair
    (order_id,) = _transfer(a, clock)
    recall = _recall(a, clock, order_id)
    assert recall.seq == 2
    transport.down = True
    stats = relay.run_once()
    assert stats.claimed == 1  # only seq 1; seq 2 waits behind it
    clock.advance(timedelta(seconds=5))
    transport.down = False
    assert relay.run_once().sent == 1
    assert relay.run_once().sent == 1
    kinds = [orjson.loads(b)["kind"] for b in transport.delivered]
    assert kinds == ["transfer", "recall"]
    with transaction(b) as s:
        (order,) = state(s).values()
    assert order["history"] == ["transfer", "recall"] and order["status"] == "recalled"


def test_backoff_grows_with_jitter_and_waits(pair, clock):
    a, _, transport, relay = pair
    _transfer(a, clock)
    transport.down = True
    delays = []
    for attempt in range(1, 5):
        start = clock.now()
        assert relay.run_once().retried == 1
        row = next(iter(_rows(a).values()))
        assert row.failed_attempts == attempt and "ConnectError" in row.last_error
        delay = (row.next_attempt_at - start).total_seconds()
        assert 0.5 * 2 ** (attempt - 1) <= delay <= 2 ** (attempt - 1) + 1e-6
        assert relay.run_once().claimed == 0  # not due yet
        delays.append(delay)
        clock.advance(timedelta(seconds=2 ** (attempt - 1) + 0.01))  # past the row's and the peer pause's back-off
    transport.down = False
    assert relay.run_once().sent == 1
    assert delays == sorted(delays)


def test_server_errors_are_retried_not_rejected(pair, clock):
    a, _, transport, relay = pair
    _transfer(a, clock)
    transport.server_error = True
    assert relay.run_once().retried == 1
    transport.server_error = False
    clock.advance(timedelta(seconds=1))
    assert relay.run_once().sent == 1


def test_4xx_is_rejected_surfaced_and_can_be_requeued(pair, clock):
    a, b, transport, relay = pair
    _transfer(a, clock)
    good = transport.settings.keyring
    transport.settings.keyring = type(good)({"12345": [Key("k1", b"another-secret-entirely-000000")]})
    assert relay.run_once().rejected == 1
    clock.advance(timedelta(hours=1))
    assert relay.run_once().claimed == 0  # not retried forever
    with transaction(a) as s:
        (row,) = outbox.rejected(s)
        assert "401" in row.last_error and "bad_signature" in row.last_error
        transport.settings.keyring = good
        outbox.requeue(s, row.message_id, now=clock.now())
    assert relay.run_once().sent == 1


def test_relay_restart_mid_stream_resends_after_lease(pair, clock):
    a, b, transport, relay = pair
    _transfer(a, clock, 10)
    dead = Relay(a, peers_of("12345", "110"), clock=clock, settings=RelaySettings(batch_size=4, lease_s=30.0),
                 name="relay-dead", client=httpx.Client(transport=transport))
    assert len(dead.claim()) == 4  # claimed, then the process "dies" before sending
    dead.close()
    assert relay.run_once().sent == 6  # the other six go; the four stay leased
    assert relay.run_once().claimed == 0
    clock.advance(timedelta(seconds=31))
    stats = relay.run_once()
    assert (stats.recovered, stats.sent) == (4, 4)
    with transaction(b) as s:
        assert len(state(s)) == 10
    with transaction(b) as s:
        assert len(state(s)) == 10
        assert all(o["effects"] == 1 for o in state(s).values())


def test_a_restarted_relay_takes_back_its_own_claims_at_once(pair, clock):
    a, b, transport, _ = pair
    _transfer(a, clock, 3)
    first = Relay(a, peers_of("12345", "110"), clock=clock, name="relay-host1", client=httpx.Client(transport=transport))
    assert len(first.claim()) == 3
    first.close()  # killed
    again = Relay(a, peers_of("12345", "110"), clock=clock, name="relay-host1", client=httpx.Client(transport=transport))
    assert again.recover_mine() == 3  # no need to wait for the lease
    assert again.run_once().sent == 3
    again.close()


def test_settings_refuse_a_lease_shorter_than_a_batch():
    with pytest.raises(ValueError, match="lease"):
        RelaySettings(batch_size=200, concurrency=4, timeout_s=5.0, lease_s=60.0)


def test_enqueue_rolls_back_with_the_callers_transaction(pair, clock):
    a, _, _, _ = pair
    with pytest.raises(RuntimeError):
        with transaction(a) as s:
            submit_transfers(s, local="12345", receiver="110", count=1, clock=clock)
            raise RuntimeError("order change failed")
    with transaction(a) as s:
        assert outbox.counts(s)["pending"] == 0
        assert s.scalars(select(PeerOrder)).first() is None


def test_two_concurrent_relays_never_send_a_row_twice(pair, clock, dialect):
    if dialect != "postgres":
        pytest.skip("SKIP LOCKED concurrency is a PostgreSQL property")
    a, b, transport, _ = pair
    _transfer(a, clock, 300)
    relays = [Relay(a, peers_of("12345", "110"), clock=clock, name=f"relay-{i}",
                    settings=RelaySettings(batch_size=25, concurrency=4),
                    client=httpx.Client(transport=transport)) for i in range(3)]
    errors = []

    def drain(r):
        try:
            while r.run_once().claimed:
                pass
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=drain, args=(r,)) for r in relays]
    [t.start() for t in threads]
    [t.join() for t in threads]
    [r.close() for r in relays]
    assert not errors
    ids = [orjson.loads(body)["message_id"] for body in transport.delivered]
    assert len(ids) == 300 and len(set(ids)) == 300
    with transaction(a) as s:
        assert outbox.counts(s)["sent"] == 300
        claimers = {r.claimed_by for r in s.scalars(select(OutboxMessage))}
    assert len(claimers) >= 2  # the work was actually shared


def test_an_unsigned_or_forged_ack_does_not_mark_the_message_sent(pair, clock):
    a, b, transport, relay = pair
    _transfer(a, clock)
    original = transport.handle_request

    def forged(request):
        resp = original(request)
        headers = {k: v for k, v in resp.headers.items() if not k.lower().startswith("x-liandong-")}
        return httpx.Response(200, content=resp.content, headers=headers)

    transport.handle_request = forged
    stats = relay.run_once()
    assert stats.retried == 1 and "ack not trusted: unsigned" in stats.errors[0]
    transport.handle_request = original
    clock.advance(timedelta(seconds=2))
    assert relay.run_once().sent == 1  # re-sent; the peer answers from its inbox
    with transaction(b) as s:
        assert [o["effects"] for o in state(s).values()] == [1]


def test_a_peer_that_is_down_is_paused_not_hammered(pair, clock):
    a, b, transport, _ = pair
    relay = Relay(a, peers_of("12345", "110"), clock=clock, name="relay-breaker", rng=random.Random(3),
                  settings=RelaySettings(batch_size=4, base_delay_s=1.0), client=httpx.Client(transport=transport))
    _transfer(a, clock, 10)
    transport.down = True
    assert relay.run_once().retried == 4
    assert relay.run_once().claimed == 0  # six rows are due, but the peer is paused
    assert len([r for r in _rows(a).values() if r.failed_attempts]) == 4
    clock.advance(timedelta(seconds=1.01))
    transport.down = False
    total = 0
    for _ in range(5):
        total += relay.run_once().sent
        clock.advance(timedelta(seconds=1.01))
    assert total == 10
    relay.close()
