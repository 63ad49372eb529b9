"""Demo appeal generator (演示诉求生成器) for the fictional city 明川市.

`generate(n, seed=...)` returns a deterministic, time-ordered batch of citizen appeals as an
operator would key them in; `iter_stream(...)` is its endless form for the live demo and
benchmarks; `to_api_payload` turns one into the body of `POST /api/v1/appeals`.

The mix, for a batch large enough to show it (about 2,000): ~75% 12345 business (some of it
arriving at the 110 desk), ~12% police matters, ~5% fire/ambulance/joint emergencies, ~5%
matters neither platform takes (refer), ~3% special scenarios the supervision features
should catch: repeat callers (重复来电), a mass-complaint cluster (集中来电), one harassing
caller (恶意骚扰) and appeals likely to bounce between units (职责交叉). Smaller batches
(n >= 100) keep every special scenario at its minimum size, so they weigh more.

Live demo, two appeals a second stamped from now:

    for appeal in iter_stream(seed=0, start=SystemClock().now(), rate_per_s=2):
        client.post("/api/v1/appeals", json=to_api_payload(appeal))

`expect_services` is our judgement for summaries and console captions, not routing truth.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from liandong.core.clock import CST, as_cst
from liandong.core.types import Channel
from liandong.demo import phrases as P
from liandong.demo.places import Place, build_places, caller_name, caller_phone, format_address
from liandong.regions.registry import CityRegistry, load_city

DEFAULT_START = datetime(2026, 11, 16, 0, 0, tzinfo=CST)  # a Monday in the heating season
DAILY = 240  # appeals a day the demo city gets
MIN_DAYS = 7
SHARES = {"routine": 0.75, "police": 0.12, "emergency": 0.05, "refer": 0.05}  # of the whole; specials ~3%
SPECIAL_SCENARIOS = ("repeat", "mass", "harass", "bounce_candidate")
SCENARIOS = tuple(SHARES) + SPECIAL_SCENARIOS
WEEKEND_DIP = 0.35  # share of weekday-profile appeals that a weekend day does not get
MIX_RATE = 0.05  # routine appeals that raise a second matter (一诉多事)
MASS_WINDOW_MAX = timedelta(hours=4)

# Hour-of-day weights (CST). Office hours for the hotline; police/emergency peak in the evening.
_DAY_HOURS = (
    0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 1.2, 2.5, 3.5, 3.8, 3.3,  # 00-11
    2.0, 2.2, 3.2, 3.4, 3.2, 2.6, 1.8, 1.6, 1.5, 1.3, 1.0, 0.6,  # 12-23
)
_NIGHT_HOURS = (
    1.6, 1.3, 1.0, 0.8, 0.6, 0.6, 0.8, 1.0, 1.3, 1.5, 1.6, 1.6,
    1.5, 1.4, 1.5, 1.6, 1.7, 1.9, 2.1, 2.3, 2.5, 2.6, 2.4, 2.0,
)
_LATE_HOURS = tuple(3.0 if h >= 21 or h <= 1 else (0.6 if h <= 4 else 0.15) for h in range(24))


@dataclass(frozen=True)
class DemoAppeal:  # 演示诉求
    text: str
    channel: Channel
    received_at: datetime  # aware, CST
    caller_name: str
    caller_phone: str
    address: str
    region: str  # 9-digit street or 12-digit community code of `address`
    scenario: str  # routine / police / emergency / refer / repeat / mass / harass / bounce_candidate
    expect_services: tuple[str, ...]  # our judgement among 110 119 120 12345; empty: refer
    matter: str = ""  # phrase-bank key(s), "a+b" for a mixed appeal
    refs: tuple[str, ...] = ()  # reference-list items illustrated: A7, B122, T:公共设施类
    thread: str = ""  # links the appeals of one repeat series / cluster / harasser


def to_api_payload(appeal: DemoAppeal) -> dict:
    """The JSON body of `POST /api/v1/appeals` for one appeal."""
    return {
        "channel": appeal.channel.value,
        "text": appeal.text,
        "received_at": appeal.received_at.isoformat(),
        "caller": {"name": appeal.caller_name, "phone": appeal.caller_phone},
        "address": appeal.address,
        "region": appeal.region,
    }


def generate(
    n: int, *, seed: int = 0, start: datetime | None = None, city: CityRegistry | str | None = None
) -> list[DemoAppeal]:
    """`n` appeals, ordered by `received_at`, the same for the same seed, start and city.

    `start` (default DEFAULT_START, naive taken as CST) opens a span of max(7, n/240) days.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    days = max(MIN_DAYS, math.ceil(n / DAILY))
    return _Batch(n, f"liandong-demo:{seed}", start, days, city).build()


