"""The linkage planner (联动方案): what the desks do about one appeal — one pure function, then its orders.

`plan_linkage` reads the seeds' rules (晋城 三(一)(二)(三); 天津 二(三)1-2; data in `linkage.yaml`) row by
row and returns the steps; each row below is one `if` in it, in this order:

    situation                                     steps
    danger to people/property, a joint emergency  110 acts first (派警, or 转办 to 110); 119/120 for their services
      (四类突发事件), or 较大 and above             first; for the four emergencies or 较大+ 12345 dispatches
                                                  departments too (from 110: 通知12345协调); 重大+ → 升级通报
    only 119/120 services                         转办 to them, first
    a dispute 110 gets that may turn violent       110 acts first; 12345 mediates (属地联合调处)
      / a stability clue 12345 gets               110 acts first
    neither side's                                keep it and explain (合理引导和解释)
    overlapping or unclear duties                 在线协商 within the limit (unresolved → 首接负责制)
    clearly the other side's                      一键转办; the origin keeps a linked shadow
    this side's own                               keep it (12345: 派单 to departments)

`plan_appeal` then turns the steps into the orders this desk opens and what its peers are told, given the
platforms this process hosts and those served by peer desks (平台互通):

    steps on this desk (keep/dispatch)  → a live order here; every 转办 beside it goes to a hosted platform
                                          as a parallel live order, to a peer desk as a transfer with a
                                          purpose (handle/coordinate/notify)
    no step on this desk                → the order here is a shadow, 转办 to the first target; the other
                                          emergency services are told (notify)
    a step the graded response alone     → only towards a separate desk: in one process the orders already
      asks for (110 first, 12345 told)      there keep both platforms informed
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from liandong.core.types import Level, Platform
from liandong.exchange.messages import Level as WireLevel
from liandong.linkage.rules import GOV, POLICE, LinkageRules

WIRE_LEVELS = {Level.GENERAL: WireLevel.GENERAL, Level.MAJOR: WireLevel.MAJOR, Level.SERIOUS: WireLevel.SERIOUS,
               Level.EXTRAORDINARY: WireLevel.EXTRAORDINARY}  # our level → the exchange's
LEVELS_OF_WIRE = {v: k for k, v in WIRE_LEVELS.items()}
class Move(StrEnum):  # a step of a linkage plan (联动步骤)
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
    move: Move
    target: str
    reason: str
    first: bool = False  # acts before the others (先行处置)
    via: tuple[str, ...] = ()
    purpose: str = "handle"
    graded: bool = False  # asked for by the graded response (分级响应) alone, not by the matter itself


HERE = (Move.KEEP, Move.DISPATCH_DEPARTMENTS, Move.DISPATCH_POLICE, Move.GUIDE, Move.NEGOTIATE)


@dataclass(frozen=True)
class LinkagePlan:  # 联动步骤
    steps: tuple[Step, ...]
    negotiation_deadline: datetime | None = None

    def targets(self, move: Move) -> list[str]:
        return [s.target for s in self.steps if s.move == move]


def plan_linkage(services: set[str] | list[str] | tuple[str, ...], level: WireLevel | str, receiving_platform: str,
                 rules: LinkageRules, *, now: datetime, danger: bool = False, emergency: str | None = None,
                 joint: bool = False, violent_dispute: bool = False, stability_clue: bool = False,
                 ambiguous: bool = False, receiving_tier: str = "city") -> LinkagePlan:
    """The steps for one appeal received by `receiving_platform`. `services` are service tags or platforms;
    `joint` says the appeal is one of the four emergencies whose kind is not known (routing's 110+12345)."""
    owners = {rules.service_platforms.get(s, s) for s in services}
    other = POLICE if receiving_platform == GOV else GOV
    via = rules.relay_chains.get(f"{receiving_tier}-{receiving_platform}", ())
    level_rule = rules.levels[WireLevel(level)]
    four = joint or emergency in rules.four_emergencies
    steps: list[Step] = []

    def add(move, target, reason, **kw):
        step = Step(Move(move), target, reason, **kw)
        if step not in steps:
            steps.append(step)

    def route(target: str, reason: str, **kw):
        if target == receiving_platform:
            add(Move.DISPATCH_POLICE if target == POLICE else Move.KEEP, target, reason, **kw)
        else:
            add(Move.TRANSFER, target, reason, via=via if target == GOV else (), **kw)

    acute = danger or four or emergency is not None  # the matter itself calls for the police
    urgent = acute or level_rule.police_first
    if urgent:
        route(POLICE, "危及人身财产或公共安全、较大及以上事件，由110先行处置", first=True, graded=not acute)
    for platform in sorted(owners & rules.emergency_platforms - {POLICE}):
        route(platform, "紧急救助事项，由对应紧急热线先行处置", first=True)
    if urgent:
        if four or level_rule.notify_12345:
            reason = "突发事件，12345同步派单职能部门联合处置" if four else "较大及以上事件，通知12345协调有关部门联合处置"
            if receiving_platform == GOV:
                add(Move.DISPATCH_DEPARTMENTS, GOV, reason, graded=not four)
            else:
                add(Move.NOTIFY, GOV, reason, via=via, purpose="coordinate", graded=not four)
        if level_rule.escalate:
            add(Move.ESCALATE, rules.escalation_platform, f"重大及以上事件，报{rules.escalation_unit}统一指挥调度")
        return LinkagePlan(tuple(steps))
    if steps and not owners & {GOV, POLICE}:  # fire or medical alone
        return LinkagePlan(tuple(steps))
    if violent_dispute or stability_clue:
        route(POLICE, "可能引发违法犯罪或影响社会稳定，第一时间派警处置", first=True)
        if violent_dispute:
            route(GOV, "属于12345受理范围，转属地政府和相关部门联合调处", purpose="mediation")
        return LinkagePlan(tuple(steps))
    if not owners & {GOV, POLICE} and not owners & rules.emergency_platforms:
        add(Move.GUIDE, receiving_platform, "不属于12345与110受理范围，做好合理引导和解释")
        return LinkagePlan(tuple(steps))
    if ambiguous or {GOV, POLICE} <= owners:
        add(Move.NEGOTIATE, other, f"职责交叉或不明确，在线协商确定受理平台（{rules.negotiation_minutes} 分钟内）")
        return LinkagePlan(tuple(steps), negotiation_deadline=now + timedelta(minutes=rules.negotiation_minutes))
    if other in owners:
        add(Move.TRANSFER, other, "明确属于对方受理范围，一键转办，本方保留关联跟踪", via=via if other == GOV else ())
    else:
        route(receiving_platform, "属于本平台受理范围")
        if receiving_platform == GOV:
            add(Move.DISPATCH_DEPARTMENTS, GOV, "一般事件由职能部门按职责在规定时间内处置")
    return LinkagePlan(tuple(steps))


@dataclass(frozen=True)
class OrderPlan:
    primary: str  # platform of the order opened first (on the receiving desk or the acting one)
    transfer_to: str | None = None  # the primary order is a shadow, handed to this platform
    parallel: str | None = None  # a second live order on the other platform
    notify: tuple[str, ...] = ()  # emergency services told as well (119/120 beside 110)
    auto_dispatch: bool = True


@dataclass(frozen=True)
class PeerSend:  # 通报对端
    target: str
    purpose: str  # handle | coordinate | notify | mediation
    reason: str


@dataclass(frozen=True)
class AppealPlan:  # 联动方案
    orders: OrderPlan  # the orders this desk opens
    sends: tuple[PeerSend, ...] = ()  # transfers sent from the primary order to peer desks
    escalate: bool = False  # an escalation notice to the city command (升级通报)


def plan_appeal(services: tuple[str, ...] | list[str], receiving: str, *, level: str, review: bool,
                hosted: frozenset[str], peers: frozenset[str], rules: LinkageRules, now: datetime) -> AppealPlan:
    """The orders this desk opens for an appeal routed to `services`, and what its peer desks are told."""
    s = set(services)
    plan = plan_linkage(s, WIRE_LEVELS[Level.of(level)], receiving, rules, now=now, danger=Platform.POLICE in s,
                        joint={Platform.POLICE, Platform.GOV} <= s)
    # a graded step adds a platform only where it is a separate desk: in one process, and for 12345 when it
    # received a matter that is not its own, the orders already there keep it informed
    here = [st for st in plan.steps if st.move in HERE and not (st.graded and Platform.GOV not in s)]
    away = [st for st in plan.steps if st.move in (Move.TRANSFER, Move.NOTIFY) and not (st.graded and st.target in hosted)]
    escalate = any(st.move is Move.ESCALATE for st in plan.steps)
    dispatch = not review and not any(st.move is Move.GUIDE for st in here)
    if not here:  # a shadow: 转办 to the first (acting) platform, the emergency services beside it told
        first, rest = away[0], away[1:]
        sends = tuple(PeerSend(st.target, "notify", "紧急救助事项，请先行处置") for st in rest if st.target in peers)
        notify = tuple(st.target for st in rest if st.target not in peers)
        dispatch = dispatch and first.target in (Platform.GOV, Platform.POLICE)
        return AppealPlan(OrderPlan(receiving, transfer_to=first.target, notify=notify, auto_dispatch=dispatch), sends,
                          escalate and bool(peers))
    parallel, sends, notify = None, [], []
    for st in away:
        if st.target in hosted and parallel is None:
            parallel = st.target
        elif st.target in peers:
            purpose = st.purpose if st.move is Move.NOTIFY else ("handle" if st.target == Platform.POLICE else "notify")
            reason = "突发事件，110先行处置，12345同步派单职能部门" if purpose == "handle" and st.target == Platform.POLICE \
                else ("紧急救助事项，请先行处置" if purpose == "notify" else st.reason)
            sends.append(PeerSend(st.target, purpose, reason))
        else:
            notify.append(st.target)
    orders = OrderPlan(receiving, notify=tuple(notify), auto_dispatch=dispatch)
    if parallel == Platform.POLICE:  # police act first: the police order leads, the work order runs beside it
        orders = OrderPlan(Platform.POLICE, parallel=receiving, notify=tuple(notify), auto_dispatch=dispatch)
    elif parallel is not None:
        orders = OrderPlan(receiving, parallel=parallel, notify=tuple(notify), auto_dispatch=dispatch)
    return AppealPlan(orders, tuple(sends), escalate and bool(peers))
