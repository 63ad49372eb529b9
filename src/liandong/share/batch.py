"""Batch files (批量文件): a dataset as CSV or JSON Lines with a signed manifest, and its verification.

    orders-20261101-20261201.csv            the rows, as the consumer may see them (masked)
    orders-20261101-20261201.manifest.json  {schema_version, dataset, format, fields, rows, sha256,
                                             period: {since, until}, consumer, masked, created_at,
                                             key_id, signature}

The signature is the exchange's (`exchange.signing.signature`): HMAC-SHA256 with a desk key over
`created_at_unix + "." + canonical manifest` (the manifest without `signature`, keys sorted, UTF-8).
`verify_manifest` checks the signature, the schema version and the file's SHA-256 before a single row
is parsed; `rows_of` then refuses the whole file if its row count is not the manifest's.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from liandong.core.errors import InvalidInput
from liandong.exchange.signing import Key, signature

SCHEMA_VERSION = "liandong.share/1"
FORMATS = ("csv", "jsonl")


def render(rows: list[dict], fields: list[str], fmt: str) -> bytes:
    if fmt == "jsonl":
        return "".join(json.dumps({f: r.get(f) for f in fields}, ensure_ascii=False) + "\n" for r in rows).encode()
    if fmt != "csv":
        raise InvalidInput(f"文件格式应为 {'、'.join(FORMATS)} 之一")
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue().encode()


def _canonical(manifest: dict) -> bytes:
    return json.dumps({k: v for k, v in manifest.items() if k != "signature"}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()


def make_manifest(*, body: bytes, dataset: str, fmt: str, fields: list[str], rows: int, since: datetime | None,
                  until: datetime | None, consumer: str, masked: bool, key: Key, now: datetime) -> dict:
    manifest = {"schema_version": SCHEMA_VERSION, "dataset": dataset, "format": fmt, "fields": fields, "rows": rows,
                "sha256": hashlib.sha256(body).hexdigest(),
                "period": {"since": since.isoformat() if since else None, "until": until.isoformat() if until else None},
                "consumer": consumer, "masked": masked, "created_at": int(now.timestamp()), "key_id": key.key_id}
    manifest["signature"] = signature(key.secret, str(manifest["created_at"]), _canonical(manifest))
    return manifest


@dataclass(frozen=True)
class Verified:  # a batch file whose manifest checked out
    manifest: dict
    body: bytes


def verify_manifest(manifest_path: Path, keys: dict[str, Key]) -> Verified:
    """Check the manifest and the file it names before reading a row; InvalidInput says what is wrong."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"无法读取清单文件 {manifest_path}：{exc}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("signature"), str):
        raise InvalidInput("清单格式错误：缺少签名（signature）")
    key = keys.get(str(manifest.get("key_id")))
    if key is None:
        raise InvalidInput(f"清单的密钥编号「{manifest.get('key_id')}」未登记")
    expected = signature(key.secret, str(manifest.get("created_at")), _canonical(manifest))
    if not hmac.compare_digest(expected, manifest["signature"]):
        raise InvalidInput("清单签名校验失败：清单被改动或密钥不符")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise InvalidInput(f"不支持的数据格式版本「{manifest.get('schema_version')}」，应为 {SCHEMA_VERSION}")
    if manifest.get("format") not in FORMATS:
        raise InvalidInput("清单中的文件格式无效")
    data_path = data_path_of(manifest_path, manifest)
    try:
        body = data_path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"无法读取数据文件 {data_path}：{exc.strerror}") from None
    if hashlib.sha256(body).hexdigest() != manifest.get("sha256"):
        raise InvalidInput("数据文件的 SHA-256 与清单不符：文件不完整或被改动")
    return Verified(manifest, body)


def data_path_of(manifest_path: Path, manifest: dict) -> Path:
    return manifest_path.with_name(manifest_path.name.removesuffix(".manifest.json") + "." + manifest["format"])


def rows_of(v: Verified) -> list[dict]:
    """Every row of a verified file, or InvalidInput if their number is not the manifest's (none is used)."""
    try:
        text = v.body.decode("utf-8")
        rows = [json.loads(line) for line in text.splitlines() if line] if v.manifest["format"] == "jsonl" \
            else list(csv.DictReader(io.StringIO(text)))
    except (UnicodeDecodeError, ValueError, csv.Error) as exc:
        raise InvalidInput(f"数据文件无法解析：{exc}") from None
    if len(rows) != v.manifest.get("rows"):
        raise InvalidInput(f"数据文件行数 {len(rows)} 与清单记载的 {v.manifest.get('rows')} 不符")
    return rows
