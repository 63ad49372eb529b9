"""The routing decision (分流结果) — the public result of `Router.route`."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

KINDS = ("咨询", "求助", "投诉", "举报", "建议")


@dataclass(frozen=True)
class RoutingDecision:  # 分流结果
    services: tuple[str, ...]  # sorted subset of 110/119/120/12345; () = refer the caller (引导解释)
    category_code: str | None
    category_name: str | None
    category_group: str | None
    category_list: str | None  # "12345→110", "110→12345", "119", "120", "引导解释", ...
    kind: str  # 咨询/求助/投诉/举报/建议
    unit_function: str | None  # a key of cities/functions.yaml
    level: str  # 一般/较大/重大/特别重大
    level_reasons: list[str] = field(default_factory=list)
    confidence: float = 0.0
    review: bool = False  # a person must decide (熔断)
    reasons: list[str] = field(default_factory=list)
    unit: str | None = None  # the concrete unit that serves the appeal's place (set at intake from the registry)
    place: dict | None = None  # 属地: the place resolved from the words (region, reason, candidates), if no code given

    def with_unit(self, unit: str | None, place: dict | None = None) -> "RoutingDecision":
        return replace(self, unit=unit, place=place)

    @classmethod
    def from_dict(cls, data: dict) -> "RoutingDecision":
        """Back from stored JSON (`to_dict`); keys that are not fields (e.g. `related`) are ignored."""
        names = {f.name for f in fields(cls)}
        known = {k: v for k, v in data.items() if k in names}
        known["services"] = tuple(known.get("services") or ())
        known.setdefault("category_code", None)
        known.setdefault("category_name", None)
        known.setdefault("category_group", None)
        known.setdefault("category_list", None)
        known.setdefault("kind", "求助")
        known.setdefault("unit_function", None)
        known.setdefault("level", "一般")
        return cls(**known)

    def to_dict(self) -> dict:
        """Plain JSON-ready data (not `dataclasses.asdict`, whose deep copy cost a tenth of a routing)."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d.update(services=list(self.services), level_reasons=list(self.level_reasons), reasons=list(self.reasons))
        return d
