"""`make demo` is the first thing a newcomer runs: the linked desks come up and orders cross between them."""

import json
import re
import os
import subprocess
import sys
from pathlib import Path

from tests.servers import free_port_block

ROOT = Path(__file__).resolve().parents[2]


def test_demo_streams_appeals_through_linked_desks(tmp_path):
    port = free_port_block(4)  # the demo serves 12345, 110, 119 and 120 on port … port + 3
    env = {**os.environ, "LIANDONG_VAR_DIR": str(ROOT / "var")}  # reuse the cached routing model
    done = subprocess.run(
        [sys.executable, "-c", "from liandong.cli.main import app; app()", "demo", "--simulate", "40", "--no-serve",
         "--port", str(port)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "诉求 40（拒收 0）" in out
    asked, answered, visited = map(int, re.findall(r"咨询 (\d+)（即问即答 (\d+)，回访 (\d+)）", out)[-1])
    assert asked == 10 and answered >= 5 and visited == answered  # answered on the call from the knowledge base
    assert "互通 | 12345：转出" in out and "督办检查" in out
    users = json.loads((tmp_path / "var" / "demo-users.json").read_text(encoding="utf-8"))
    roles = {(u["platform"], u["role"]) for u in users}
    assert {("12345", r) for r in ("operator", "dispatcher", "handler", "supervisor", "admin")} <= roles
    assert ("110", "police") in roles
    assert all(u["token"].startswith("ld_") for u in users)
    assert all(u["username"] == u["name"] and len(u["password"]) >= 8 for u in users)
    operator = next(u for u in users if u["platform"] == "12345" and u["role"] == "operator")
    assert f"http://127.0.0.1:{port}/console/  登录：{operator['username']} / {operator['password']}" in out
    assert f"http://127.0.0.1:{port + 1}/console/" in out
