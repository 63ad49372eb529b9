import json
import re
import string
from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytest

from liandong.core.clock import CST
from liandong.core.types import Channel
from liandong.demo import phrases as P
from liandong.demo.appeals import (
    DEFAULT_START,
    SCENARIOS,
    DemoAppeal,
    _Batch,
    generate,
    iter_stream,
    to_api_payload,
)
from liandong.demo.places import GAZETTEER, street_prefix
from liandong.demo.reference import (
    JINCHENG_110_TO_12345,
    JINCHENG_12345_TO_110,
    JINCHENG_GROUPS,
    JINCHENG_ITEMS,
    TIBET_CATEGORIES,
    TIBET_EMERGENCIES,
)
from liandong.regions.registry import City, CityRegistry, Region, load_city

PHONE = re.compile(r"^1[3-9]\d{9}$")
ALL_MATTERS = P.ROUTINE + P.POLICE + P.EMERGENCY + P.REFER + P.BOUNCE


@pytest.fixture(scope="module")
def batch() -> list[DemoAppeal]:
    return generate(2000, seed=0)


@pytest.fixture(scope="module")
def city():
    return load_city("demo")


def by_thread(appeals, prefix):
    threads = defaultdict(list)
    for a in appeals:
        if a.thread.startswith(prefix):
            threads[a.thread].append(a)
    return threads


# ---------------------------------------------------------------- determinism and shape


def test_same_seed_same_batch_other_seed_other_batch():
    first = generate(400, seed=7)
    assert first == generate(400, seed=7)
    assert [to_api_payload(a) for a in first] == [to_api_payload(a) for a in generate(400, seed=7)]
    other = generate(400, seed=8)
    assert [a.text for a in other] != [a.text for a in first]


def test_batch_has_n_appeals_in_time_order_all_aware_cst(batch):
    assert len(batch) == 2000
    times = [a.received_at for a in batch]
    assert times == sorted(times)
    assert all(t.utcoffset() == timedelta(hours=8) for t in times)
    assert times[0] >= DEFAULT_START
    assert times[-1] < DEFAULT_START + timedelta(days=9)  # 2000 / 240 a day -> 9 days


@pytest.mark.parametrize("seed", range(6))
def test_every_appeal_falls_inside_the_batch_days(seed):
    start = datetime(2026, 12, 7, 0, 0, tzinfo=CST)
    appeals = generate(1680, seed=seed, start=start)  # exactly 7 days' worth
    assert all(start <= a.received_at < start + timedelta(days=7) for a in appeals)


@pytest.mark.parametrize("n", [0, 1, 30, 99, 100, 250])
def test_small_batches_have_exactly_n(n):
    appeals = generate(n, seed=3)
    assert len(appeals) == n
    assert all(isinstance(a, DemoAppeal) for a in appeals)


def test_negative_n_is_refused():
    with pytest.raises(ValueError):
        generate(-1)


def test_naive_start_is_taken_as_beijing_time():
    start = datetime(2026, 12, 1, 14, 30)
    appeals = generate(120, seed=1, start=start)
    assert min(a.received_at for a in appeals) >= start.replace(tzinfo=CST)
    assert appeals == generate(120, seed=1, start=start.replace(tzinfo=CST))


def test_another_city_gets_places_from_its_own_registry():
    other = CityRegistry(City(name="青石市", code="149900", units=[], regions=[
        Region(code="149900", name="青石市"), Region(code="149902", name="南湖区"),
        Region(code="149902001", name="南湖街道"), Region(code="149902001001", name="南湖第一社区"),
        Region(code="149902002", name="北岭镇"),
    ]))
    appeals = generate(300, seed=1, city=other)
    assert {a.region for a in appeals} <= set(other.regions)
    assert {a.region for a in appeals} >= {"149902001001", "149902002"}
    for a in appeals:
        assert a.address.startswith("南湖区" + other.regions[a.region[:9]].name), a.address
        assert "明川" not in a.address


def test_city_may_be_given_by_name_or_registry(city):
    assert generate(150, seed=2, city="demo") == generate(150, seed=2, city=city) == generate(150, seed=2)


# ---------------------------------------------------------------- texts, people, places


