"""Structured logs (结构化日志): one JSON object a line, with the request id, and no personal data.

    {"ts": "2026-12-02T01:02:03.456+00:00", "level": "INFO", "logger": "liandong.intake",
     "msg": "appeal stored", "request_id": "9f…", "appeal_id": "…", "orders": ["GD…"]}

Personal data: the code logs ids, never a caller's name or number; as a second line of defence every
message and extra field is scrubbed of anything shaped like a Chinese mobile or landline number
(kept: first 3 and last 4 digits, as `core.masking`), and fields named like a person's name are masked.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import datetime, timezone

from liandong.core import trace
from liandong.core.masking import mask_name, mask_phone

# a mobile (1[3-9]…, 11 digits) or a landline (0 + area code + 7–8 digits), not inside a longer number, a decimal or a hex id
PHONE = re.compile(r"(?<![0-9A-Za-z.])(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?![0-9A-Za-z])")
NAME_FIELDS = {"name", "caller_name", "citizen", "contact"}
PHONE_FIELDS = {"phone", "caller_phone", "mobile", "tel"}
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def scrub(text: str) -> str:
    return PHONE.sub(lambda m: mask_phone(m.group(0).replace("-", "")), text)


def _clean(key: str, value):
    if isinstance(value, str):
        if key in NAME_FIELDS:
            return mask_name(value)
        if key in PHONE_FIELDS:
            return mask_phone(value)
        return scrub(value)
    if isinstance(value, dict):
        return {k: _clean(k, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(key, v) for v in value]
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return scrub(str(value))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        rid = getattr(record, "request_id", None) or trace.current()
        if rid:
            out["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and key != "request_id" and not key.startswith("_"):
                out[key] = _clean(key, value)
        if record.exc_info:
            out["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def configure(*, fmt: str = "json", level: str = "INFO", path: str | None = None) -> None:
    """Send `liandong.*` and the server's logs to stderr (or `path`) as JSON lines or text; idempotent."""
    handler = logging.FileHandler(path, encoding="utf-8") if path else logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         TextFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler._liandong = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_liandong", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    logging.getLogger("liandong").setLevel(level.upper())
    if root.level > logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):  # the server's own lines go the same way, once
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True


def configure_from_env(env: dict | None = None, *, default_format: str | None = None) -> bool:
    """Configure from LIANDONG_LOG_FORMAT / LIANDONG_LOG_LEVEL / LIANDONG_LOG_FILE; with none of them
    and no `default_format`, leave logging alone (commands that print for a person)."""
    env = os.environ if env is None else env
    fmt = env.get("LIANDONG_LOG_FORMAT") or default_format
    path = env.get("LIANDONG_LOG_FILE")
    if fmt is None and path is None:
        return False
    configure(fmt=fmt or "json", level=env.get("LIANDONG_LOG_LEVEL", "INFO"), path=path)
    return True


_order_log = logging.getLogger("liandong.orders")


def log_order_event(_session, event) -> None:
    """An `orders.events` listener (wired in `app.py`): one line per order opened or action taken, by number only."""
    order = event.order
    action = getattr(event, "action", None)
    _order_log.info("order opened" if action is None else "order changed",
                    extra={"order": order.number, "platform": order.platform, "status": str(order.status),
                           "action": None if action is None else str(action), "unit": order.unit})
