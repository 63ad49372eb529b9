"""The logs of a demo run (four linked desks, real HTTP) are JSON lines that follow each appeal by its
request id across desks, and hold none of the callers' numbers or names (issue 17)."""

import collections
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from liandong.ops.logs import PHONE
from tests.servers import free_port_block

ROOT = Path(__file__).resolve().parents[2]


def test_a_demo_runs_logs_follow_appeals_across_desks_and_mask_every_caller(tmp_path):
    port = free_port_block(4)
    log = tmp_path / "liandong.jsonl"
    env = {**os.environ, "LIANDONG_VAR_DIR": str(ROOT / "var"), "LIANDONG_LOG_FILE": str(log),
           "LIANDONG_LOG_LEVEL": "INFO"}
    done = subprocess.run(
        [sys.executable, "-c", "from liandong.cli.main import app; app()", "demo", "--simulate", "16", "--no-serve",
         "--port", str(port)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    text = log.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]  # every line is one JSON object
    assert len(lines) > 100

    callers = set()
    for db in (tmp_path / "var").glob("demo-*.db"):
        with sqlite3.connect(db) as conn:
            callers |= {v for row in conn.execute("SELECT caller_name, caller_phone FROM appeals") for v in row if v}
    assert len(callers) >= 16
    assert sorted(c for c in callers if c in text) == []
    shaped = [text[max(0, m.start() - 80):m.end() + 10] for m in PHONE.finditer(text)]
    assert shaped == []  # nor any other number shaped like a phone

    trail = collections.defaultdict(set)  # request id → (what, platform)
    for line in lines:
        if line.get("request_id"):
            trail[line["request_id"]].add((line["msg"], line.get("platform")))
    stored = {rid for rid, seen in trail.items() if any(msg == "appeal stored" for msg, _ in seen)}
    assert len(stored) >= 10
    across = [rid for rid in stored
              if len({p for msg, p in trail[rid] if msg.startswith("order ") and p}) >= 2
              and any(msg == "outbox enqueued" for msg, _ in trail[rid])]
    assert across, "no appeal's request id was seen on the peer desk"