def test_texts_nonempty_bounded_and_fully_filled(batch):
    for a in batch:
        assert 10 <= len(a.text) <= 120 <= 200, a.text
        assert "{" not in a.text and "}" not in a.text, a.text
    lengths = [len(a.text) for a in batch]
    assert max(lengths) - min(lengths) >= 40  # varying length, not one shape


def test_every_template_uses_only_known_placeholders(city):
    ctx = _Batch(1, "t", None, 7, city)._context(_Batch(1, "t", None, 7, city).places["home"][0])
    templates = [t for m in ALL_MATTERS for t in m.texts]
    for _key, _refs, _svc, _night, *parts in P.CLUSTERS:
        templates += [t for part in parts for t in part]
    for _key, _refs, _svc, _where, firsts, follows in P.REPEATS:
        templates += list(firsts) + list(follows)
    for template in templates:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        assert fields <= set(ctx), (template, fields - set(ctx))
        assert "{" not in template.format_map(ctx)


def test_texts_are_colloquial_with_negations_and_past_events(batch):
    texts = [a.text for a in batch]
    assert sum(any(w in t for w in ("啊", "呢", "吧", "喂", "嘛")) for t in texts) > 0.3 * len(texts)
    assert any("没人受伤" in t or "人没事" in t or "人没大事" in t for t in texts)
    assert any("上个月" in t or "去年" in t for t in texts)
    assert any(wrong in t for t in texts for _, wrong in P.TYPOS)


def test_phones_valid_and_one_phone_one_caller(batch):
    by_phone = defaultdict(set)
    for a in batch:
        assert PHONE.match(a.caller_phone), a.caller_phone
        assert 2 <= len(a.caller_name) <= 4, a.caller_name
        by_phone[a.caller_phone].add(a.caller_name)
    assert all(len(names) == 1 for names in by_phone.values())
    # apart from the repeat and harassing callers, every appeal comes from its own phone
    shared = {p for p, c in Counter(a.caller_phone for a in batch).items() if c > 1}
    assert shared == {a.caller_phone for a in batch if a.scenario in ("repeat", "harass")}


def test_regions_exist_and_match_the_address_street(batch, city):
    levels = Counter()
    for a in batch:
        city.region(a.region)  # raises if not in the registry
        assert len(a.region) in (9, 12)
        levels[len(a.region)] += 1
        street = a.region[:9]
        assert a.address.startswith(street_prefix(city, street)), (a.address, a.region)
        assert city.regions[street].name in a.address
    assert levels[9] > 100 and levels[12] > 100


def test_estate_addresses_carry_their_community(batch, city):
    for a in batch:
        if len(a.region) == 12:
            estates = GAZETTEER[a.region[:9]][0]
            estate = estates[int(a.region[9:]) - 1]  # community 001..003 holds estate 1..3
            assert a.address.startswith(street_prefix(city, a.region[:9]) + estate), (a.address, a.region)


# ---------------------------------------------------------------- coverage of the reference lists


def test_phrase_bank_covers_every_reference_item():
    refs = {r for m in ALL_MATTERS for r in m.refs}
    assert set(JINCHENG_ITEMS) <= refs | {r for c in P.CLUSTERS for r in c[1].split()}
    assert set(TIBET_CATEGORIES) <= refs
    unknown = refs - set(JINCHENG_ITEMS) - set(TIBET_CATEGORIES)
    assert not unknown


def test_reference_lists_have_the_published_sizes():
    assert len(JINCHENG_12345_TO_110) == 22
    assert len(JINCHENG_110_TO_12345) == 158
    assert len(JINCHENG_GROUPS) == 5 + 34
    assert len(TIBET_CATEGORIES) == 17 + 7 + 4


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_jincheng_group_and_tibet_category_in_a_2000_batch(seed):
    appeals = generate(2000, seed=seed)
    refs = {r for a in appeals for r in a.refs}
    groups = {JINCHENG_ITEMS[r].group for r in refs if r in JINCHENG_ITEMS}
    assert groups == set(JINCHENG_GROUPS)
    assert set(TIBET_CATEGORIES) <= refs
    items = {r for r in refs if r in JINCHENG_ITEMS}
    assert len(items) >= 0.9 * len(JINCHENG_ITEMS)


