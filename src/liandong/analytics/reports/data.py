"""The figures of a report (报告数据), gathered once from the database and rendered as XLSX or PDF:
民情热点周报 (weekly), 月报 / 季报 (monthly, quarterly) and 街镇画像 (one street's profile).

Every section is an aggregate query; a section with nothing to show carries no rows and the renderers
say 本期无数据 instead of failing (e.g. unit KPIs over imported history that had no orders)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable

from sqlalchemy import Boolean, Float, Integer, String, and_, case, column, func, literal, select, table
from sqlalchemy.orm import Session

from liandong.analytics import rollup
from liandong.analytics.calls_service import CallSummary, call_summary
from liandong.analytics.hotspots import Hotspot, ranked_hotspots
from liandong.analytics.periods import Grain, Period, buckets, parse_period
from liandong.analytics.scope import counts_scope, require_place
from liandong.analytics.service import Analytics, Row, Table
from liandong.analytics.sql import cst_date, in_range, moment
from liandong.analytics.tables import WarningRow
from liandong.analytics.warnings import KIND_LABELS
from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor
from liandong.core.errors import InvalidInput
from liandong.orders.tables import OrderRow

O = OrderRow
KINDS = {"weekly": (Grain.WEEK, "民情热点周报"), "monthly": (Grain.MONTH, "民情月报"),
         "quarterly": (Grain.QUARTER, "民情季报"), "street": (None, "街镇工作画像")}
CHANNELS = {"phone": "电话", "web": "网站", "app": "移动端", "wechat": "微信", "sms": "短信", "email": "邮件",
            "110": "110 报警", "12345": "12345 热线", "110-transfer": "110 转来", "12345-transfer": "12345 转来"}
DESKS = {"12345": "12345 政务服务诉求", "110": "110 警情"}


@dataclass(frozen=True)
class QualityLine:  # 一个单位的质检结果
    label: str
    inspected: int
    passed: int  # 合格
    review: int  # 待复核
    failed: int  # 不合格
    mean_score: float


@dataclass(frozen=True)
class Compare:  # 同比环比
    label: str
    current: int
    previous: int
    year_ago: int


@dataclass
class ReportData:  # 报告数据
    kind: str
    title: str
    period: Period
    place: str | None  # 街镇画像: the street's name
    generated_at: datetime
    totals: list[Compare] = field(default_factory=list)
    channels: list[tuple[str, int]] = field(default_factory=list)
    categories: list[Compare] = field(default_factory=list)
    streets: list[tuple[str, int, int]] = field(default_factory=list)  # name, 12345, 110
    daily: list[tuple[str, int, int]] = field(default_factory=list)  # day label, 12345, 110
    hotspots: list[Hotspot] = field(default_factory=list)
    warnings: list[WarningRow] = field(default_factory=list)
    mass: list[tuple[str, str, int]] = field(default_factory=list)  # lead order, title, members
    kpis: Table | None = None
    compare_kpis: Row | None = None  # 街镇画像: the district's total beside the street's
    overdue: list[tuple[str, str, str, str]] = field(default_factory=list)  # number, title, unit, due
    overdue_total: int = 0
    bounced: list[tuple[str, str, str, int]] = field(default_factory=list)  # number, title, unit, returns
    bounced_total: int = 0
    calls: CallSummary | None = None  # 话务情况; None: no call data for the period (the section says so)
    quality: list[QualityLine] = field(default_factory=list)  # 质检情况 per unit; []: no inspections
    quality_total: QualityLine | None = None

    def change(self, a: int, b: int) -> float | None:
        return (a - b) / b if b else None


@dataclass(frozen=True)
class ReportRequest:  # a checked request: what to gather, for whom
    kind: str
    period: Period
    title: str
    street: str | None
    place: str | None  # the street's name


def check_request(analytics: Analytics, actor: Actor, *, kind: str, period_text: str,
                  street: str | None) -> ReportRequest:
    """The request checked before any figure is gathered (so the console can refuse it at once, in Chinese):
    a known kind, a period of the kind's length, and for 街镇画像 a street of the city inside the viewer's region."""
    if kind not in KINDS:
        raise InvalidInput(f"报告类型「{kind}」无效，可选：weekly（周报）、monthly（月报）、quarterly（季报）、street（街镇画像）")
    period = parse_period(period_text)
    grain, title = KINDS[kind]
    if grain is not None and period.grain is not grain:
        raise InvalidInput(f"{title}的周期应为{_HINTS[grain]}，收到「{period.label}」")
    place = None
    if kind == "street":
        region = analytics.city.regions.get(street or "")
        if region is None or len(street or "") != 9:
            raise InvalidInput(f"街镇画像需要本市的街镇代码（9位），收到「{street or ''}」")
        require_place(actor, street, region.name)
        place = region.name
    return ReportRequest(kind, period, title, street if kind == "street" else None, place)


def build_report(session: Session, analytics: Analytics, actor: Actor, *, kind: str, period_text: str,
                 street: str | None, now: datetime, progress: Callable[[str], None] = lambda s: None) -> ReportData:
    req = check_request(analytics, actor, kind=kind, period_text=period_text, street=street)
    period, title, place, street = req.period, req.title, req.place, req.street
    scope = counts_scope(actor)
    if street:
        scope = and_(scope, O.region.startswith(street))
    data = ReportData(kind, f"{analytics.city.name}{place or ''}{title}", period, place, now)
    progress("总量与同比环比")
    data.totals = _totals(session, period, scope)
    progress("渠道、分类与街镇")
    data.channels = _channels(session, period, scope)
    data.categories = _categories(session, period, scope)
    data.streets = _streets(session, analytics, period, scope)
    data.daily = _daily(session, period, scope, actor if kind != "street" else None)
    progress("热点与预警")
    data.hotspots = ranked_hotspots(session, analytics.city, start=moment(period.start), end=moment(period.end),
                                    top=5, scope=scope)
    data.warnings = _warnings(session, period, street)
    data.mass = _mass(session, period, scope)
    progress("考核排名")
    where = O.region.startswith(street) if street else None
    data.kpis = analytics.table(session, actor=actor, period=period, group="unit" if kind != "street" else "category",
                                as_of=now, where=where)
    if kind == "street":
        district = analytics.table(session, actor=actor, period=period, group="all", as_of=now,
                                   where=O.region.startswith(street[:6]))
        data.compare_kpis = district.total
    progress("超期与退单")
    data.overdue_total, data.overdue = _overdue(session, analytics, period, scope, now)
    data.bounced_total, data.bounced = _bounced(session, analytics, period, scope)
    if kind != "street":
        progress("话务与质检")
        data.calls = call_summary(session, start=period.start, end=period.end, actor=actor)
        data.quality, data.quality_total = _quality(session, analytics, period, scope)
    return data


_HINTS = {Grain.WEEK: "一周，如 2019-W46", Grain.MONTH: "一个月，如 2019-11", Grain.QUARTER: "一个季度，如 2019-Q4"}
VALID = O.status.not_in(("cancelled", "merged"))


def _count_by(session, column, period: Period, scope) -> dict:
    rows = session.execute(select(column, func.count()).where(in_range(O.created_at, period.start, period.end),
                                                             scope, VALID).group_by(column))
    return {k: n for k, n in rows}


def _totals(session, period: Period, scope) -> list[Compare]:
    now, prev, ago = (_count_by(session, O.platform, p, scope) for p in (period, period.previous(), period.year_ago()))
    out = [Compare(label, now.get(p, 0), prev.get(p, 0), ago.get(p, 0)) for p, label in DESKS.items()]
    out.append(Compare("合计", sum(c.current for c in out), sum(c.previous for c in out), sum(c.year_ago for c in out)))
    return out


def _channels(session, period: Period, scope) -> list[tuple[str, int]]:
    rows = session.execute(select(AppealRow.channel, func.count()).select_from(O).join(AppealRow, AppealRow.id == O.appeal_id)
                           .where(in_range(O.created_at, period.start, period.end), scope, VALID)
                           .group_by(AppealRow.channel).order_by(func.count().desc()))
    return [(CHANNELS.get(c, c), n) for c, n in rows]


def _categories(session, period: Period, scope) -> list[Compare]:
    cat = func.coalesce(O.category_name, literal("未分类"))
    now, prev, ago = (_count_by(session, cat, p, scope) for p in (period, period.previous(), period.year_ago()))
    ranked = sorted(now.items(), key=lambda kv: -kv[1])[:12]
    return [Compare(c, n, prev.get(c, 0), ago.get(c, 0)) for c, n in ranked]


def _streets(session, analytics: Analytics, period: Period, scope) -> list[tuple[str, int, int]]:
    street = func.substr(O.region, 1, 9)
    rows = session.execute(select(street, O.platform, func.count()).where(
        in_range(O.created_at, period.start, period.end), scope, VALID, O.region.is_not(None))
        .group_by(street, O.platform))
    by: dict[str, list[int]] = {}
    for s, platform, n in rows:
        by.setdefault(s, [0, 0])[0 if platform == "12345" else 1] += n
    out = [(analytics.label("street", s), a, b) for s, (a, b) in by.items()]
    return sorted(out, key=lambda t: -(t[1] + t[2]))


def _daily(session, period: Period, scope, actor: Actor | None) -> list[tuple[str, int, int]]:
    """Both desks' volumes by day: from the daily roll-up for the days it holds (city or region reports),
    from the orders for the rest."""
    rolled = rollup.rolled_days(session, period.start, period.end) if actor is not None else set()
    counts = rollup.daily_received(session, actor, rolled) if actor is not None else {}
    live = [d for d in period.days() if d not in rolled]
    day = cst_date(O.created_at)
    if live:
        for d, platform, n in session.execute(select(day, O.platform, func.count()).where(
                in_range(O.created_at, min(live), max(live) + timedelta(days=1)), scope, VALID)
                .group_by(day, O.platform)):
            if date.fromisoformat(str(d)) not in rolled:
                counts[(str(d), platform)] = n
    grain = Grain.DAY if len(period.days()) <= 31 else Grain.WEEK
    out = []
    for b in buckets(period, grain):
        a = sum(counts.get((d.isoformat(), "12345"), 0) for d in b.days())
        p = sum(counts.get((d.isoformat(), "110"), 0) for d in b.days())
        out.append((b.label[5:] if grain is Grain.DAY else b.label, a, p))
    return out


def _warnings(session, period: Period, street: str | None) -> list[WarningRow]:
    cond = and_(WarningRow.day >= period.start.isoformat(), WarningRow.day < period.end.isoformat())
    if street:
        cond = and_(cond, WarningRow.place == street)
    rows = list(session.scalars(select(WarningRow).where(cond).order_by(WarningRow.day, WarningRow.id)))
    return [w for w in rows if w.kind in KIND_LABELS][:30]


def _mass(session, period: Period, scope) -> list[tuple[str, str, int]]:
    rows = session.execute(select(O.lead_order, func.max(O.title), func.count()).where(
        in_range(O.created_at, period.start, period.end), scope, O.lead_order.is_not(None))
        .group_by(O.lead_order).order_by(func.count().desc()).limit(10))
    return [(lead, title, n) for lead, title, n in rows]


def _overdue(session, analytics, period: Period, scope, now: datetime):
    cond = and_(in_range(O.created_at, period.start, period.end), scope, VALID, O.close_due.is_not(None),
                (O.closed_at > O.close_due) | (O.closed_at.is_(None) & (O.close_due < now)))
    total = session.scalar(select(func.count()).select_from(O).where(cond)) or 0
    rows = session.execute(select(O.number, O.title, O.unit, O.close_due).where(cond).order_by(O.close_due).limit(15))
    return total, [(n, t, analytics.label("unit", u or ""), f"{d:%m-%d %H:%M}") for n, t, u, d in rows]


def _bounced(session, analytics, period: Period, scope):
    cond = and_(in_range(O.created_at, period.start, period.end), scope, VALID,
                (O.return_count > 0) | O.bounce.is_(True))
    total = session.scalar(select(func.count()).select_from(O).where(cond)) or 0
    rows = session.execute(select(O.number, O.title, O.unit, O.return_count).where(cond)
                           .order_by(O.return_count.desc(), O.created_at).limit(15))
    return total, [(n, t, analytics.label("unit", u or ""), r) for n, t, u, r in rows]


# 质检 (quality inspection) owns `quality_inspections` (migration 0008); analytics may not import the quality
# package (docs/architecture.md: both sit on orders), so the report reads the table by its columns here.
# Each row is one inspection; `current` marks the latest of a record (a reply inspected again after 重办),
# so counting the current ones counts each call or reply once. `day` is the Beijing date it was inspected.
QI = table("quality_inspections", column("order_id", Integer), column("record", String), column("outcome", String),
           column("score", Float),
           column("current", Boolean), column("unit", String), column("day", String))


def _quality(session, analytics: Analytics, period: Period, scope) -> tuple[list[QualityLine], QualityLine | None]:
    """Pass / review / fail counts and the mean score per unit of the period's inspections (SQL), in the
    viewer's scope (the inspected order's region or unit); ([], None) when there were none. A reply is the
    handling unit's; a call record (record 'call') is the 12345 call centre's, one line of its own."""
    unit = case((QI.c.record == "call", literal("@call")), else_=func.coalesce(QI.c.unit, literal("")))
    outcome = {o: func.sum(case((QI.c.outcome == o, 1), else_=0)) for o in ("pass", "review", "fail")}
    rows = session.execute(
        select(unit, func.count(), outcome["pass"], outcome["review"], outcome["fail"], func.avg(QI.c.score))
        .select_from(QI).join(O, O.id == QI.c.order_id)
        .where(QI.c.current.is_(True), QI.c.day >= period.start.isoformat(), QI.c.day < period.end.isoformat(), scope)
        .group_by(unit)).all()
    lines = [QualityLine("12345 热线（来电记录）" if u == "@call" else analytics.label("unit", u), int(n), int(p or 0), int(r or 0), int(f or 0), float(avg))
             for u, n, p, r, f, avg in rows]
    if not lines:
        return [], None
    lines.sort(key=lambda q: (-q.mean_score, q.label))
    n = sum(q.inspected for q in lines)
    total = QualityLine("合计", n, sum(q.passed for q in lines), sum(q.review for q in lines),
                        sum(q.failed for q in lines), sum(q.mean_score * q.inspected for q in lines) / n)
    return lines, total