def iter_stream(
    seed: int = 0,
    start: datetime | None = None,
    rate_per_s: float | None = None,
    *,
    city: CityRegistry | str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
) -> Iterator[DemoAppeal]:
    """An endless, deterministic stream: week after week of `generate`-like batches.

    Without `rate_per_s` the appeals carry their simulated times and come as fast as read.
    With it, the k-th appeal is stamped `start + k / rate_per_s` seconds and not yielded
    before that much wall time has passed since the first (paced by `sleep`).
    """
    if rate_per_s is not None and rate_per_s <= 0:
        raise ValueError("rate_per_s must be > 0")
    origin = as_cst(start) if start else DEFAULT_START
    chunk = DAILY * MIN_DAYS
    began = monotonic()
    index = 0
    week = 0
    while True:
        week_start = origin + timedelta(days=MIN_DAYS * week)
        batch = _Batch(chunk, f"liandong-demo:{seed}:stream:{week}", week_start, MIN_DAYS, city).build()
        for appeal in batch:
            if rate_per_s is not None:
                offset = index / rate_per_s
                wait = began + offset - monotonic()
                if wait > 0:
                    sleep(wait)
                appeal = _restamp(appeal, origin + timedelta(seconds=offset))
            index += 1
            yield appeal
        week += 1


def _restamp(appeal: DemoAppeal, at: datetime) -> DemoAppeal:
    return replace(appeal, received_at=at)


