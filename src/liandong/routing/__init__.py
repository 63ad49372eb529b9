"""Routing engine (智能分流): which services act on an appeal, its list item, level and reasons.

    from liandong.routing.router import load_router
    router = load_router("demo")
    decision = router.route("商场里着火了", channel="12345")   # a routing.decision.RoutingDecision

Importing this package loads nothing: the model stack (scikit-learn, jieba) is loaded by `routing.router`.
"""
