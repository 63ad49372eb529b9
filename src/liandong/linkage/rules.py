"""Linkage rules (联动规则): the city's data (`cities/<city>/linkage.yaml`) and the seeds' rules over it.

The planner (`linkage.plan`) reads them for each appeal; the time limits (`negotiation_outcome`,
`transfer_overdue`) are applied by `linkage.watch`.

The rows of the planner, with their sources in the seeds, are in `linkage/plan.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from liandong.core.errors import ConfigError
from liandong.core.types import Platform
from liandong.exchange import yamlio
from liandong.exchange.messages import Level

GOV, POLICE = Platform.GOV, Platform.POLICE


@dataclass(frozen=True)
class LevelRule:
    police_first: bool
    notify_12345: bool
    escalate: bool


@dataclass(frozen=True)
class LinkageRules:
    service_platforms: dict[str, str]
    emergency_platforms: frozenset[str]
    four_emergencies: frozenset[str]
    levels: dict[Level, LevelRule]
    escalation_platform: str
    escalation_unit: str
    negotiation_minutes: int
    accept_within_minutes: int
    relay_chains: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class NegotiationOutcome:  # 协商结果
    state: str  # agreed | pending | first_receiver_keeps
    taker: str | None
    deadline: datetime


def negotiation_outcome(*, proposed_at: datetime, now: datetime, first_receiver: str, rules: LinkageRules,
                        agreed_taker: str | None = None) -> NegotiationOutcome:
    """Agreed → the agreed platform takes it; past the limit unresolved → first receiver keeps it (首接负责制)."""
    deadline = proposed_at + timedelta(minutes=rules.negotiation_minutes)
    if agreed_taker:
        return NegotiationOutcome("agreed", agreed_taker, deadline)
    if now >= deadline:
        return NegotiationOutcome("first_receiver_keeps", first_receiver, deadline)
    return NegotiationOutcome("pending", None, deadline)


@dataclass(frozen=True)
class OverdueWarning:  # 超时未签收预警
    minutes_overdue: int
    due_at: datetime


def transfer_overdue(*, sent_at: datetime, accepted_at: datetime | None, now: datetime,
                     rules: LinkageRules) -> OverdueWarning | None:
    """A warning when a transfer has not been accepted within the limit (none once accepted in time)."""
    due = sent_at + timedelta(minutes=rules.accept_within_minutes)
    done = accepted_at or now
    if done <= due:
        return None
    return OverdueWarning(minutes_overdue=int((done - due).total_seconds() // 60), due_at=due)


def load_linkage(path: str | Path) -> LinkageRules:
    p = str(path)
    data = yamlio.load(path)
    line = yamlio.line_of(data)
    try:
        levels_raw = data["levels"]
        levels = {Level(k): LevelRule(**{f: bool(v[f]) for f in ("police_first", "notify_12345", "escalate")})
                  for k, v in levels_raw.items() if k != yamlio.LINE}
        target = data["escalation_target"]
        rules = LinkageRules(
            service_platforms={k: str(v) for k, v in data["service_platforms"].items() if k != yamlio.LINE},
            emergency_platforms=frozenset(map(str, data["emergency_platforms"])),
            four_emergencies=frozenset(map(str, data["four_emergencies"])),
            levels=levels,
            escalation_platform=str(target["platform"]), escalation_unit=str(target["unit"]),
            negotiation_minutes=int(data["negotiation_minutes"]),
            accept_within_minutes=int(data["accept_within_minutes"]),
            relay_chains={k: tuple(v) for k, v in (data.get("relay_chains") or {}).items() if k != yamlio.LINE},
        )
    except KeyError as exc:
        raise ConfigError(p, f"缺少字段 {exc.args[0]}", line=line) from exc
    except (TypeError, ValueError) as exc:
        raise ConfigError(p, f"字段取值无效：{exc}", line=line) from exc
    if set(rules.levels) != set(Level):
        raise ConfigError(p, "levels 必须覆盖 general/major/serious/extraordinary 四级", line=yamlio.line_of(levels_raw))
    if rules.negotiation_minutes <= 0 or rules.accept_within_minutes <= 0:
        raise ConfigError(p, "时限必须为正数（分钟）", line=line)
    return rules
