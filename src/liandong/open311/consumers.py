"""Open311 clients from the data-sharing registry (接入方登记): a consumer of kind open311 that may read the
orders dataset; its reads go to the shared access log (数据访问留痕) as interface `open311`."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Callable

from sqlalchemy.orm import Session

from liandong.core.errors import Forbidden, Throttled
from liandong.open311.keys import Open311Client
from liandong.share.consumers import authenticate
from liandong.share.scopes import Kind, authorise
from liandong.share.service import Share


class SharedClients:  # Open311 接入方 = 数据共享接入方（open311 类）
    def __init__(self, share: Share, read: Callable[[], AbstractContextManager[Session]]) -> None:
        self.share = share
        self._read = read

    def authenticate(self, api_key: str | None, *, now: datetime) -> Open311Client:
        with self._read() as session:
            consumer = authenticate(session, api_key)
        if consumer.kind is not Kind.OPEN311:
            raise Forbidden(f"接入方「{consumer.name}」不是 Open311 客户端，不能使用 Open311 接口")
        read = authorise(consumer, "orders")  # Forbidden without the orders dataset
        if wait := self.share.limiter.wait(consumer.id, consumer.rate_per_minute, time.monotonic()):
            raise Throttled(f"接入方「{consumer.name}」请求过于频繁：每分钟最多 {consumer.rate_per_minute} 次，请 {wait} 秒后重试",
                            retry_after=wait)
        return Open311Client(consumer.name, consumer.region, frozenset(read.fields), consumer.unit, ref=(consumer, read))

    def record(self, client: Open311Client, *, method: str, filters: dict, rows: int, now: datetime,
               source: str | None) -> None:
        consumer, read = client.ref
        self.share.log(consumer, "open311", read, {"method": method, **filters}, rows, source)
