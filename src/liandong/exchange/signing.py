"""HMAC-SHA256 over the exact body bytes (NetBox-style webhooks), one shared key per peer pair.

    signature = hex(HMAC-SHA256(secret, timestamp + "." + body))

`timestamp` is the decimal Unix time in seconds exactly as sent in `X-Liandong-Timestamp`. The
verifier refuses, each with its own code: no signature, an unknown peer or key id, a timestamp
outside the allowed skew, a body whose digest header does not match (altered in transit), and a
signature that does not match (wrong key or forged). Comparison is constant-time.

Pure functions: the time is passed in.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from liandong.exchange.errors import AuthRejected

log = logging.getLogger("liandong.exchange.signing")

H_PEER = "X-Liandong-Peer"
H_KEY_ID = "X-Liandong-Key-Id"
H_TIMESTAMP = "X-Liandong-Timestamp"
H_SIGNATURE = "X-Liandong-Signature"
H_DIGEST = "X-Liandong-Content-SHA256"
DEFAULT_SKEW_SECONDS = 300


@dataclass(frozen=True)
class Key:  # 密钥
    key_id: str
    secret: bytes


class KeyRing:
    """The keys of every peer: the first key of a peer signs, any listed key verifies (rotation)."""

    def __init__(self, keys: Mapping[str, list[Key]]) -> None:
        self._keys = {peer: list(ks) for peer, ks in keys.items()}

    def signing_key(self, peer: str) -> Key:
        return self._keys[peer][0]

    def lookup(self, peer: str, key_id: str) -> Key | None:
        for key in self._keys.get(peer, []):
            if key.key_id == key_id:
                return key
        return None

    def knows(self, peer: str) -> bool:
        return peer in self._keys


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    return hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def sign_headers(*, sender: str, key: Key, body: bytes, now: datetime) -> dict[str, str]:
    """Headers for one request from `sender`; the body must be sent byte for byte as signed."""
    ts = str(int(now.timestamp()))
    return {
        H_PEER: sender,
        H_KEY_ID: key.key_id,
        H_TIMESTAMP: ts,
        H_SIGNATURE: signature(key.secret, ts, body),
        H_DIGEST: hashlib.sha256(body).hexdigest(),
        "Content-Type": "application/json",
    }


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _refuse(code: str, message: str, **details) -> AuthRejected:
    log.warning("exchange auth refused: %s %s", code, details)
    return AuthRejected(message, code=code, details=details)


def verify(headers: Mapping[str, str], body: bytes, ring: KeyRing, *, now: datetime,
           skew_seconds: int = DEFAULT_SKEW_SECONDS) -> str:
    """Check one request's signature; returns the authenticated peer platform or raises AuthRejected."""
    h = _lower(headers)
    peer, key_id = h.get(H_PEER.lower()), h.get(H_KEY_ID.lower())
    ts, sig = h.get(H_TIMESTAMP.lower()), h.get(H_SIGNATURE.lower())
    if not sig or not ts or not key_id or not peer:
        raise _refuse("unsigned", "报文未签名：缺少对端、密钥编号、时间戳或签名头", peer=peer)
    if not ring.knows(peer):
        raise _refuse("unknown_peer", f"未登记的对端平台「{peer}」", peer=peer)
    key = ring.lookup(peer, key_id)
    if key is None:
        raise _refuse("unknown_key", f"对端「{peer}」的密钥编号「{key_id}」未登记", peer=peer, key_id=key_id)
    if not ts.isdigit() or len(ts) > 12:
        raise _refuse("bad_timestamp", "时间戳格式错误，应为 Unix 秒数", peer=peer)
    drift = int(ts) - int(now.timestamp())
    if abs(drift) > skew_seconds:
        raise _refuse("stale_timestamp", f"时间戳超出允许范围（±{skew_seconds} 秒，实际偏差 {drift} 秒），疑似重放或时钟不同步",
                      peer=peer, drift_seconds=drift)
    expected = signature(key.secret, ts, body)
    if not hmac.compare_digest(expected, sig.strip().lower()):
        digest = h.get(H_DIGEST.lower())
        if digest and not hmac.compare_digest(digest.lower(), hashlib.sha256(body).hexdigest()):
            raise _refuse("body_tampered", "报文内容在传输中被改动（摘要不符）", peer=peer)
        raise _refuse("bad_signature", "签名校验失败：密钥不符或报文被伪造", peer=peer, key_id=key_id)
    return peer
