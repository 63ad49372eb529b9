"""Who calls Open311: a registered consumer (数据共享接入方, kind open311) known by its `api_key`.

The consumer registry and the access log belong to the data-sharing capability; Open311 needs only
this much of them, so it depends on the protocol, and the composition root passes the real registry in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from liandong.core.errors import Unauthenticated


@dataclass(frozen=True)
class Open311Client:  # Open311 接入方
    name: str
    region: str | None = None  # reads limited to this region and below; None: the whole city


class ClientKeys(Protocol):
    def authenticate(self, api_key: str | None, *, now: datetime) -> Open311Client:
        """The client behind `api_key`; raises `Unauthenticated` (missing, unknown, revoked) or `Forbidden`."""

    def record(self, client: Open311Client, *, method: str, filters: dict, rows: int, now: datetime,
               source: str | None) -> None:
        """Log one read (数据访问留痕): who, what, filters, rows, when, from where."""


class NoClients:
    """Until a consumer registry is wired in, every key is refused."""

    def authenticate(self, api_key: str | None, *, now: datetime) -> Open311Client:
        raise Unauthenticated("api_key 无效：尚未登记任何 Open311 接入方")

    def record(self, client, *, method, filters, rows, now, source) -> None:
        return None
