"""One desk's exchange with its peers (平台互通): peers, category mappings, linkage rules, the relay,
the receiving route and the watch loop, as the composition root (`app.py`) builds it.

    desk = DeskExchange.build(settings, clock=clock, write=write, queued_sessions=queued)
    desk.http_router(handlers)   # POST /api/v1/exchange/messages (peers sign with HMAC, no bearer token)
    desk.start(watch)            # the relay (outbox → peers) and the watch loop (overdue transfers,
    desk.stop()                  #   expired negotiations); both stopped cleanly on shutdown

Built only when a peers file is configured; without one a single process hosts 12345 and 110.
The peers file names this desk (`local_platform`, which must be the settings' platform), the peers'
URLs and keys. Category mapping and linkage rules are the city's data (`cities/<city>/`).
"""

from __future__ import annotations

import logging
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from liandong.config import Settings
from liandong.core.clock import Clock
from liandong.core.errors import ConfigError
from liandong.exchange.http import make_exchange_router
from liandong.exchange.mapping import Mappings, exchange_category, mappings_for, routing_code_aliases
from liandong.exchange.messages import CategoryRef
from liandong.exchange.peers import PeersConfig, load_peers
from liandong.exchange.receiver import ExchangeHandlers, ReceiverSettings
from liandong.exchange.relay import Relay, RelaySettings
from liandong.linkage.rules import LinkageRules, load_linkage
from liandong.regions.registry import CITIES_DIR

log = logging.getLogger("liandong.linkage")
WATCH_EVERY_S = 30.0
WriteTx = Callable[[], AbstractContextManager[Session]]
Watch = Callable[[Session, datetime], object]


@dataclass
class DeskExchange:  # 平台互通
    settings: Settings
    clock: Clock
    write: WriteTx
    queued_sessions: Callable[[], object]  # the writer queue's session factory (`Liandong.queued_sessions`)
    peers: PeersConfig
    mappings: Mappings
    rules: LinkageRules
    code_aliases: dict[str, str] = field(default_factory=dict)
    relay_settings: RelaySettings = field(default_factory=RelaySettings)
    _threads: list = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _relay: Relay | None = None

    @classmethod
    def build(cls, settings: Settings, *, clock: Clock, write: WriteTx, queued_sessions) -> "DeskExchange":
        peers = load_peers(settings.peers_file)
        if peers.local_platform != settings.platform:
            raise ConfigError(str(settings.peers_file), f"local_platform 为「{peers.local_platform}」，"
                              f"与本平台「{settings.platform}」不一致")
        city_dir = CITIES_DIR / settings.city
        relay = RelaySettings(**settings.extra["relay"]) if "relay" in settings.extra else RelaySettings()
        mapping_file = city_dir / "exchange_mapping.yaml"
        return cls(settings=settings, clock=clock, write=write, queued_sessions=queued_sessions, peers=peers, mappings=mappings_for(mapping_file, peers.local_platform),
                   rules=load_linkage(city_dir / "linkage.yaml"), code_aliases=routing_code_aliases(mapping_file),
                   relay_settings=relay)

    def can_send(self, platform: str | None) -> bool:
        """Whether `platform` is one of this desk's peers."""
        return platform is not None and platform in self.peers.peers

    @property
    def peer_platforms(self) -> frozenset[str]:
        return frozenset(self.peers.peers)

    def outgoing_category(self, code: str | None, peer: str) -> CategoryRef:
        """The category block of a transfer to `peer` for an order classified `code`."""
        table = self.mappings.for_peer(peer)
        return table.outgoing(exchange_category(code, aliases=self.code_aliases, table=table))

    @property
    def local_platform(self) -> str:
        return self.peers.local_platform

    # -- receiving -----------------------------------------------------------------------------
    def receiver_settings(self) -> ReceiverSettings:
        return ReceiverSettings(local_platform=self.local_platform, keyring=self.peers.keyring(), clock=self.clock,
                                inline=self.settings.is_sqlite)

    def http_router(self, handlers: ExchangeHandlers):
        return make_exchange_router(self.write, lambda session: handlers, self.receiver_settings())

    # -- sending -------------------------------------------------------------------------------
    @property
    def relay(self) -> Relay:
        if self._relay is None:
            self._relay = Relay(self.queued_sessions(), self.peers, clock=self.clock, settings=self.relay_settings,
                                name=f"relay-{self.local_platform}")
        return self._relay

    def wake_after_commit(self, session: Session) -> None:
        """Send as soon as the enqueuing transaction commits (else the relay finds it on its next poll)."""
        if self._relay is not None and not session.info.get("exchange_wake"):
            session.info["exchange_wake"] = True
            event.listen(session, "after_commit", lambda s: self._relay.wake(), once=True)

    def start(self, watch: Watch | None) -> None:
        """Start the relay and the watch loop (`watch(session, now)` every 30 s) in daemon threads (idempotent);
        without `watch`, the relay alone (the watch then runs as a leased job, `watch_step`)."""
        if self._threads:
            return
        self._stop.clear()
        thread, stop = self.relay.start()  # its stable name lets it take back its own in-flight rows at once
        self._threads = [(thread, stop)]
        if watch is not None:
            loop = threading.Thread(target=self._watch, args=(watch,), name=f"watch-{self.local_platform}", daemon=True)
            loop.start()
            self._threads.append((loop, self._stop))
        log.info("exchange of %s started: peers %s", self.local_platform, ", ".join(self.peers.peers))

    def stop(self) -> None:
        for thread, stop in self._threads:
            stop.set()
        if self._relay is not None:
            self._relay.wake()
        for thread, _ in self._threads:
            thread.join(15)
        self._threads = []
        if self._relay is not None:
            self._relay.close()
            self._relay = None

    def watch_step(self, watch: Watch, now: datetime) -> None:
        with self.write() as session:
            watch(session, now)

    def _watch(self, watch: Watch) -> None:
        while not self._stop.wait(WATCH_EVERY_S):
            try:
                with self.write() as session:
                    watch(session, self.clock.now())
            except Exception:  # noqa: BLE001 - keep watching; the next round sees the same rows
                log.exception("exchange watch step failed")
