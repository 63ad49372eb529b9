"""The FastAPI router as the lead mounts it (over ASGI, no socket): status codes, JSON bodies, duplicate header, signed answers."""

from __future__ import annotations

import orjson
from exchange_testkit import KEY, peers_of
from exchange_peer_app import PeerHandlers
from fastapi import FastAPI
import asyncio

import httpx

from liandong.exchange.http import make_exchange_router
from liandong.exchange.messages import Address, Caller, CategoryRef, OrderRef, TransferPayload, encode, new_message
from liandong.exchange.receiver import ReceiverSettings
from liandong.exchange.signing import sign_headers, verify
from liandong.storage.db import transaction


def test_router_answers_accepts_duplicates_and_refusals(make_db, clock):
    factory = make_db("router110")
    settings = ReceiverSettings(local_platform="110", keyring=peers_of("110", "12345").keyring(), clock=clock)
    app = FastAPI()
    app.include_router(make_exchange_router(lambda: transaction(factory), lambda s: PeerHandlers("110", clock), settings))
    msg = new_message("transfer", sender_platform="12345", sender_unit="话务员", receiver_platform="110",
                      order_ref=OrderRef(origin_platform="12345", origin_order_id="GD-1"), sent_at=clock.now(),
                      category=CategoryRef(sender_code="jc-12345to110-007"),
                      payload=TransferPayload(appeal_text="违法停车", caller=Caller(),
                                              address=Address(text="凤台街", region_code="140502")))
    body = encode(msg)
    headers = sign_headers(sender="12345", key=KEY, body=body, now=clock.now())

    async def calls():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://110.test") as client:
            url = "/api/v1/exchange/messages"
            return [await client.post(url, content=body, headers=headers),
                    await client.post(url, content=body, headers=headers),
                    await client.post(url, content=body + b" ", headers=headers),
                    await client.post(url, content=body)]

    first, again, forged, unsigned = asyncio.run(calls())
    assert first.status_code == 200 and first.json()["receiver_order_id"].startswith("110-")
    assert verify(first.headers, first.content, peers_of("12345", "110").keyring(), now=clock.now()) == "110"
    assert again.status_code == 200 and again.headers["X-Liandong-Duplicate"] == "1" and again.content == first.content
    assert "X-Liandong-Duplicate" not in first.headers
    assert (forged.status_code, forged.json()["code"]) == (401, "body_tampered")
    assert (unsigned.status_code, unsigned.json()["code"], unsigned.json()["retryable"]) == (401, "unsigned", False)
    assert "未签名" in orjson.loads(unsigned.content)["message"]
