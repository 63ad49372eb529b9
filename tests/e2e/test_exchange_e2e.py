"""Two real peer processes with fault-injecting proxies between them; the receiver is killed -9
mid-stream and restarted, and its clock runs two minutes fast. Nothing is lost, nothing is
applied twice, and both sides end in the same state."""

from __future__ import annotations

import os

import httpx
import pytest
from exchange_procs import free_port, peer_proc, proxy_proc, wait_until


def _state(port: int) -> dict:
    return httpx.get(f"http://127.0.0.1:{port}/test/state", timeout=30).json()


def _run(tmp_path, total: int, chunk: int, timeout: float) -> None:
    pa, pb, p1, p2 = (free_port() for _ in range(4))
    procs = []
    try:
        to_b = proxy_proc(tmp_path, name="to110", port=p1, target=f"http://127.0.0.1:{pb}", drop=0.05, dup=0.1,
                          reorder=0.1, delay="0-30", seed=11).start()
        to_a = proxy_proc(tmp_path, name="to12345", port=p2, target=f"http://127.0.0.1:{pa}", drop=0.05, dup=0.1,
                          reorder=0.1, delay="0-30", seed=12).start()
        procs += [to_b, to_a]
        a = peer_proc(tmp_path, platform="12345", peer="110", peer_url=f"http://127.0.0.1:{p1}", port=pa).start()
        b = peer_proc(tmp_path, platform="110", peer="12345", peer_url=f"http://127.0.0.1:{p2}", port=pb,
                      skew_s=120).start()
        procs += [a, b]
        submitted: list[str] = []
        for i in range(0, total, chunk):
            r = httpx.post(f"http://127.0.0.1:{pa}/test/submit", json={"receiver": "110", "count": chunk}, timeout=60)
            submitted += r.json()["ids"]
            if i == (total // 2 // chunk) * chunk:
                wait_until(lambda: len(_state(pb)["orders"]) > 0, timeout=30, what="110 to receive some transfers")
                b.kill9()  # mid-stream: transfers in flight, replies queued in its outbox
                b.start()

        def settled():
            sa, sb = _state(pa), _state(pb)
            done = sum(o["status"] == "closed" for o in sa["orders"].values())
            return (sa, sb) if done == total and sb["outbox"]["pending"] == sb["outbox"]["sending"] == 0 else None

        sa, sb = wait_until(settled, timeout=timeout, interval=0.5, what=f"all {total} transfers answered")
        assert len(submitted) == total == len(sa["orders"])
        for order in sa["orders"].values():  # 12345: each transfer accepted once and closed once
            assert order["history"] == ["accept", "result"] and order["effects"] == 2
        assert sa["outbox"] == {"pending": 0, "sending": 0, "sent": total, "rejected": 0}
        received = sb["orders"].values()
        assert sorted(o["origin_order_id"] for o in received) == sorted(submitted)  # 0 lost
        assert all(o["effects"] == 1 and o["history"] == ["transfer"] for o in received)  # 0 twice
        assert sb["outbox"] == {"pending": 0, "sending": 0, "sent": 2 * total, "rejected": 0}
        # equal final states: both desks hold each order closed, each pointing at the other's id
        at_b = {o["origin_order_id"]: (order_id, o["status"]) for order_id, o in sb["orders"].items()}
        assert {a_id: (o["peer_order_id"], o["status"]) for a_id, o in sa["orders"].items()} == at_b
        assert {status for _, status in at_b.values()} == {"closed"}
        stats = [httpx.get(f"http://127.0.0.1:{p}/__faultproxy/stats").json() for p in (p1, p2)]
        for s in stats:  # the faults really happened
            assert s["duplicated"] > 0 and s["dropped_before"] + s["dropped_after"] > 0 and s["reordered"] > 0
        assert b.restarts == 2  # started, killed -9, started again
    finally:
        for p in reversed(procs):
            p.stop()


def test_two_thousand_transfers_through_faults_and_a_crash(tmp_path):
    _run(tmp_path, total=2000, chunk=200, timeout=420)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("LIANDONG_RUN_SLOW"), reason="10,000-transfer run: set LIANDONG_RUN_SLOW=1")
def test_ten_thousand_transfers_through_faults_and_a_crash(tmp_path):
    _run(tmp_path, total=10_000, chunk=500, timeout=1800)
