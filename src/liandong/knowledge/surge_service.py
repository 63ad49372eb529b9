"""Surge mode as stored and checked (话务激增): every switch is a row of its own (the audit), the last one is the
state. In surge: a banner with the incident's pinned wording (统一口径), appeals matching the incident's
keywords linked to its lead order, and web/WeChat/app consultations matching a public entry with high
confidence answered at once from it — never an appeal routing sends to 110/119/120.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor, Role, require_role
from liandong.core.errors import Conflict, InvalidInput
from liandong.knowledge.surge import WINDOW, SurgePolicy, baseline_days, decide
from liandong.knowledge.tables import SurgeSwitchRow

SELF_SERVICE = frozenset({"web", "wechat", "app"})
EMERGENCY = frozenset({"110", "119", "120"})


@dataclass(frozen=True)
class SurgeState:  # 当前激增状态
    on: bool
    incident: str = ""
    wording: str = ""
    keywords: tuple[str, ...] = ()
    lead_order: str | None = None
    since: datetime | None = None

    def matches(self, text: str) -> bool:
        return self.on and any(k and k in text for k in self.keywords)


OFF = SurgeState(False)


@dataclass
class Surge:  # 话务激增
    calendar: object  # supervision's WorkingCalendar (is_working_day)
    search: Callable  # Knowledge.search
    policy: SurgePolicy = SurgePolicy()
    cache_s: float = 5.0

    def __post_init__(self) -> None:
        self._cached: tuple[float, SurgeState] | None = None

    def state(self, session: Session, *, fresh: bool = False) -> SurgeState:
        """The current state; intake reads it through a few seconds' cache (one query per appeal is too many)."""
        if not fresh and self._cached and time.monotonic() - self._cached[0] < self.cache_s:
            return self._cached[1]
        row = session.scalar(select(SurgeSwitchRow).order_by(SurgeSwitchRow.id.desc()).limit(1))
        state = OFF if row is None or not row.on else \
            SurgeState(True, row.incident, row.wording, tuple(row.keywords or ()), row.lead_order, row.at)
        self._cached = (time.monotonic(), state)
        return state

    def on_intake(self, session: Session, *, channel: str, services, kind: str, text: str, region: str | None,
                  now: datetime):
        """(the incident's lead order to link, the entry hit to answer from) for one appeal, or (None, None)."""
        state = self.state(session)
        if not state.on:
            return None, None
        lead = state.lead_order if state.matches(text) else None
        if channel not in SELF_SERVICE or kind != "咨询" or set(services) & EMERGENCY:
            return lead, None
        hits = self.search(text, region=region, public_only=True, limit=1, now=now)
        return lead, hits[0] if hits and auto_answerable(state, channel, services, kind, hits[0], self.policy) else None

    def switch(self, session: Session, *, on: bool, actor: Actor, now: datetime, reason: str, incident: str = "",
               wording: str = "", keywords: tuple[str, ...] = (), lead_order: str | None = None) -> SurgeSwitchRow:
        """A supervisor's switch (手动开启/关闭), with its reason."""
        require_role(actor, Role.SUPERVISOR)
        if not reason.strip():
            raise InvalidInput("开启或关闭话务激增模式须写明原因")
        if on and not incident.strip():
            raise InvalidInput("开启话务激增模式须填写事件名称")
        if self.state(session, fresh=True).on == on and not on:
            raise Conflict("话务激增模式当前未开启")
        return self._write(session, on, "manual", reason, actor, now, incident, wording, keywords, lead_order)

    def check(self, session: Session, now: datetime, actor: Actor) -> SurgeSwitchRow | None:
        """The automatic switch: the last 15 minutes against the slot's baseline (SQL counts)."""
        current = self.state(session, fresh=True)
        days = baseline_days(now, self.calendar.is_working_day, self.policy.baseline_days)
        arrivals = session.scalar(select(func.count()).select_from(AppealRow)
                                  .where(AppealRow.received_at > now - WINDOW, AppealRow.received_at <= now))
        slot = now - datetime.combine(now.date(), datetime.min.time(), now.tzinfo)
        cases = [case(((AppealRow.received_at > start - WINDOW) & (AppealRow.received_at <= start), 1), else_=0)
                 for start in (datetime.combine(d, datetime.min.time(), now.tzinfo) + slot for d in days)]
        past = session.execute(select(*[func.coalesce(func.sum(c), 0) for c in cases])
                               .where(AppealRow.received_at > now - timedelta(days=60))).one() if cases else ()
        baseline = sum(past) / len(days) if days else 0.0
        d = decide(current.on, arrivals, baseline, self.policy)
        if d is None:
            return None
        return self._write(session, d.on, "auto", d.reason, actor, now, current.incident or "话务激增（自动）",
                           current.wording, current.keywords, current.lead_order)

    def _write(self, session, on, mode, reason, actor, now, incident, wording, keywords, lead_order) -> SurgeSwitchRow:
        row = SurgeSwitchRow(on=on, mode=mode, reason=reason[:500], incident=incident[:100], wording=wording[:2000],
                             keywords=[k for k in keywords if k][:20], lead_order=lead_order, actor=actor.name, at=now)
        session.add(row)
        session.flush()
        self._cached = None
        return row


def auto_answerable(state: SurgeState, channel: str, services, kind: str, hit, policy: SurgePolicy) -> bool:
    """In surge, a self-service consultation a public entry answers with high confidence; never an emergency."""
    return (state.on and channel in SELF_SERVICE and kind == "咨询" and not (set(services) & EMERGENCY)
            and hit is not None and hit.public and hit.score >= policy.auto_answer_score)
