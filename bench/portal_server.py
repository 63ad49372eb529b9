"""The server process of bench/portal.py: the real app (real routing, intake queue, photo cleaning) on
`workers` uvicorn processes (default 1), with the portal's per-address limits widened — every request of
the benchmark comes from 127.0.0.1, which the city's limits would rightly stop after 30 reports an hour.

    python bench/portal_server.py PORT [WORKERS]
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.config import settings_from_env
from liandong.portal.rules import Limit


def factory():
    """One worker's app (uvicorn calls this in each worker process)."""
    ctx = Liandong(settings_from_env())
    rules = ctx.portal.rules
    wide = Limit(count=100_000, seconds=3600)
    limits = rules.limits.model_copy(update={"report_per_address": wide, "code_per_address": wide,
                                             "report_per_phone": wide, "follow_per_address": wide,
                                             "challenge_after": 1_000_000})
    ctx.portal.rules = ctx.portal_cases.rules = rules.model_copy(update={"limits": limits})
    return create_app(ctx, background=True)


if __name__ == "__main__":
    port, workers = int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1
    if workers == 1:
        uvicorn.run(factory(), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    else:
        uvicorn.run("portal_server:factory", factory=True, app_dir=str(Path(__file__).parent), host="127.0.0.1",
                    port=port, workers=workers, log_level="warning", access_log=False,
                    timeout_worker_healthcheck=120)  # a worker loads the routing model before it answers
