"""Linkage policy (联动规则): what to transfer, notify, negotiate or escalate — pure functions over data.

The rules, from the seeds (晋城 三(一)(二)(三); 天津 二(三)1-2):
  • clearly the other side's → one-click transfer (一键转办); the origin keeps a linked shadow and
    sees every progress step;
  • ambiguous or overlapping duties → online negotiation (在线协商) within a time limit; unresolved
    → the first receiver keeps it (首接负责制);
  • danger to life, property or public safety → 110 (119/120 for their services) act first; for
    the four kinds of emergency 12345 also dispatches departments in parallel;
  • a dispute 110 receives that may turn violent → police act, and 12345 receives it for mediation
    by the local government (属地联合调处); a stability clue 12345 receives → 110 first;
  • a county 110 relays via the city 110 to the city 12345;
  • graded response (分级响应): general → departments; major+ → 110 first, 12345 notified to
    coordinate; serious / extraordinary → escalation notice to the city command (城运中心);
  • neither side's → keep it and guide the caller (合理引导和解释).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from liandong.core.errors import ConfigError
from liandong.exchange import yamlio
from liandong.exchange.messages import Level

GOV, POLICE = "12345", "110"


class Action(StrEnum):
    KEEP = "keep"  # 本平台受理
    DISPATCH_DEPARTMENTS = "dispatch_departments"  # 派单至职能部门
    DISPATCH_POLICE = "dispatch_police"  # 派警处置
    TRANSFER = "transfer"  # 转办 (shadow kept by the origin)
    NOTIFY = "notify"  # 通知协调 (a transfer with purpose "coordinate")
    NEGOTIATE = "negotiate"  # 在线协商
    ESCALATE = "escalate"  # 升级通报
    GUIDE = "guide"  # 合理引导和解释


@dataclass(frozen=True)
class Step:
    action: Action
    target: str
    reason: str
    first: bool = False  # acts before the others (先行处置)
    via: tuple[str, ...] = ()
    purpose: str = "handle"


@dataclass(frozen=True)
class LinkagePlan:  # 联动方案
    steps: tuple[Step, ...]
    negotiation_deadline: datetime | None = None

    def targets(self, action: Action) -> list[str]:
        return [s.target for s in self.steps if s.action == action]


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


def plan_linkage(services: set[str] | list[str], level: Level, receiving_platform: str, rules: LinkageRules, *,
                 now: datetime, danger: bool = False, emergency: str | None = None, violent_dispute: bool = False,
                 stability_clue: bool = False, ambiguous: bool = False, receiving_tier: str = "city") -> LinkagePlan:
    """Decide the linkage for one appeal received by `receiving_platform` (\"12345\" or \"110\")."""
    services = set(services)
    owners = {rules.service_platforms.get(s, s) for s in services}
    other = POLICE if receiving_platform == GOV else GOV
    via = rules.relay_chains.get(f"{receiving_tier}-{receiving_platform}", ())
    level_rule = rules.levels[Level(level)]
    steps: list[Step] = []

    def add(action, target, reason, **kw):
        step = Step(Action(action), target, reason, **kw)
        if step not in steps:
            steps.append(step)

    def route(target: str, reason: str, **kw):
        if target == receiving_platform:
            add(Action.DISPATCH_POLICE if target == POLICE else Action.KEEP, target, reason, **kw)
        else:
            add(Action.TRANSFER, target, reason, via=via if target == GOV else (), **kw)

    urgent = danger or emergency is not None or level_rule.police_first
    if urgent:
        route(POLICE, "危及人身财产或公共安全、较大及以上事件，由110先行处置", first=True)
        for platform in sorted(owners & rules.emergency_platforms - {POLICE}):
            route(platform, "紧急救助事项，由对应紧急热线先行处置", first=True)
        if emergency in rules.four_emergencies or level_rule.notify_12345:
            reason = "突发事件，12345同步派单职能部门联合处置" if emergency in rules.four_emergencies \
                else "较大及以上事件，通知12345协调有关部门联合处置"
            if receiving_platform == GOV:
                add(Action.DISPATCH_DEPARTMENTS, GOV, reason)
            else:
                add(Action.NOTIFY, GOV, reason, via=via, purpose="coordinate")
        if level_rule.escalate:
            add(Action.ESCALATE, rules.escalation_platform, f"重大及以上事件，报{rules.escalation_unit}统一指挥调度")
        return LinkagePlan(tuple(steps))
    if violent_dispute or stability_clue:
        route(POLICE, "可能引发违法犯罪或影响社会稳定，第一时间派警处置", first=True)
        if violent_dispute:
            route(GOV, "属于12345受理范围，转属地政府和相关部门联合调处", purpose="mediation")
        return LinkagePlan(tuple(steps))
    if not owners & {GOV, POLICE} and not owners & rules.emergency_platforms:
        add(Action.GUIDE, receiving_platform, "不属于12345与110受理范围，做好合理引导和解释")
        return LinkagePlan(tuple(steps))
    if ambiguous or {GOV, POLICE} <= owners:
        add(Action.NEGOTIATE, other, f"职责交叉或不明确，在线协商确定受理平台（{rules.negotiation_minutes} 分钟内）")
        return LinkagePlan(tuple(steps), negotiation_deadline=now + timedelta(minutes=rules.negotiation_minutes))
    if other in owners:
        add(Action.TRANSFER, other, "明确属于对方受理范围，一键转办，本方保留关联跟踪", via=via if other == GOV else ())
    else:
        route(receiving_platform, "属于本平台受理范围")
        if receiving_platform == GOV:
            add(Action.DISPATCH_DEPARTMENTS, GOV, "一般事件由职能部门按职责在规定时间内处置")
    return LinkagePlan(tuple(steps))


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
