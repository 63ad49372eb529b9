"""Processes for the change-feed test: writers acting on orders (several per transaction), and a follower.

    python share_procs.py writer DB_URL COUNT SEED NUMBERS_FILE     # COUNT accepted 催办 on random orders
    python share_procs.py follower BASE_URL API_KEY LOG_FILE STOP_FILE

The follower appends one line per page — {"cursor": …, "changes": [[number, seq], …]} — written and
fsynced in one write, and on start resumes from the cursor of the last complete line: killed at any
moment, it neither loses nor repeats a page. It stops once STOP_FILE exists and a read that began after
it appeared returned nothing more.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

import httpx


def writer(db_url: str, count: int, seed: int, numbers_file: str) -> None:
    from liandong.app import Liandong
    from liandong.config import Settings
    from liandong.core.actors import Actor, Role
    from liandong.core.errors import Conflict
    from liandong.orders.model import ActionCommand
    from liandong.orders.states import Action

    numbers = json.load(open(numbers_file))
    rng = random.Random(seed)
    ctx = Liandong(Settings(database_url=db_url))
    actor = Actor(name="supervisor", role=Role.SUPERVISOR)
    done = 0
    while done < count:  # 1–3 orders per transaction, locked in one order (no deadlock between writers)
        batch = sorted(rng.sample(numbers, min(count - done, rng.randint(1, 3))))
        try:
            with ctx.write() as session:
                for number in batch:
                    ctx.orders.act(session, number=number, cmd=ActionCommand(Action.URGE, note=f"w{seed}"),
                                   actor=actor, platform="12345", now=ctx.clock.now())
            done += len(batch)
        except Conflict:
            continue
    ctx.close()


def follower(base: str, key: str, log_file: str, stop_file: str) -> None:
    cursor = None
    if os.path.exists(log_file):
        for line in open(log_file, encoding="utf-8"):
            if line.endswith("\n"):
                cursor = json.loads(line)["cursor"]
    client = httpx.Client(base_url=base, headers={"X-Api-Key": key}, timeout=30)
    fd = os.open(log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    while True:
        stopping = os.path.exists(stop_file)
        r = client.get("/api/v1/feed/orders", params={"limit": 500, "fields": "number", **({"cursor": cursor} if cursor else {})})
        r.raise_for_status()
        body = r.json()
        if body["changes"]:
            line = json.dumps({"cursor": body["cursor"], "changes": [[c["data"]["number"], c["seq"]] for c in body["changes"]]})
            os.write(fd, (line + "\n").encode())
            os.fsync(fd)
        cursor = body["cursor"]
        if not body["more"] and not body["changes"]:
            if stopping:
                return
            time.sleep(0.02)  # polling interval of the consumer, not a synchronisation


if __name__ == "__main__":
    if sys.argv[1] == "writer":
        writer(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        follower(*sys.argv[2:6])
