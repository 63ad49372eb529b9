from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from liandong.core.clock import CST
from liandong.exchange.messages import (PROTOCOL, Address, Caller, CategoryRef, Kind, OrderRef, TransferMessage,
                                        TransferPayload, encode, new_message, parse_message)
from liandong.exchange.schemas import json_schema, render

ROOT = Path(__file__).resolve().parents[3]
AT = datetime(2026, 9, 30, 16, 0, tzinfo=CST)


def transfer(**over):
    fields = dict(sender_platform="12345", sender_unit="话务员 07", receiver_platform="110",
                  order_ref=OrderRef(origin_platform="12345", origin_order_id="GD-140502-20260930-000001"),
                  sent_at=AT, category=CategoryRef(sender_code="jc-12345to110-007", receiver_code="110-0107"),
                  payload=TransferPayload(appeal_text="违法停车", caller=Caller(phone_masked="138****0000", contact_token="t1"),
                                          address=Address(text="凤台街 1 号", region_code="140502")))
    fields.update(over)
    return new_message("transfer", **fields)


def test_round_trip_is_byte_stable():
    msg = transfer()
    body = encode(msg)
    again = parse_message(body)
    assert isinstance(again, TransferMessage) and again == msg and encode(again) == body
    data = json.loads(body)
    assert data["protocol"] == PROTOCOL and data["kind"] == "transfer" and data["seq"] == 1
    assert data["order_ref"]["peer_order_id"] is None and len(data["message_id"]) == 32


def test_kind_selects_the_payload_model():
    data = json.loads(encode(transfer()))
    data["kind"] = "result"
    with pytest.raises(ValidationError) as err:
        parse_message(json.dumps(data).encode())
    assert "result" in str(err.value)


@pytest.mark.parametrize("mutate", [
    lambda d: d.update(extra_field=1),
    lambda d: d.update(protocol="liandong-exchange/2"),
    lambda d: d.update(seq=0),
    lambda d: d.update(sent_at="2026-09-30T16:00:00"),  # no offset
    lambda d: d["payload"]["address"].update(region_code="14"),
    lambda d: d.update(sender_platform="Police HQ"),
])
def test_malformed_messages_are_refused(mutate):
    data = json.loads(encode(transfer()))
    mutate(data)
    with pytest.raises(ValidationError):
        parse_message(json.dumps(data).encode())


def test_every_kind_has_a_schema_and_the_committed_files_are_current():
    for kind in Kind:
        schema = json_schema(kind)
        assert schema["properties"]["kind"]["const"] == kind.value
        path = ROOT / "docs" / "schemas" / "exchange" / f"{kind.value}.json"
        assert path.read_text(encoding="utf-8") == render(kind), (
            f"{path} is stale: run python -m liandong.exchange.schemas docs/schemas/exchange")


def test_transfer_schema_requires_category_and_payload():
    assert {"category", "payload", "order_ref", "seq", "sent_at"} <= set(json_schema("transfer")["required"])
