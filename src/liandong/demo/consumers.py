"""Demo consumers (数据共享接入方) on the 12345 desk: a department reading its orders, the city operations
centre, an Open311 client and the police's own system — their API keys in var/demo-consumers.json."""

from __future__ import annotations

import json
from pathlib import Path

from liandong.app import Liandong
from liandong.share import consumers as registry

DEMO_CONSUMERS = [  # name, kind, datasets, region, unit, fields
    ("城管局业务系统", "department", "orders,events,stats", None, "URBAN", None),
    ("城市运行管理中心", "ops_centre", "orders,events,stats", None, None, None),
    ("Open311客户端", "open311", "appeals,orders", None, None, None),
    ("公安警务平台", "police_system", "orders,events", None, None, None),
]


def create_demo_consumers(ctx: Liandong, path: Path) -> list[dict]:
    rows = []
    with ctx.write() as session:
        for name, kind, datasets, region, unit, fields in DEMO_CONSUMERS:
            row, key = registry.add_consumer(session, ctx.city, name=name, kind=kind, datasets=datasets, region=region,
                                             fields=fields, unmasked=None, purpose=None, unit=unit,
                                             rate_per_minute=600, now=ctx.clock.now())
            rows.append({"name": name, "kind": kind, "datasets": list(row.datasets), "region": row.region,
                         "unit": unit, "api_key": key})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return rows
