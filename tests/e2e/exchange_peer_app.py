"""A tiny stand-alone peer platform for exchange tests: its own SQLite, the exchange router, a relay.

Run by uvicorn as a real process in the e2e tests (configured by environment variables), and
imported by the integration tests for its order handlers. The lead will later swap it for the
real two-desk program.

    PEER_PLATFORM    this platform's id ("12345" / "110")
    PEER_DB          SQLite file
    PEER_PEERS_YAML  peers.yaml (secrets from the environment it names)
    PEER_SKEW_S      seconds to add to this process's clock (to test skew), default 0
    PEER_RELAY       "1" to run a relay thread (default "1")
    PEER_AUTO_REPLY  "1": on a transfer, queue an accept and a result back (default "1")
    PEER_BASE_DELAY  relay back-off base in seconds (default 0.05)
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import orjson
from fastapi import FastAPI, Request
from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from liandong.core.clock import Clock, SystemClock
from liandong.core.errors import NotFound
from liandong.core.ids import new_id
from liandong.exchange import outbox
from liandong.exchange.http import make_exchange_router
from liandong.exchange.messages import (AcceptPayload, Address, Caller, CategoryRef, OrderRef, ResultPayload,
                                        TransferPayload, new_message)
from liandong.exchange.peers import load_peers
from liandong.exchange.receiver import ReceiverSettings
from liandong.exchange.relay import Relay, RelaySettings
from liandong.exchange.tables import TABLES
from liandong.storage.base import Base
from liandong.storage.db import make_engine, make_session_factory, transaction


class PeerBase(DeclarativeBase):
    pass


class PeerOrder(PeerBase):
    __tablename__ = "peer_orders"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    origin_platform: Mapped[str] = mapped_column(String(32))
    origin_order_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(64))
    peer_order_id: Mapped[str | None] = mapped_column(String(64))
    history: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of kinds applied, in order
    effects: Mapped[int] = mapped_column(Integer, default=0)


def create_tables(engine) -> None:
    Base.metadata.create_all(engine, tables=TABLES)
    PeerBase.metadata.create_all(engine)


class SkewedClock:
    def __init__(self, offset_s: float) -> None:
        self.offset = timedelta(seconds=offset_s)
        self.inner = SystemClock()

    def now(self) -> datetime:
        return self.inner.now() + self.offset


def _touch(order: PeerOrder, kind: str, status: str | None = None) -> None:
    order.history = orjson.dumps(orjson.loads(order.history) + [kind]).decode()
    order.effects += 1
    if status:
        order.status = status


class PeerHandlers:
    """A minimal order core: transfers open a received order; answers update the local order."""

    def __init__(self, local_platform: str, clock: Clock, *, auto_reply: bool = True) -> None:
        self.local, self.clock, self.auto_reply = local_platform, clock, auto_reply

    def _own(self, session: Session, msg) -> PeerOrder:
        order = session.get(PeerOrder, msg.order_ref.origin_order_id)
        if order is None:
            raise NotFound(f"没有工单 {msg.order_ref.origin_order_id}")
        return order

    def on_transfer(self, session: Session, msg) -> str:
        order = PeerOrder(id=f"{self.local}-{new_id()[:16]}", origin_platform=msg.order_ref.origin_platform,
                          origin_order_id=msg.order_ref.origin_order_id, status="received",
                          category=msg.category.receiver_code or msg.category.sender_code, history="[]", effects=0)
        _touch(order, "transfer")
        session.add(order)
        session.flush()
        if self.auto_reply:
            ref = OrderRef(origin_platform=msg.order_ref.origin_platform, origin_order_id=msg.order_ref.origin_order_id,
                           peer_order_id=order.id)
            common = dict(sender_platform=self.local, sender_unit="test desk", receiver_platform=msg.sender_platform,
                          order_ref=ref, sent_at=self.clock.now())
            outbox.enqueue(session, new_message("accept", payload=AcceptPayload(accepted_by="接警员 1"), **common))
            outbox.enqueue(session, new_message("result", payload=ResultPayload(
                outcome="resolved", handled_by="派出所", note="已处置"), **common))
            order.status = "closed"
        return order.id

    def on_accept(self, session: Session, msg) -> None:
        order = self._own(session, msg)
        order.peer_order_id = msg.order_ref.peer_order_id
        _touch(order, "accept", "accepted")

    def on_return(self, session: Session, msg) -> None:
        _touch(self._own(session, msg), "return", "returned")

    def on_progress(self, session: Session, msg) -> None:
        _touch(self._own(session, msg), "progress")

    def on_result(self, session: Session, msg) -> None:
        _touch(self._own(session, msg), "result", "closed")

    def on_recall(self, session: Session, msg) -> None:
        order = session.scalars(select(PeerOrder).where(
            PeerOrder.origin_platform == msg.order_ref.origin_platform,
            PeerOrder.origin_order_id == msg.order_ref.origin_order_id)).one()
        _touch(order, "recall", "recalled")

    def on_negotiation(self, session: Session, msg) -> None:
        return None

    def on_escalation(self, session: Session, msg) -> str:
        return f"notice-{msg.message_id[:8]}"


def submit_transfers(session: Session, *, local: str, receiver: str, count: int, clock: Clock,
                     prefix: str = "GD") -> list[str]:
    """The operator's one-click transfer (一键转办), `count` times: a local order + a transfer message."""
    ids = []
    for _ in range(count):
        order_id = f"{prefix}-{new_id()[:16]}"
        session.add(PeerOrder(id=order_id, origin_platform=local, origin_order_id=order_id, status="transferred",
                              category="jc-12345to110-007", history="[]", effects=0))
        outbox.enqueue(session, new_message(
            "transfer", sender_platform=local, sender_unit="12345 话务员 07", receiver_platform=receiver,
            order_ref=OrderRef(origin_platform=local, origin_order_id=order_id), sent_at=clock.now(),
            category=CategoryRef(sender_code="jc-12345to110-007", receiver_code="110-0107", label="违法停车"),
            payload=TransferPayload(appeal_text="小区门口有车辆违法停车堵住消防通道", caller=Caller(
                phone_masked="138****0000", contact_token="ct-" + order_id[-8:]),
                address=Address(text="城区凤台街 1 号", region_code="140502"), services=["police"])))
        ids.append(order_id)
    return ids


