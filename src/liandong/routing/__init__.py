"""Routing engine (智能分流): which services act on an appeal, its list item, level and reasons.

    from liandong.routing import load_router, RoutingDecision
    router = load_router("demo")
    decision = router.route("商场里着火了", channel="12345")
"""

from liandong.routing.decision import RoutingDecision
from liandong.routing.router import Router, load_router

__all__ = ["RoutingDecision", "Router", "load_router"]
