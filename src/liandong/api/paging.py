"""The one paging rule of the API: every list takes `page` and `page_size` through `Paging`, bounded here.

Unbounded, `page=9223372036854775807` overflowed the OFFSET (`(page - 1) * page_size`) into a 500; bounded
once, every list refuses it alike with 422 and a Chinese message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

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
