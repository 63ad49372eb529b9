"""Repeat and mass candidates read from the database (issue 17): no process holds the history, so two workers
on one database find each other's appeals at once; a batch reads its candidates in a few queries; every
stored appeal has its candidate rows; recall on the labelled pairs through this path."""

from __future__ import annotations

import importlib.util
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, func, select, text

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.appeals.tables import AppealRow
from liandong.config import Settings
from liandong.core.actors import Actor, Role
from liandong.core.clock import CST
from liandong.intake.queue import IntakeQueue, Pending
from liandong.intake.schemas import AppealCreate
from liandong.storage.migrate import upgrade
from liandong.supervision.related_service import RelatedFinder, probe
from liandong.supervision.related_store import AppealFeatureRow, AppealPlaceRow, derive
from tests.builders import World, make_world
from tests.fakes import ScriptedRouter

OPERATOR = Actor(name="operator", role=Role.OPERATOR)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_workers(db_url, clock):
    a = make_world(db_url, clock, router=ScriptedRouter())
    ctx_b = Liandong(Settings(database_url=db_url), clock=clock, router_override=ScriptedRouter())
    b = World(ctx=ctx_b, client=TestClient(create_app(ctx_b), raise_server_exceptions=False), tokens=a.tokens)
    yield a, b
    a.ctx.close()
    b.ctx.close()


def post(world: World, text: str, phone: str, region: str = "148802001") -> dict:
    r = world.post("operator", "/appeals", {"channel": "phone", "text": text, "region": region, "caller": {"phone": phone}})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_repeat_taken_by_another_worker_is_linked_to_the_first_call(two_workers):
    a, b = two_workers
    post(b, "文化路菜市场门口占道经营", "13500000001")
    first = post(a, "幸福路88号门口夜间占道经营，摊贩堵住消防通道", "13500000002")
    again = post(b, "幸福路88号门口夜间占道经营，摊贩堵住消防通道，还没人管", "13500000002")
    assert {"order_id": first["orders"][0]["id"], "relation": "repeat"} in again["related"]
    third = post(a, "文化路菜市场门口占道经营", "13500000001")
    assert [r["relation"] for r in third["related"]] == ["repeat"]  # once, though both workers have looked


def test_an_appeal_received_earlier_but_stored_later_is_found(two_workers):
    a, b = two_workers
    clock = a.ctx.clock
    start = clock.now()
    clock.advance(timedelta(seconds=5))
    post(b, "文化路菜市场门口占道经营", "13500000001")
    clock.set(start)  # a's transaction stamped earlier, committed later (it waited in a queue)
    first = post(a, "幸福路88号门口夜间占道经营，摊贩堵住消防通道", "13500000002")
    clock.set(start + timedelta(seconds=6))
    again = post(b, "幸福路88号门口夜间占道经营，摊贩堵住消防通道，还没人管", "13500000002")
    assert {"order_id": first["orders"][0]["id"], "relation": "repeat"} in again["related"]


def test_a_mass_complaint_gathers_callers_of_both_workers(two_workers):
    a, b = two_workers
    texts = ["龙湾花园旁边的建筑工地每天晚上施工到十二点多，噪音很大，严重影响居民休息",
             "反映龙湾花园附近有个工地夜间施工，十二点以后还在打桩，吵得睡不着觉",
             "龙湾花园边上工地夜里偷偷施工，机器声音太吵了，到十二点都不停"]
    firsts = [post(w, t, f"1350000100{i}") for i, (w, t) in enumerate(zip((a, b, a), texts))]
    assert "mass" not in [r["relation"] for f in firsts[:2] for r in f["related"]]
    assert {r["order_id"] for r in firsts[2]["related"] if r["relation"] == "mass"} == \
        {f["orders"][0]["id"] for f in firsts[:2]}
    elsewhere = post(b, texts[0], "13500001009", region="148803001")  # another street: not a member
    assert "mass" not in [r["relation"] for r in elsewhere["related"]]


def _body(text: str, phone: str) -> AppealCreate:
    return AppealCreate.model_validate({"channel": "phone", "text": text, "region": "148802001",
                                        "caller": {"name": "张三", "phone": phone}})


def test_a_batch_reads_its_candidates_in_three_queries_and_meets_its_own_appeals(db_url, clock):
    world = make_world(db_url, clock, router=ScriptedRouter())
    try:
        with world.ctx.read() as s:
            world.ctx.related.warm_up(s)
        reads = []

        def spy(conn, cursor, statement, params, context, executemany):
            if statement.lstrip().upper().startswith("SELECT") and ("appeal_features" in statement
                                                                   or "appeal_places" in statement):
                reads.append(statement)

        event.listen(world.ctx.engine, "before_cursor_execute", spy)
        q = IntakeQueue(world.ctx.intake, world.ctx.write)
        q._ensure_started = lambda: None  # held: all six wait for one batch
        texts = [f"幸福路{i}号门口占道经营，摊贩堵住人行道" for i in range(5)] + ["幸福路0号门口占道经营，摊贩堵住人行道，还是没人管"]
        phones = [f"1390000{i:04d}" for i in range(5)] + ["13900000000"]
        futures = [q.put(Pending(_body(t, p), OPERATOR, "12345", clock.now())) for t, p in zip(texts, phones)]
        del q._ensure_started
        q._ensure_started()
        results = [f.result(timeout=60) for f in futures]
        q.stop()
        event.remove(world.ctx.engine, "before_cursor_execute", spy)
        assert q.batches == 1
        assert len(reads) <= 3, reads  # callers, region by place key, (region, matter): for all six at once
        relations = {(r["order_id"], r["relation"]) for r in results[-1][0].routing["related"]}
        assert (results[0][1][0].number, "repeat") in relations  # the first call, earlier in the same batch
    finally:
        world.ctx.close()


