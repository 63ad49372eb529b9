"""Separate desks in one test process: each its own database, users, peers file and exchange, linked
by a transport that hands each signed request to the peer desk's real ASGI app. `pump()` runs the
relays until nothing is left to send, so the linkage rules are tested step by step, deterministically.
(The same desks as real processes over loopback: tests/e2e/test_desks_e2e.py.)"""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.auth import service as auth
from liandong.config import Settings
from liandong.exchange.relay import Relay
from liandong.orders.tables import OrderRow
from tests.conftest import PG_URL, USE_PG
from tests.fakes import ScriptedDecision, ScriptedRouter

USERS = {  # platform → (name, role, unit)
    "12345": [("operator", "operator", None), ("dispatcher", "dispatcher", None), ("supervisor", "supervisor", None),
              ("admin", "admin", None), ("street", "handler", "ST-148802001"), ("water", "handler", "WSUPPLY")],
    "110": [("police", "police", None), ("police_east", "handler", "PS-148802"), ("admin", "admin", None)],
    "119": [("police", "police", None), ("fire", "handler", "FIRE"), ("admin", "admin", None)],
}
ROUTES = {**ScriptedRouter().script,
          "爆炸": ScriptedDecision(("110",), "public_security", "危化品重大泄漏事件", level="重大")}


class DeskTransport(httpx.BaseTransport):
    """Hands a request for http://d<platform>/… to that desk's app (as a real peer would receive it)."""

    def __init__(self, clients: dict[str, TestClient]) -> None:
        self.clients = clients

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        client = self.clients[request.url.host]
        r = client.post(request.url.path, content=request.read(), headers=dict(request.headers))
        return httpx.Response(r.status_code, headers=r.headers, content=r.content)


@dataclass
class Desk:
    platform: str
    ctx: Liandong
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def act(self, who: str, number: str, action: str, **fields) -> dict:
        r = self.client.post(f"/api/v1/orders/{number}/actions", json={"action": action, **fields},
                             headers={"Authorization": f"Bearer {self.tokens[who]}"})
        assert r.status_code == 200, r.text
        return r.json()

    def submit(self, who: str, text_: str) -> list[dict]:
        r = self.client.post("/api/v1/appeals", headers={"Authorization": f"Bearer {self.tokens[who]}"}, json={
            "text": text_, "channel": "110" if self.platform == "110" else "12345", "region": "148802",
            "address": "东城区凤台街88号", "caller": {"name": "张三", "phone": "13800001111"}})
        assert r.status_code == 201, r.text
        return r.json()["orders"]

    def order(self, number: str) -> dict:
        return self.client.get(f"/api/v1/orders/{number}", headers={"Authorization": f"Bearer {self.tokens['admin']}"}).json()

    def events(self, number: str) -> list[dict]:
        return self.client.get(f"/api/v1/orders/{number}/events",
                               headers={"Authorization": f"Bearer {self.tokens['admin']}"}).json()

    def received(self) -> list[dict]:
        with self.ctx.read() as s:
            numbers = [o.number for o in s.query(OrderRow).order_by(OrderRow.id) if o.by_transfer]
        return [self.order(n) for n in numbers]


class Desks:
    def __init__(self, tmp: Path, template_db, clock, platforms=("12345", "110", "119")) -> None:
        self.clock, self.desks, self._pg = clock, {}, []
        for a in platforms:
            lines = [f"local_platform: '{a}'", "peers:"]
            for b in platforms:
                if b != a:
                    key = tmp / f"key-{'-'.join(sorted((a, b)))}"
                    key.write_text(f"integration-secret-{'-'.join(sorted((a, b)))}-0123456789")
                    lines += [f"  - platform: '{b}'", f"    url: http://d{b}", "    key_id: k1", f"    secret_file: {key}"]
            (tmp / f"peers-{a}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
            settings = Settings(database_url=self._db(tmp, template_db, a), platform=a, peers_file=tmp / f"peers-{a}.yaml",
                                extra={"relay": {"concurrency": 1, "batch_size": 8}})
            ctx = Liandong(settings, clock=clock, router_override=ScriptedRouter(script=dict(ROUTES)))
            desk = Desk(a, ctx, TestClient(create_app(ctx), raise_server_exceptions=False))
            with ctx.write() as s:
                for name, role, unit in USERS[a]:
                    auth.add_user(s, ctx.city, name=name, role=role, platform=a, unit=unit, region=None, now=clock.now())
                    desk.tokens[name] = auth.issue_token(s, name, clock.now())
            self.desks[a] = desk
        transport = DeskTransport({f"d{p}": d.client for p, d in self.desks.items()})
        for d in self.desks.values():
            ex = d.ctx.exchange
            ex._relay = Relay(d.ctx.queued_sessions(), ex.peers, clock=clock, settings=ex.relay_settings,
                              client=httpx.Client(transport=transport), name=f"relay-{d.platform}")

    def _db(self, tmp: Path, template_db, platform: str) -> str:
        if not USE_PG:
            path = tmp / f"desk-{platform}.db"
            shutil.copy(template_db, path)
            return f"sqlite:///{path}"
        name = f"ld_d_{uuid.uuid4().hex[:12]}"
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"'))
        admin.dispose()
        self._pg.append(name)
        return PG_URL.rsplit("/", 1)[0] + f"/{name}"

    def __getitem__(self, platform: str) -> Desk:
        return self.desks[platform]

    def pump(self, rounds: int = 50) -> int:
        """Run every relay until no desk has anything left to send; returns the messages sent."""
        total = 0
        for _ in range(rounds):
            claimed = sum(d.ctx.exchange.relay.run_once().claimed for d in self.desks.values())
            total += claimed
            if not claimed:
                return total
        raise AssertionError("relays still sending after many rounds")

    def close(self) -> None:
        for d in self.desks.values():
            d.ctx.close()
        if not self._pg:
            return
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        try:
            for name in self._pg:
                _drop(admin, name)
        finally:
            admin.dispose()


def _drop(admin, name: str, attempts: int = 20) -> None:
    """Drop a test database; FORCE may be refused while an autovacuum worker (not ours) is inside it."""
    for attempt in range(attempts):
        try:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1)  # cleanup only: give the worker a moment to leave