def test_tibet_emergencies_go_to_110_and_12345(batch):
    for a in batch:
        if any(f"T:{e}" in a.refs for e in TIBET_EMERGENCIES[:3]) and a.scenario == "emergency":
            assert {"110", "12345"} <= set(a.expect_services), a


# ---------------------------------------------------------------- mix, channels, times


@pytest.mark.parametrize("seed", [0, 5])
def test_scenario_mix_within_tolerance(seed):
    appeals = generate(2000, seed=seed)
    share = {s: c / len(appeals) for s, c in Counter(a.scenario for a in appeals).items()}
    assert set(share) == set(SCENARIOS)
    assert share["routine"] == pytest.approx(0.75, abs=0.03)
    assert share["police"] == pytest.approx(0.12, abs=0.02)
    assert share["emergency"] == pytest.approx(0.05, abs=0.015)
    assert share["refer"] == pytest.approx(0.05, abs=0.015)
    specials = sum(share[s] for s in ("repeat", "mass", "harass", "bounce_candidate"))
    assert specials == pytest.approx(0.03, abs=0.015)


def test_expected_services_fit_the_scenario(batch):
    order = ["110", "119", "120", "12345"]
    for a in batch:
        assert set(a.expect_services) <= set(order)
        assert list(a.expect_services) == sorted(a.expect_services, key=order.index)
        if a.scenario == "refer":
            assert a.expect_services == ()
        elif a.scenario == "police":
            assert "110" in a.expect_services
        elif a.scenario == "emergency":
            assert set(a.expect_services) & {"119", "120"} or {"110", "12345"} <= set(a.expect_services)
        elif a.scenario in ("routine", "bounce_candidate", "mass", "repeat"):
            assert a.expect_services == ("12345",)


def test_channels_mostly_phone_some_online_some_at_the_110_desk(batch):
    channels = Counter(a.channel for a in batch)
    assert channels[Channel.PHONE] > 0.5 * len(batch)
    assert all(channels[c] > 20 for c in (Channel.WEB, Channel.APP, Channel.WECHAT, Channel.DESK_110))
    routine_at_110 = sum(1 for a in batch if a.scenario == "routine" and a.channel == Channel.DESK_110)
    assert routine_at_110 > 50  # non-police calls the 110 desk passes to 12345
    online = (Channel.WEB, Channel.APP, Channel.WECHAT)
    assert not [a for a in batch if a.scenario in ("emergency", "police") and a.channel in online]


def test_hotline_peaks_in_office_hours_police_at_night(batch):
    def office(a):
        return 8 <= a.received_at.hour < 18

    def night(a):
        return a.received_at.hour >= 19 or a.received_at.hour < 3

    routine = [a for a in batch if a.scenario == "routine"]
    police = [a for a in batch if a.scenario in ("police", "emergency")]
    assert sum(map(office, routine)) > 0.6 * len(routine)
    assert sum(map(night, police)) / len(police) > 1.5 * sum(map(night, routine)) / len(routine)
    assert {a.received_at.hour for a in batch} == set(range(24))
    assert len({a.received_at.date() for a in batch}) >= 7


def test_hotline_is_quieter_at_weekends(batch):
    dates = {a.received_at.date() for a in batch}
    per_day = Counter(a.received_at.date() for a in batch if a.scenario == "routine")
    weekday = [per_day[d] for d in dates if d.weekday() < 5]
    weekend = [per_day[d] for d in dates if d.weekday() >= 5]
    assert weekend and sum(weekend) / len(weekend) < 0.85 * sum(weekday) / len(weekday)


# ---------------------------------------------------------------- special scenarios


def test_repeat_callers_same_phone_same_matter_days_apart(batch):
    threads = by_thread(batch, "repeat-")
    assert 3 <= len(threads) <= 4
    phones = set()
    for calls in threads.values():
        assert len(calls) >= 2
        assert all(a.scenario == "repeat" for a in calls)
        assert len({a.caller_phone for a in calls}) == 1
        assert len({(a.caller_name, a.address, a.region, a.matter) for a in calls}) == 1
        assert len({a.text for a in calls}) == len(calls)  # told differently each time
        dates = [a.received_at.date() for a in calls]
        assert all((later - earlier).days >= 1 for earlier, later in zip(dates, dates[1:]))
        phones.add(calls[0].caller_phone)
    assert len(phones) == len(threads)
    assert sum(len(c) for c in threads.values()) >= 3 * 2 + 2  # someone called three times or more