def test_every_stored_appeal_has_its_candidate_rows(db_url, clock):
    ctx = Liandong(Settings(database_url=db_url), clock=clock, router_override=ScriptedRouter())
    try:
        appeal = AppealRow(id="t1", channel="gov_transfer", received_at=clock.now(), text="锦绣花园3号楼门口垃圾三天没人清运",
                           region="148802001", routing={"category_code": "C01"}, created_by="exchange",
                           created_at=clock.now(), attachments=[])
        with ctx.write() as s:  # as a transfer from a peer desk stores it: not through intake
            s.add(appeal)
        with ctx.read() as s:
            row = s.get(AppealFeatureRow, "t1")
            places = s.scalars(select(AppealPlaceRow.place).where(AppealPlaceRow.appeal_id == "t1")).all()
        expected, expected_places = derive(appeal)
        assert (row.feats, row.counts, row.matter, row.region) == (expected["feats"], expected["counts"], "C01", "148802001")
        assert sorted(places) == sorted(p["place"] for p in expected_places) and 0 not in places  # names 锦绣花园
    finally:
        ctx.close()


def test_the_migration_gives_the_appeals_of_the_window_their_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url, "0014")
    engine = create_engine(url)
    recent = (datetime.now(CST) - timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    old = (datetime.now(CST) - timedelta(days=90)).strftime("%Y-%m-%d %H:%M:%S")
    with engine.begin() as conn:
        for appeal_id, at in (("recent", recent), ("old", old)):
            conn.execute(text("INSERT INTO appeals (id, channel, received_at, caller_key, text, region, routing, attachments,"
                              " created_by, created_at) VALUES (:id, 'phone', :at, 'k1', '解放路东段路灯坏了', '148802001',"
                              " '{}', '[]', 't', :at)"), {"id": appeal_id, "at": at})
    upgrade(url)
    with engine.connect() as conn:
        assert conn.execute(select(AppealFeatureRow.appeal_id)).scalars().all() == ["recent"]
        assert conn.execute(select(func.count()).select_from(AppealPlaceRow)).scalar_one() == 1
    engine.dispose()


def _pairs():
    name = "liandong_tests_appeal_pairs"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "data" / "appeal_pairs.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_recall_on_the_labelled_pairs_through_the_database(db_url):
    """300 same-matter and 300 look-alike pairs (tests/data/appeal_pairs.py) over a background of 3,000
    appeals, all stored; the second texts of all pairs are checked as one intake batch."""
    pairs_module = _pairs()
    t0 = datetime(2026, 9, 30, 16, 0, tzinfo=CST)
    rng = random.Random(11)
    streets = pairs_module.many_streets(40)
    pairs = pairs_module.make_pairs(seed=2026, n=600)
    ctx = Liandong(Settings(database_url=db_url))
    try:
        with ctx.write() as s:
            for i in range(3000):
                street, body = pairs_module.synthetic_appeal(rng, streets)
                at = t0 - timedelta(days=200) + timedelta(minutes=37 * i)
                s.add(AppealRow(id=f"bg{i}", channel="phone", received_at=at, caller_key=f"bg-caller{i % 1700}",
                                text=body, region=f"r{streets.index(street)}", routing={}, attachments=[],
                                created_by="t", created_at=at))
            for k, pair in enumerate(pairs):
                s.add(AppealRow(id=f"pair{k}", channel="phone", received_at=t0 - timedelta(days=1),
                                caller_key=f"pair-caller{k}", text=pair.a, region="eval", routing={}, attachments=[],
                                created_by="t", created_at=t0))
        finder = RelatedFinder()
        hits, totals = {1: 0, 0: 0}, {1: 0, 0: 0}
        with ctx.read() as s:
            finder.warm_up(s)
            asked = [AppealRow(id=f"q{k}", text=pair.b, caller_key=f"pair-caller{k}", region="eval", routing={},
                               received_at=t0) for k, pair in enumerate(pairs)]
            finder.prefetch(s, [probe(a.text, a.caller_key, a.region, a.routing, a.received_at) for a in asked])
            for pair, appeal in zip(pairs, asked):
                report = finder.report(s, appeal)
                hits[pair.label] += any(r.appeal_id == appeal.id.replace("q", "pair") for r in report.repeats)
                totals[pair.label] += 1
            finder.end_batch()
        assert finder.frequencies.documents >= 3600  # the IDF sample: every stored appeal here, and the batch's
        assert totals == {1: 300, 0: 300}
        assert hits[1] / totals[1] >= 0.95, hits
        assert hits[0] / totals[0] <= 0.03, hits
    finally:
        ctx.close()
