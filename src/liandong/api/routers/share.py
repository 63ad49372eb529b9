"""Open data for registered consumers (数据共享): who am I, the datasets, scoped and masked reads."""

from __future__ import annotations

from fastapi import APIRouter

from liandong.api.consumer_deps import ConsumerDep
from liandong.share.scopes import DATASET_LABELS, FIELDS, KIND_LABELS, PERSONAL

router = APIRouter(tags=["数据共享 open data"])


@router.get("/share/me", summary="当前接入方及其授权范围")
def consumer_me(consumer: ConsumerDep) -> dict:
    return {"name": consumer.name, "kind": consumer.kind.value, "kind_label": KIND_LABELS[consumer.kind],
            "region": consumer.region, "unit": consumer.unit, "rate_per_minute": consumer.rate_per_minute,
            "datasets": {d: {"label": DATASET_LABELS[d], "fields": list(consumer.allowed_fields(d)),
                             "personal": [f for f in consumer.allowed_fields(d) if f in PERSONAL]}
                         for d in FIELDS if d in consumer.datasets},
            "unmasked": sorted(consumer.unmasked)}