def state(session: Session) -> dict:
    rows = session.execute(select(PeerOrder.id, PeerOrder.status, PeerOrder.history, PeerOrder.effects,
                                  PeerOrder.origin_order_id, PeerOrder.peer_order_id)).all()
    return {r.id: {"status": r.status, "history": orjson.loads(r.history), "effects": r.effects,
                   "origin_order_id": r.origin_order_id, "peer_order_id": r.peer_order_id} for r in rows}


def build_app(*, platform: str, db: str, peers_yaml: str, skew_s: float = 0.0, relay: bool = True,
              auto_reply: bool = True, base_delay: float = 0.05) -> FastAPI:
    engine = make_engine(f"sqlite:///{db}")
    create_tables(engine)
    factory = make_session_factory(engine)
    peers = load_peers(peers_yaml)
    clock = SkewedClock(skew_s)
    settings = ReceiverSettings(local_platform=platform, keyring=peers.keyring(), clock=clock, inline=True)
    relay_obj = Relay(factory, peers, clock=clock, name=f"relay-{platform}", settings=RelaySettings(
        base_delay_s=base_delay, max_delay_s=1.0, lease_s=30.0, timeout_s=3.0, concurrency=16)) if relay else None

    @asynccontextmanager
    async def lifespan(_app):
        runner = relay_obj.start() if relay_obj else None
        yield
        if runner:
            runner[1].set()
            runner[0].join(timeout=10)
            relay_obj.close()

    app = FastAPI(lifespan=lifespan)
    app.include_router(make_exchange_router(lambda: transaction(factory),
                                            lambda s: PeerHandlers(platform, clock, auto_reply=auto_reply), settings))

    @app.get("/healthz")
    def healthz() -> dict:
        return {"ok": True, "platform": platform}

    @app.post("/test/submit")
    async def submit(request: Request) -> dict:
        data = orjson.loads(await request.body())
        with transaction(factory) as session:
            ids = submit_transfers(session, local=platform, receiver=data["receiver"], count=int(data["count"]),
                                   clock=clock)
        return {"ids": ids}

    @app.get("/test/state")
    def get_state() -> dict:
        with transaction(factory) as session:
            return {"orders": state(session), "outbox": outbox.counts(session)}

    return app


if os.environ.get("PEER_PLATFORM"):
    app = build_app(platform=os.environ["PEER_PLATFORM"], db=os.environ["PEER_DB"],
                    peers_yaml=os.environ["PEER_PEERS_YAML"], skew_s=float(os.environ.get("PEER_SKEW_S", "0")),
                    relay=os.environ.get("PEER_RELAY", "1") == "1",
                    auto_reply=os.environ.get("PEER_AUTO_REPLY", "1") == "1",
                    base_delay=float(os.environ.get("PEER_BASE_DELAY", "0.05")))