def test_mass_cluster_distinct_callers_same_place_within_hours(batch):
    clusters = by_thread(batch, "mass-")
    assert len(clusters) == 1
    (calls,) = clusters.values()
    assert 8 <= len(calls) <= 15
    assert all(a.scenario == "mass" for a in calls)
    assert len({a.caller_phone for a in calls}) == len(calls)
    assert len({a.region for a in calls}) == 1 and len(calls[0].region) == 12
    assert len({a.matter for a in calls}) == 1
    assert len({a.text for a in calls}) == len(calls)  # each in their own words
    times = sorted(a.received_at for a in calls)
    assert times[-1] - times[0] <= timedelta(hours=4)


def test_harassing_caller_calls_often_with_abuse(batch):
    threads = by_thread(batch, "harass-")
    assert len(threads) == 1
    (calls,) = threads.values()
    assert len(calls) >= 10
    assert len({a.caller_phone for a in calls}) == 1
    assert any(w in a.text for a in calls for w in ("骂", "废物", "骗子"))
    times = sorted(a.received_at for a in calls)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert sum(g <= timedelta(minutes=30) for g in gaps) >= len(calls) // 3  # bursts


def test_bounce_candidates_are_present_and_name_overlapping_duties(batch):
    bounce = [a for a in batch if a.scenario == "bounce_candidate"]
    assert len(bounce) >= 10
    assert len({a.matter for a in bounce}) >= 5
    assert {"leak_between_neighbours", "manhole_unknown_owner"} & {a.matter for a in bounce}


def test_small_demo_batch_still_shows_every_special_scenario():
    appeals = generate(120, seed=4)
    assert {"repeat", "mass", "harass", "bounce_candidate"} <= {a.scenario for a in appeals}


# ---------------------------------------------------------------- API payload and stream


def test_api_payload_shape(batch):
    appeal = batch[0]
    payload = to_api_payload(appeal)
    assert set(payload) == {"channel", "text", "received_at", "caller", "address", "region"}
    assert payload["caller"] == {"name": appeal.caller_name, "phone": appeal.caller_phone}
    assert payload["channel"] == appeal.channel.value and Channel(payload["channel"]) is appeal.channel
    assert datetime.fromisoformat(payload["received_at"]) == appeal.received_at
    assert payload["received_at"].endswith("+08:00")
    assert json.loads(json.dumps(payload, ensure_ascii=False)) == payload


def test_stream_is_deterministic_and_runs_past_one_week():
    def take(k, **kw):
        stream = iter_stream(seed=3, **kw)
        return [next(stream) for _ in range(k)]

    first = take(1800)
    assert first == take(1800)
    times = [a.received_at for a in first]
    assert times == sorted(times)
    assert times[-1] >= DEFAULT_START + timedelta(days=7)  # into the second week
    other = iter_stream(seed=4)
    assert [a.text for a in first[:50]] != [next(other).text for _ in range(50)]


def test_stream_with_rate_stamps_and_paces():
    start = datetime(2026, 11, 23, 9, 0, tzinfo=CST)
    now = [100.0]
    waits = []

    def fake_sleep(s):
        waits.append(s)
        now[0] += s

    stream = iter_stream(seed=1, start=start, rate_per_s=4, sleep=fake_sleep, monotonic=lambda: now[0])
    got = [next(stream) for _ in range(9)]
    assert [a.received_at for a in got] == [start + timedelta(seconds=i / 4) for i in range(9)]
    assert waits == pytest.approx([0.25] * 8)
    plain = iter_stream(seed=1, start=start)
    assert [a.text for a in got] == [next(plain).text for _ in range(9)]


def test_stream_refuses_a_non_positive_rate():
    with pytest.raises(ValueError):
        next(iter_stream(rate_per_s=0))
