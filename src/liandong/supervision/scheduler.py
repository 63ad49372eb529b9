"""The supervision check on a timer, inside the serving process (定时督办检查).

Every worker process may run one: `Supervision.run_checks` claims orders with SKIP LOCKED on PostgreSQL and
the version check refuses a second chase of the same lapse, so several workers never duplicate one.
"""

from __future__ import annotations

import logging
import threading

from liandong.core.clock import Clock
from liandong.supervision.service import Supervision, WriteTx

log = logging.getLogger("liandong.supervision")


class Scheduler:
    def __init__(self, supervision: Supervision, write: WriteTx, clock: Clock, *, interval: float = 60.0) -> None:
        self.supervision, self.write, self.clock = supervision, write, clock
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "Scheduler":
        self._thread = threading.Thread(target=self._loop, name="supervision", daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                report = self.supervision.run_checks(self.write, self.clock.now())
                if report.chased or report.supervised:
                    log.info("supervision: %s", report)
            except Exception:  # noqa: BLE001 - the next tick tries again; the error is logged
                log.exception("supervision check failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
