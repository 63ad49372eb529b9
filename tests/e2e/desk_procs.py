"""Real desks (`liandong serve --platform P --peers FILE`) as subprocesses on loopback, for e2e tests.

Each desk has its own SQLite database (migrated and given its users here, before it starts), its own
peers file and test keys. Readiness is polled on /healthz, never waited for with fixed sleeps.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from exchange_procs import Proc, wait_until

from liandong.app import Liandong
from liandong.config import Settings
from liandong.demo.users import DESK_USERS, create_demo_users
from liandong.storage.migrate import upgrade

SECRETS = {  # one shared key per pair of desks (test keys only)
    frozenset({"12345", "110"}): "e2e-desk-secret-12345-110-0000000",
    frozenset({"12345", "119"}): "e2e-desk-secret-12345-119-0000000",
    frozenset({"110", "119"}): "e2e-desk-secret-110-119-000000000",
}


def secret_env(a: str, b: str) -> str:
    return "E2E_DESK_SECRET_" + "_".join(sorted((a, b)))


def secret(a: str, b: str) -> str:
    return SECRETS[frozenset({a, b})]


@dataclass
class Desk:  # one running desk
    platform: str
    port: int
    db_url: str
    proc: Proc
    tokens: dict[str, str] = field(default_factory=dict)  # role → token (desk users)
    unit_tokens: dict[str, str] = field(default_factory=dict)  # unit code → handler token

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def post(self, path: str, json: dict, *, token: str) -> httpx.Response:
        return httpx.post(f"{self.url}/api/v1{path}", json=json, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def get(self, path: str, *, role: str = "admin", **params) -> httpx.Response:
        return httpx.get(f"{self.url}/api/v1{path}", params=params, headers=self.auth(role), timeout=30)

    def orders(self, **params) -> list[dict]:
        items, page = [], 1
        while True:
            body = self.get("/orders", page=page, page_size=200, **params).json()
            items += body["items"]
            if page * 200 >= body["total"]:
                return items
            page += 1


def make_desk(tmp: Path, platform: str, *, port: int, peers: dict[str, str], clock_offset_s: float = 0.0) -> Desk:
    """Prepare a desk's database, users and peers file; `peers` maps platform → URL to reach it."""
    db = tmp / f"desk-{platform}.db"
    url = f"sqlite:///{db}"
    upgrade(url)
    ctx = Liandong(Settings(database_url=url, platform=platform))
    rows, unit_tokens = create_demo_users(ctx, {platform: DESK_USERS[platform]})
    ctx.close()
    tokens = {r["role"]: r["token"] for r in rows}
    lines = [f"local_platform: '{platform}'", "peers:"]
    for peer, peer_url in peers.items():
        lines += [f"  - platform: '{peer}'", f"    url: {peer_url}", f"    key_id: e2e-{'-'.join(sorted((platform, peer)))}",
                  f"    secret_env: {secret_env(platform, peer)}"]
    peers_file = tmp / f"peers-{platform}.yaml"
    peers_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "LIANDONG_RELAY_BASE_DELAY_S": "0.05", "LIANDONG_CLOCK_OFFSET_S": str(clock_offset_s)}
    env.update({secret_env(platform, p): secret(platform, p) for p in peers})
    env.pop("LIANDONG_PEERS_FILE", None)
    argv = [sys.executable, "-c", "from liandong.cli.main import app; app()", "serve", "--platform", platform,
            "--db", url, "--port", str(port), "--peers", str(peers_file)]
    proc = Proc(argv, env, f"http://127.0.0.1:{port}/healthz", tmp / f"desk-{platform}.log")
    return Desk(platform, port, url, proc, tokens, unit_tokens)


def settle(predicate, *, timeout: float, what: str):
    return wait_until(predicate, timeout=timeout, interval=0.2, what=what)
