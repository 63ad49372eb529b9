"""The portal's adapters: the SMS sender (pluggable) and the photo store (files named by their hash)."""

from __future__ import annotations

import logging
import os
import re
import threading
from datetime import datetime
from pathlib import Path
from typing import Protocol

log = logging.getLogger("liandong.portal")
SHA = re.compile(r"^[0-9a-f]{64}$")


class SmsSender(Protocol):  # 短信网关
    def send(self, phone: str, text: str, *, now: datetime) -> None: ...


class FileSms:
    """The demo's sender: each message is a line of `sms.log` (and the log), nothing leaves the machine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def send(self, phone: str, text: str, *, now: datetime) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as f:
            f.write(f"{now.isoformat()}\t{phone}\t{text}\n")
        log.info("portal sms to %s…%s written to %s", phone[:3], phone[-2:], self.path)


class MemorySms:
    """Keeps what was sent (tests, the benchmark): `last_code(phone)`."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str, *, now: datetime) -> None:
        self.sent.append((phone, text))

    def last_code(self, phone: str) -> str | None:
        for to, text in reversed(self.sent):
            if to == phone:
                found = re.search(r"(\d{6})", text)
                return found.group(1) if found else None
        return None


class PhotoStore:
    """Photos as files `<root>/<aa>/<sha256>.jpg`, written whole (temporary file, then rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if not SHA.match(sha256):
            raise ValueError("not a SHA-256")
        return self.root / sha256[:2] / f"{sha256}.jpg"

    def put(self, sha256: str, data: bytes) -> bool:
        """Store the photo; whether this call created it (False: the same photo was already there)."""
        target = self.path(sha256)
        if target.exists():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        return True

    def remove(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def read(self, sha256: str) -> bytes | None:
        try:
            return self.path(sha256).read_bytes()
        except (FileNotFoundError, ValueError):
            return None
