"""A scripted router for order-lifecycle tests, where the routing decision is an input, not the subject.

Intake with the real routing engine is tested in tests/api/test_intake_routing.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from liandong.routing.decision import RoutingDecision


@dataclass
class ScriptedDecision:
    services: tuple[str, ...]
    unit_function: str | None
    category_name: str = "测试事项"
    review: bool = False
    level: str = "一般"

    def decision(self) -> RoutingDecision:
        return RoutingDecision(
            services=tuple(self.services), category_code=f"T-{self.category_name}", category_name=self.category_name,
            category_group="测试类", category_list="12345", kind="投诉", unit_function=self.unit_function,
            level=self.level, level_reasons=[], confidence=0.5 if self.review else 0.95, review=self.review,
            reasons=["测试：脚本化分流"])


@dataclass
class ScriptedRouter:
    """Routes by the first keyword found in the text; anything else goes to urban management."""

    script: dict[str, ScriptedDecision] = field(default_factory=lambda: {
        "停水": ScriptedDecision(("12345",), "water_supply", "自来水抢修"),
        "抢劫": ScriptedDecision(("110",), "public_security", "违法犯罪或其他报警事项"),
        "跳楼": ScriptedDecision(("110", "12345"), "street_office", "个人极端事件", level="较大"),
        "着火": ScriptedDecision(("119",), "fire_rescue", "火灾"),
        "航班": ScriptedDecision((), None, "非政务服务事项"),
        "不确定": ScriptedDecision(("12345",), "urban_management", "其他", review=True),
        "漏水": ScriptedDecision(("12345",), "street_office", "漏水问题"),
    })

    def route(self, text: str, channel: str = "12345", region: str | None = None) -> RoutingDecision:
        for word, decision in self.script.items():
            if word in text:
                return decision.decision()
        return ScriptedDecision(("12345",), "urban_management", "占道经营").decision()

    def route_many(self, items: list[dict]) -> list[RoutingDecision]:
        return [self.route(i["text"], i.get("channel", "12345"), i.get("region")) for i in items]
