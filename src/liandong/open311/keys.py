"""Who calls Open311: a registered consumer (数据共享接入方, kind open311) known by its `api_key`.

The consumer registry and the access log belong to the data-sharing capability; Open311 needs only
this much of them: the composition root passes `open311.consumers.SharedClients` in, tests a fake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Open311Client:  # Open311 接入方
    name: str
    region: str | None = None  # GB/T 2260 code: reads limited to this region and below; None or the city: all
    fields: frozenset[str] | None = None  # the orders-dataset fields it may read; None: all
    unit: str | None = None  # a department's client: that unit's orders only
    ref: object = None  # the registry's own record of the consumer, handed back to `record`


class ClientKeys(Protocol):
    def authenticate(self, api_key: str | None, *, now: datetime) -> Open311Client:
        """The client behind `api_key`; raises `Unauthenticated` (missing, unknown, revoked) or `Forbidden`."""

    def record(self, client: Open311Client, *, method: str, filters: dict, rows: int, now: datetime,
               source: str | None) -> None:
        """Log one read (数据访问留痕): who, what, filters, rows, when, from where."""
