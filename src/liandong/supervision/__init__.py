"""Supervision (督办): the pure core — no database, no clock, no server.

    calendar        WorkingCalendar (工作日历), add_working_days / add_working_hours / working_time_between
    limits          time limits as city data (cities/<city>/time_limits.yaml) → TimeLimitPolicy, TimeLimits
    deadlines       OrderTimes → the deadlines of 签收 / 答复 / 办结 / 回访
    warnings        lights 正常 / 黄灯 / 红灯 and the actions due, CHASE (催办) and SUPERVISE (督办)
    bounces         推诿: transfers and returns along an order's chain of units
    appeal_text     text → content, place keys, hashed features
    appeal_columns  AppealColumns: the columnar store of indexed appeals (features, places, per-caller / per-region blocks)
    similarity      SimilarityIndex: repeat calls (重复来电) and mass complaints (群诉) by blocking + TF-IDF cosine
    related         relate(): repeat / mass relations and the caller flag (恶意骚扰, a flag, never a block)

Shells of the near-duplicate search (database): related_store (the candidate rows written with each appeal),
related_candidates (a batch's candidates read in a few queries), related_service (RelatedFinder, at intake).
"""
