"""The fault proxy as a real process: it duplicates and drops for real, and passes answers through."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest
from exchange_procs import SECRET, free_port, peer_proc, proxy_proc

from liandong.exchange.messages import Address, Caller, CategoryRef, OrderRef, TransferPayload, encode, new_message
from liandong.exchange.signing import Key, sign_headers


def _signed_transfer(order_id: str):
    now = datetime.now(timezone.utc)
    msg = new_message("transfer", sender_platform="12345", sender_unit="话务员", receiver_platform="110",
                      order_ref=OrderRef(origin_platform="12345", origin_order_id=order_id), sent_at=now,
                      category=CategoryRef(sender_code="jc-12345to110-007"),
                      payload=TransferPayload(appeal_text="违法停车", caller=Caller(),
                                              address=Address(text="凤台街", region_code="140502")))
    body = encode(msg)
    return body, sign_headers(sender="12345", key=Key("e2e-1", SECRET.encode()), body=body, now=now)


def test_duplicating_and_dropping_proxy(tmp_path):
    port, dup_port, drop_port = free_port(), free_port(), free_port()
    procs = []
    try:
        procs.append(peer_proc(tmp_path, platform="110", peer="12345", peer_url="http://127.0.0.1:1", port=port,
                               relay=False, auto_reply=False).start())
        procs.append(proxy_proc(tmp_path, name="dup", port=dup_port, target=f"http://127.0.0.1:{port}", dup=1.0,
                                delay="5-20").start())
        procs.append(proxy_proc(tmp_path, name="drop", port=drop_port, target=f"http://127.0.0.1:{port}",
                                drop=1.0).start())
        body, headers = _signed_transfer("GD-proxy-1")
        resp = httpx.post(f"http://127.0.0.1:{dup_port}/api/v1/exchange/messages", content=body, headers=headers)
        assert resp.status_code == 200 and resp.headers["x-liandong-signature"]
        stats = httpx.get(f"http://127.0.0.1:{dup_port}/__faultproxy/stats").json()
        assert (stats["requests"], stats["duplicated"]) == (1, 1)
        orders = httpx.get(f"http://127.0.0.1:{port}/test/state").json()["orders"]
        assert [o["effects"] for o in orders.values()] == [1]  # delivered twice, applied once
        body2, headers2 = _signed_transfer("GD-proxy-2")
        with pytest.raises(httpx.TransportError):
            httpx.post(f"http://127.0.0.1:{drop_port}/api/v1/exchange/messages", content=body2, headers=headers2)
        dropped = httpx.get(f"http://127.0.0.1:{drop_port}/__faultproxy/stats").json()
        assert dropped["dropped_before"] + dropped["dropped_after"] == 1
    finally:
        for p in reversed(procs):
            p.stop()