class _Batch:
    """One batch: plans the special scenarios, fills the rest by quota, sorts by time."""

    def __init__(self, n: int, key: str, start: datetime | None, days: int, city: CityRegistry | str | None) -> None:
        self.n = n
        self.rng = random.Random(key)
        self.registry = city if isinstance(city, CityRegistry) else load_city(city or "demo")
        self.places = build_places(self.registry)
        self.start = as_cst(start) if start else DEFAULT_START
        self.midnight = self.start.replace(hour=0, minute=0, second=0, microsecond=0)
        self.days = days
        self.used_phones: set[str] = set()
        self.out: list[DemoAppeal] = []

    # ------------------------------------------------------------------ plan
    def build(self) -> list[DemoAppeal]:
        n = self.n
        if n >= 100:
            self._mass(self.rng.randint(8, min(15, max(8, round(n * 0.0075)))))
        if n >= 50:
            for i, series in enumerate(self.rng.sample(P.REPEATS, 3 if n < 1000 else 4)):
                self._repeat(series, i + 1)
            self._harass(min(30, max(5, round(n * 0.01))))
            for _ in range(max(1, round(n * 0.01))):
                self._single(self.rng.choice(P.BOUNCE), "bounce_candidate")
        self.out = self.out[:n]
        rest = n - len(self.out)
        for kind, count in zip(SHARES, _quotas(rest, [SHARES[k] for k in SHARES])):
            for _ in range(count):
                self._single(self._pick(kind), kind)
        self.out.sort(key=lambda a: a.received_at)
        return self.out

    def _pick(self, kind: str) -> P.Matter:
        bank = {"routine": P.ROUTINE, "police": P.POLICE, "emergency": P.EMERGENCY, "refer": P.REFER}[kind]
        return self.rng.choices(bank, weights=[m.weight for m in bank])[0]

    # ------------------------------------------------------------------ scenarios
    def _single(self, matter: P.Matter, scenario: str) -> None:
        rng = self.rng
        place = self._place(matter.where)
        ctx = self._context(place)
        text = P.fill(rng.choice(matter.texts), ctx)
        key, refs, services = matter.key, matter.refs, matter.services
        if scenario == "routine" and rng.random() < MIX_RATE:
            other = self._pick("routine")
            extra = P.fill(rng.choice(other.texts), ctx)
            fits = len(text) + len(extra) + 6 <= P.MAX_LEN
            if other.key != matter.key and other.where in (matter.where, "any") and fits:
                text = f"{text}。{rng.choice(P.MIX_JOINERS)}{extra}"
                key, refs = f"{matter.key}+{other.key}", tuple(dict.fromkeys(refs + other.refs))
        channel = self._channel(scenario)
        if scenario == "emergency":
            style = "urgent"
        elif channel in _WRITTEN:
            style = "written"
        else:
            style = "call110" if channel == Channel.DESK_110 else "call"
        profile = {"night": _NIGHT_HOURS, "any": _NIGHT_HOURS}.get(matter.when, _DAY_HOURS)
        if scenario in ("police", "emergency"):
            profile = _NIGHT_HOURS
        at = self._moment(profile)
        self._emit(P.dress(text, rng, style), channel, at, self._person(), place, scenario, services, key, refs, "")

    def _mass(self, size: int) -> None:
        rng = self.rng
        key, refs, services, night, openers, cores, details, asks = rng.choice(P.CLUSTERS)
        estate = rng.choice(self.places["home"])
        day = rng.randrange(1, self.days - 1)  # a night cluster runs past midnight: not on the last day
        minute = rng.randint(21 * 60 + 30, 23 * 60) if night else rng.randint(6 * 60 + 30, 9 * 60)
        first = self.midnight + timedelta(days=day, minutes=minute)
        window = timedelta(minutes=rng.randint(100, int(MASS_WINDOW_MAX.total_seconds() // 60)))
        texts: set[str] = set()
        for i in range(size):
            for _ in range(50):
                template = rng.choice(openers) + rng.choice(cores) + rng.choice(details) + rng.choice(asks)
                text = P.fill(template, self._context(estate))
                if text not in texts and len(text) >= P.MIN_LEN:
                    break
            texts.add(text)
            at = first if i == 0 else first + timedelta(seconds=rng.randrange(int(window.total_seconds())))
            channel = Channel.PHONE if rng.random() < 0.8 else rng.choice((Channel.WECHAT, Channel.APP))
            if channel != Channel.PHONE:  # typed, not spoken
                text = text.removeprefix("喂，")
            self._emit(text, channel, at, self._person(), estate, "mass", tuple(services.split()), key,
                       tuple(refs.split()), "mass-1")

    def _repeat(self, series: tuple, number: int) -> None:
        rng = self.rng
        key, refs, services, where, firsts, follows = series
        calls = rng.randint(2, 4)
        gaps = [rng.randint(1, 3) for _ in range(calls - 1)]
        while sum(gaps) > self.days - 1:  # the whole series inside the batch's days
            gaps[gaps.index(max(gaps))] -= 1
        day = rng.randrange(0, max(1, self.days - sum(gaps)))
        person = self._person()
        place = self._place(where)
        address = format_address(self.registry, place, rng)  # the same caller, the same door
        ctx = self._context(place)
        texts = [rng.choice(firsts)] + rng.sample(follows, min(len(follows), calls - 1))
        for i, template in enumerate(texts):
            if i:
                day += gaps[i - 1]
                ctx = dict(ctx, ago=P.ago(gaps[i - 1], rng), times=P.FOLLOWUP_TIMES[min(i, len(P.FOLLOWUP_TIMES)) - 1])
            at = self._moment(_DAY_HOURS, day=day)
            self._emit(P.dress(P.fill(template, ctx), rng, "call"), Channel.PHONE, at, person, place, "repeat",
                       tuple(services.split()), key, tuple(refs.split()), f"repeat-{number}", address)

    def _harass(self, calls: int) -> None:
        rng = self.rng
        person = self._person()
        place = self._place("home")
        address = format_address(self.registry, place, rng)
        made = 0
        while made < calls:
            burst = min(calls - made, rng.randint(2, 5))
            hours = _LATE_HOURS if rng.random() < 0.5 else _DAY_HOURS
            at = self._moment(hours, day=rng.randrange(self.days - 1))  # a burst may run past midnight
            for _ in range(burst):
                self._emit(rng.choice(P.HARASS_TEXTS), Channel.PHONE, at, person, place, "harass", ("110",),
                           "harass_caller", P.HARASS_REFS, "harass-1", address)
                at += timedelta(minutes=rng.randint(3, 25), seconds=rng.randrange(60))
            made += burst

    # ------------------------------------------------------------------ pieces
    def _emit(
        self, text: str, channel: Channel, at: datetime, person: tuple[str, str], place: Place, scenario: str,
        services: tuple[str, ...], key: str, refs: tuple[str, ...], thread: str, address: str = "",
    ) -> None:
        self.out.append(DemoAppeal(
            text=text, channel=channel, received_at=at, caller_name=person[0], caller_phone=person[1],
            address=address or format_address(self.registry, place, self.rng), region=place.region, scenario=scenario,
            expect_services=tuple(services), matter=key, refs=tuple(refs), thread=thread,
        ))

    def _person(self) -> tuple[str, str]:
        return caller_name(self.rng), caller_phone(self.rng, self.used_phones)

    def _place(self, where: str) -> Place:
        if where == "any":
            where = "home" if self.rng.random() < 0.6 else "road"
        return self.rng.choice(self.places[where])

    def _context(self, place: Place) -> dict[str, str]:
        rng = self.rng
        road = place.name if place.kind == "road" else rng.choice(place.roads)
        others = [r for r in place.roads if r != road] or [road]
        return {
            "estate": place.estate, "road": road, "road2": rng.choice(others),
            "village": place.name if place.kind == "rural" else place.estate,
            "place": place.name, "n": str(rng.randint(2, 9)), "days": rng.choice(("两", "三", "四", "好几")),
            "money": str(rng.choice((2, 3, 4, 5, 6, 8, 12, 20, 35)) * rng.choice((100, 1000)) + rng.choice((0, 0, 500))),
            "shop": rng.choice(P.SHOPS), "venue": rng.choice(P.VENUES), "gym": rng.choice(P.GYMS),
            "company": rng.choice(P.COMPANIES), "month": rng.choice("一二三四五六"),
            "num": str(rng.randint(1, 60)), "ago": "前几天", "times": "又一次",
        }

    def _channel(self, scenario: str) -> Channel:
        r = self.rng.random()
        if scenario == "emergency":
            return Channel.DESK_110 if r < 0.7 else Channel.PHONE
        if scenario == "police":
            return Channel.DESK_110 if r < 0.6 else Channel.PHONE
        if scenario == "refer":
            return Channel.PHONE if r < 0.85 else (Channel.DESK_110 if r < 0.95 else Channel.WECHAT)
        # 12345 business: mostly phone, some online, ~10% misdialled to 110 and passed on
        for channel, cut in ((Channel.PHONE, 0.72), (Channel.DESK_110, 0.82), (Channel.WEB, 0.88), (Channel.APP, 0.94)):
            if r < cut:
                return channel
        return Channel.WECHAT

    def _moment(self, hours: tuple[float, ...], day: int | None = None) -> datetime:
        rng = self.rng
        for _ in range(100):
            d = rng.randrange(self.days) if day is None else day
            h = rng.choices(range(24), weights=hours)[0]
            at = self.midnight + timedelta(days=d, hours=h, minutes=rng.randrange(60), seconds=rng.randrange(60))
            if at < self.start:
                continue
            if hours is _DAY_HOURS and at.weekday() >= 5 and rng.random() < WEEKEND_DIP:
                continue  # the hotline is quieter at weekends; police and emergencies are not
            return at
        return self.start + timedelta(minutes=rng.randrange(60))


_WRITTEN = (Channel.WEB, Channel.APP, Channel.WECHAT)


def _quotas(total: int, shares: list[float]) -> list[int]:
    """Split `total` in proportion to `shares` (largest remainder), so the mix is exact."""
    whole = sum(shares)
    raw = [total * s / whole for s in shares]
    counts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: counts[i] - raw[i])[: total - sum(counts)]:
        counts[i] += 1
    return counts
