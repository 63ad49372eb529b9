"""One desk's exchange with its peers (平台互通), as the composition root builds it.

    ctx = Liandong(Settings(platform="110", peers_file=Path("peers-110.yaml")))
    ctx.exchange.http_router()   # POST /api/v1/exchange/messages (peers sign with HMAC, no bearer token)
    ctx.exchange.start()         # the relay (outbox → peers) and the watch loop (overdue transfers,
    ctx.exchange.stop()          #   expired negotiations); both stopped cleanly on shutdown

Built only when a peers file is configured; without one a single process hosts 12345 and 110.
The peers file names this desk (`local_platform`, which must be the settings' platform), the peers'
URLs and keys. Category mapping and linkage rules are the city's data (`cities/<city>/`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from liandong.core.errors import ConfigError
from liandong.exchange.http import make_exchange_router
from liandong.exchange.mapping import MappingRow, Mappings, MappingTable, load_mappings
from liandong.exchange.peers import PeersConfig, load_peers
from liandong.exchange.policy import LinkageRules, load_linkage
from liandong.exchange.receiver import ReceiverSettings
from liandong.exchange.relay import Relay, RelaySettings
from liandong.regions.registry import CITIES_DIR

log = logging.getLogger("liandong.desk")
WATCH_EVERY_S = 30.0


def routing_code_aliases(path: Path) -> dict[str, str]:
    """Prefixes of routing-list codes → prefixes of the exchange codes for the same items (city data)."""
    from liandong.exchange import yamlio

    raw = yamlio.load(path).get("routing_codes") or {}
    return {str(k): str(v) for k, v in raw.items() if k != yamlio.LINE}


def exchange_category(code: str | None, *, aliases: dict[str, str], table: MappingTable) -> str:
    """Our code for the category of an order, as the mapping table knows it: a routing-list code is
    respelt (JC-A21 → jc-12345to110-021); a 12345-side code on another desk becomes that desk's own."""
    if not code:
        return "unclassified"
    for prefix, target in aliases.items():
        rest = code[len(prefix):]
        if code.startswith(prefix) and rest.isdigit():
            code = target + rest.zfill(3)
            break
    ours = {r.ours for r in table.rows}
    if code in ours:
        return code
    row = next((r for r in table.rows if r.theirs == code), None)
    return row.ours if row else code


def mappings_for(path: Path, local: str) -> Mappings:
    """The city's mapping file is written from one desk's side; the other desk reads it mirrored."""
    data = load_mappings(path)
    if data.local_platform == local:
        return data
    tables = {}
    if local in data.tables:
        rows = [MappingRow(ours=r.theirs, theirs=r.ours, label=r.label, line=r.line) for r in data.tables[local].rows]
        tables[data.local_platform] = MappingTable(data.local_platform, rows)
    return Mappings(local, tables)


@dataclass
class DeskExchange:  # 平台互通
    ctx: object
    peers: PeersConfig
    mappings: Mappings
    rules: LinkageRules
    code_aliases: dict[str, str] = field(default_factory=dict)
    relay_settings: RelaySettings = field(default_factory=RelaySettings)
    _threads: list = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _relay: Relay | None = None

    @classmethod
    def build(cls, ctx) -> "DeskExchange":
        settings = ctx.settings
        peers = load_peers(settings.peers_file)
        if peers.local_platform != settings.platform:
            raise ConfigError(str(settings.peers_file), f"local_platform 为「{peers.local_platform}」，"
                              f"与本平台「{settings.platform}」不一致")
        city_dir = CITIES_DIR / settings.city
        relay = RelaySettings(**settings.extra["relay"]) if "relay" in settings.extra else RelaySettings()
        mapping_file = city_dir / "exchange_mapping.yaml"
        return cls(ctx=ctx, peers=peers, mappings=mappings_for(mapping_file, peers.local_platform),
                   rules=load_linkage(city_dir / "linkage.yaml"), code_aliases=routing_code_aliases(mapping_file),
                   relay_settings=relay)

    def outgoing_category(self, code: str | None, peer: str):
        """The category block of a transfer to `peer` for an order classified `code`."""
        table = self.mappings.for_peer(peer)
        return table.outgoing(exchange_category(code, aliases=self.code_aliases, table=table))

    @property
    def local_platform(self) -> str:
        return self.peers.local_platform

    # -- receiving -----------------------------------------------------------------------------
    def receiver_settings(self) -> ReceiverSettings:
        return ReceiverSettings(local_platform=self.local_platform, keyring=self.peers.keyring(), clock=self.ctx.clock,
                                inline=self.ctx.settings.is_sqlite)

    def http_router(self):
        from liandong.orders.exchange_handlers import OrderHandlers

        return make_exchange_router(self.ctx.write, lambda session: OrderHandlers(self.ctx), self.receiver_settings())

    # -- sending -------------------------------------------------------------------------------
    @property
    def relay(self) -> Relay:
        if self._relay is None:
            self._relay = Relay(self.ctx.queued_sessions(), self.peers, clock=self.ctx.clock, settings=self.relay_settings,
                                name=f"relay-{self.local_platform}")
        return self._relay

    def wake_after_commit(self, session: Session) -> None:
        """Send as soon as the enqueuing transaction commits (else the relay finds it on its next poll)."""
        if self._relay is not None and not session.info.get("exchange_wake"):
            session.info["exchange_wake"] = True
            event.listen(session, "after_commit", lambda s: self._relay.wake(), once=True)

    def start(self) -> None:
        """Start the relay and the watch loop in daemon threads (idempotent)."""
        if self._threads:
            return
        self._stop.clear()
        thread, stop = self.relay.start()  # its stable name lets it take back its own in-flight rows at once
        self._threads = [(thread, stop)]
        watch = threading.Thread(target=self._watch, name=f"watch-{self.local_platform}", daemon=True)
        watch.start()
        self._threads.append((watch, self._stop))
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

    def _watch(self) -> None:
        from liandong.orders.exchange_watch import watch_once

        while not self._stop.wait(WATCH_EVERY_S):
            try:
                with self.ctx.write() as session:
                    watch_once(session, self.ctx, self.ctx.clock.now())
            except Exception:  # noqa: BLE001 - keep watching; the next round sees the same rows
                log.exception("exchange watch step failed")
