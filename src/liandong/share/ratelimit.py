"""A consumer's rate limit (限流): a token bucket per consumer, per worker process. Pure: time is passed in."""

from __future__ import annotations

import threading


class RateLimiter:
    def __init__(self) -> None:
        self._buckets: dict[int, tuple[float, float]] = {}  # consumer id → (tokens, at)
        self._lock = threading.Lock()

    def allow(self, consumer_id: int, per_minute: int, now: float) -> bool:
        """Whether one more request fits: the bucket holds `per_minute` and refills at per_minute/60 per second."""
        with self._lock:
            tokens, at = self._buckets.get(consumer_id, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - at) * per_minute / 60.0)
            if tokens < 1.0:
                self._buckets[consumer_id] = (tokens, now)
                return False
            self._buckets[consumer_id] = (tokens - 1.0, now)
            return True
