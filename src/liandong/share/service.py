"""`Share`: the open-data capability as the composition root builds it — the city (to check regions
and units), the key that signs feed cursors, and each worker's rate limiter."""

from __future__ import annotations

from liandong.regions.registry import CityRegistry
from liandong.share.ratelimit import RateLimiter


class Share:  # 数据共享
    def __init__(self, city: CityRegistry, cursor_key: bytes) -> None:
        self.city = city
        self.cursor_key = cursor_key
        self.limiter = RateLimiter()
