"""Linkage (联动): everything about an order crossing between platforms, in one process or between desks.

    rules     the city's linkage data (linkage.yaml) and its time limits (negotiation, acceptance)
    plan      the one planner: the seeds' rows → steps → the orders a desk opens and what peers are told
    feedback  the one feedback table: work on a received order → reports → actions on the origin's shadow
    service   Linkage, the order core's listener: shadows in one process, messages to peer desks
    outgoing  the messages a desk queues (transfer, recall, negotiation, escalation, reports)
    incoming  ExchangeHandlers: the messages a desk receives → orders
    watch     overdue transfers, expired negotiations (首接负责制)
    desk      DeskExchange: one desk's peers, mappings, relay, receiving route and watch loop

The only package that imports both `orders` and `exchange` (tests/unit/test_architecture.py).
"""
