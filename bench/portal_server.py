"""The server process of bench/portal.py: the real app (real routing, intake queue, photo cleaning) on one
uvicorn worker, with the portal's per-address limits widened — every request of the benchmark comes from
127.0.0.1, which the city's limits would rightly stop after 30 reports an hour."""

from __future__ import annotations

import sys

import uvicorn

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.config import settings_from_env
from liandong.portal.rules import Limit

if __name__ == "__main__":
    ctx = Liandong(settings_from_env())
    rules = ctx.portal.rules
    wide = Limit(count=100_000, seconds=3600)
    limits = rules.limits.model_copy(update={"report_per_address": wide, "code_per_address": wide,
                                             "report_per_phone": wide, "follow_per_address": wide,
                                             "challenge_after": 1_000_000})
    ctx.portal.rules = ctx.portal_cases.rules = rules.model_copy(update={"limits": limits})
    uvicorn.run(create_app(ctx, background=True), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
                access_log=False)
