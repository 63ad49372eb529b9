"""Every open-data interface, as the property test (tests/integration/test_share_properties.py) calls it.

An interface is `fn(world, key, consumer, ask) -> list[dict] | None`: the rows it served to the consumer
with API key `key` for the request `ask` (dataset, fields, unmasked, purpose), or None if it refused the
request (the test then checks the refusal was due). Another interface (Open311, webhooks) joins the
property by appending itself to INTERFACES.
"""

from __future__ import annotations

from dataclasses import dataclass

from liandong.exchange.signing import Key
from liandong.share import batch
from liandong.share.scopes import Consumer


@dataclass(frozen=True)
class Ask:  # one request of a consumer
    dataset: str
    fields: tuple[str, ...] | None
    unmasked: tuple[str, ...]
    purpose: str | None

    def params(self) -> dict:
        p = {}
        if self.fields:
            p["fields"] = ",".join(self.fields)
        if self.unmasked:
            p["unmasked"] = ",".join(self.unmasked)
        if self.purpose:
            p["purpose"] = self.purpose
        return p


def query_api(world, key: str, consumer: Consumer, ask: Ask):
    r = world.client.get(f"/api/v1/share/datasets/{ask.dataset}", headers={"X-Api-Key": key},
                         params={**ask.params(), "limit": 1000})
    assert r.status_code in (200, 403, 404, 422), r.text
    return r.json()["rows"] if r.status_code == 200 else None


def feed_api(world, key: str, consumer: Consumer, ask: Ask):
    r = world.client.get(f"/api/v1/feed/{ask.dataset}", headers={"X-Api-Key": key},
                         params={**ask.params(), "limit": 5000})
    assert r.status_code in (200, 403, 404, 422), r.text
    return [c["data"] for c in r.json()["changes"]] if r.status_code == 200 else None


def batch_export(world, key: str, consumer: Consumer, ask: Ask):
    if ask.fields or ask.unmasked:  # a batch file carries the consumer's whole (masked) scope
        return None
    try:
        body, manifest = world.ctx.share.export(consumer, ask.dataset, since=None, until=None, fmt="jsonl",
                                                key=Key("t", b"k" * 16))
    except Exception:  # noqa: BLE001 — refused: the test checks the refusal was due
        return None
    return batch.rows_of(batch.Verified(manifest, body))


INTERFACES = [query_api, feed_api, batch_export]
