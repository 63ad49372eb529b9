"""Which orders an appeal opens, on which platform: the seeds' division of labour as a pure function.

    services            received at 12345                         received at 110
    {12345}             work order                                 police shadow → transfer to 12345
    {110}(+119/120)     work shadow → transfer to 110              police order
    {110, 12345}        police order + work order in parallel      police order + work order in parallel
                        (the 4 emergencies: 110 acts, 12345 dispatches departments at once)
    {119} / {120}       an order on the desk → transfer to 119/120
    {}                  an order on the desk for 引导解释 (the operator explains and refers)
"""

from __future__ import annotations

from dataclasses import dataclass

EMERGENCY_PEERS = ("119", "120")


@dataclass(frozen=True)
class OrderPlan:
    primary: str  # platform of the order opened first (on the receiving desk or the acting one)
    transfer_to: str | None = None  # the primary order is a shadow, handed to this platform
    parallel: str | None = None  # a second live order on the other platform
    notify: tuple[str, ...] = ()  # emergency services told as well (119/120 beside 110)
    auto_dispatch: bool = True


def plan_orders(services: tuple[str, ...] | list[str], receiving: str, *, review: bool) -> OrderPlan:
    s = set(services)
    other = "110" if receiving == "12345" else "12345"
    notify = tuple(p for p in EMERGENCY_PEERS if p in s)
    if "110" in s and "12345" in s:
        return OrderPlan(primary="110", parallel="12345", notify=notify, auto_dispatch=not review)
    if "110" in s:
        if receiving == "110":
            return OrderPlan(primary="110", notify=notify, auto_dispatch=not review)
        return OrderPlan(primary=receiving, transfer_to="110", notify=notify, auto_dispatch=not review)
    if "12345" in s:
        if receiving == "12345":
            return OrderPlan(primary="12345", notify=notify, auto_dispatch=not review)
        return OrderPlan(primary=receiving, transfer_to=other, notify=notify, auto_dispatch=not review)
    if notify:
        return OrderPlan(primary=receiving, transfer_to=notify[0], notify=notify[1:], auto_dispatch=False)
    return OrderPlan(primary=receiving, auto_dispatch=False)
