"""The demo's desks: 12345 on port N, 110 on N+1, and minimal 119 / 120 desks on N+2 / N+3, linked.

Each desk is the same program with its own SQLite database under `var/`, its own users and its own
peers file; every pair of desks shares a key generated here (`var/demo-keys/`, never committed). The
desks run in this one process (one uvicorn server per desk, in threads) and talk to each other only
over loopback HTTP, exactly as separate deployments do.
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from liandong.app import Liandong
from liandong.config import Settings

DESKS = ("12345", "110", "119", "120")  # port offsets 0, 1, 2, 3
NAMES = {"12345": "12345 政务服务便民热线", "110": "110 报警服务台", "119": "119 消防（最简接收台）",
         "120": "120 急救（最简接收台）"}


@dataclass
class RunningDesk:
    platform: str
    port: int
    ctx: Liandong
    server: object
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def write_keys_and_peers(var: Path, port: int) -> dict[str, Path]:
    """A fresh key per pair of desks and a peers file per desk; returns platform → peers file."""
    keys = var / "demo-keys"
    keys.mkdir(parents=True, exist_ok=True)
    os.chmod(keys, 0o700)
    for a, b in combinations(DESKS, 2):
        path = keys / f"{a}-{b}.key"
        path.write_text(secrets.token_hex(32), encoding="ascii")
        os.chmod(path, 0o600)
    files = {}
    for i, a in enumerate(DESKS):
        lines = [f"# demo peers of the {a} desk (written by `liandong demo`)", f"local_platform: \"{a}\"", "peers:"]
        for j, b in enumerate(DESKS):
            if b != a:
                pair = "-".join(p for p in DESKS if p in (a, b))
                lines += [f"  - platform: \"{b}\"", f"    url: http://127.0.0.1:{port + j}", f"    key_id: demo-{pair}",
                          f"    secret_file: {(keys / f'{pair}.key').resolve()}"]
        files[a] = var / f"demo-peers-{a}.yaml"
        files[a].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files


def build_desks(var: Path, port: int) -> dict[str, Liandong]:
    """Fresh databases (migrated), keys and peers files; one shared routing model for all desks."""
    from liandong.storage.migrate import upgrade

    peers = write_keys_and_peers(var, port)
    ctxs: dict[str, Liandong] = {}
    for platform in DESKS:
        db = var / f"demo-{platform}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
        upgrade(url)
        router = ctxs["12345"].router if ctxs else None  # loaded once, by the first desk
        ctxs[platform] = Liandong(Settings(database_url=url, platform=platform, peers_file=peers[platform]),
                                  router_override=router)
    return ctxs


def serve_desks(ctxs: dict[str, Liandong], port: int) -> dict[str, RunningDesk]:
    """Serve every desk (each starts its exchange relay with its server) and wait until all are up."""
    import uvicorn

    from liandong.api.app import create_app

    running = {}
    for i, (platform, ctx) in enumerate(ctxs.items()):
        server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port + i, log_level="warning",
                                               access_log=False))
        thread = threading.Thread(target=server.run, name=f"desk-{platform}", daemon=True)
        thread.start()
        running[platform] = RunningDesk(platform, port + i, ctx, server, thread)
    for desk in running.values():
        while not desk.server.started and desk.thread.is_alive():
            desk.thread.join(0.05)
        if not desk.thread.is_alive():
            raise RuntimeError(f"{desk.platform} 平台未能在端口 {desk.port} 启动（端口被占用？）")
    return running


def stop_desks(running: dict[str, RunningDesk]) -> None:
    for desk in running.values():
        desk.server.should_exit = True
    for desk in running.values():
        desk.thread.join(10)
        desk.ctx.close()
