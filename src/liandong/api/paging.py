"""The one paging rule of the API: every list takes `page` and `page_size` through `Paging`, bounded here;
and the one shape of a date in a query (`Day`).

Unbounded, `page=9223372036854775807` overflowed the OFFSET (`(page - 1) * page_size`) into a 500; bounded
once, every list refuses it alike with 422 and a Chinese message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BeforeValidator

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class Page:
    page: int
    page_size: int


def paging(page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="页码，从 1 起")] = 1,
           page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="每页条数")] = 20) -> Page:
    return Page(page, page_size)


Paging = Annotated[Page, Depends(paging)]


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(v: object) -> object:
    """A query's date is `YYYY-MM-DD`, as the schema's `format: date` says: pydantic alone read `0` or
    `1700000000` as a Unix time (1970-01-01) and answered orders of a day nobody asked for."""
    if isinstance(v, str) and not _ISO_DAY.fullmatch(v.strip()):
        raise ValueError("日期应写作 YYYY-MM-DD，如 2026-11-23")
    return v.strip() if isinstance(v, str) else v


Day = BeforeValidator(_iso_day)  # with `date`: `Annotated[date | None, Day]`


_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?")


def _iso_instant(v: object) -> object:
    """A query's instant is ISO 8601 date and time, as the schema's `format: date-time` says: pydantic
    alone read `0.5` as a Unix time (1970-01-01T00:00:00.5Z)."""
    if isinstance(v, str) and not _ISO_INSTANT.fullmatch(v.strip()):
        raise ValueError("应为日期时间（ISO 8601，如 2026-11-23T09:30:00+08:00）")
    return v.strip() if isinstance(v, str) else v


Instant = BeforeValidator(_iso_instant)  # with `datetime`: `Annotated[datetime | None, Instant]`
