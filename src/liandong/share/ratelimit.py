"""A consumer's rate limit (限流): a token bucket per consumer, per worker process. Pure: time is passed in."""

from __future__ import annotations

import math
import threading


class RateLimiter:
    def __init__(self) -> None:
        self._buckets: dict[int, tuple[float, float]] = {}  # consumer id → (tokens, at)
        self._lock = threading.Lock()

    def wait(self, consumer_id: int, per_minute: int, now: float) -> int:
        """0 when one more request fits (and it is counted), else the whole seconds until one will (Retry-After).
        The bucket holds `per_minute` and refills at per_minute/60 per second."""
        rate = per_minute / 60.0
        with self._lock:
            tokens, at = self._buckets.get(consumer_id, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - at) * rate)
            if tokens < 1.0:
                self._buckets[consumer_id] = (tokens, now)
                return max(1, math.ceil((1.0 - tokens) / rate)) if rate > 0 else 60
            self._buckets[consumer_id] = (tokens - 1.0, now)
            return 0
