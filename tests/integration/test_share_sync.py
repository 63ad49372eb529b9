"""The intermediate database (中间库): a full sync, then incremental ones, leave the target equal row for row
to the consumer's masked view of the source; handling results written back are applied as audited
actions or refused with a reason, nothing half-applied and nothing applied twice."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, insert, select, text

from liandong.orders.service import events_of, get_order
from liandong.share import queries, target
from liandong.share.consumers import authenticate
from liandong.share.scopes import authorise, project
from liandong.share.sync import Sync, _text
from tests.builders import make_world
from tests.conftest import PG_URL, USE_PG
from tests.fakes import ScriptedRouter
from tests.share_kit import add_consumer, feed_settled, open_appeal


@pytest.fixture
def target_url(tmp_path):
    if not USE_PG:
        yield f"sqlite:///{tmp_path / 'share-target.db'}"
        return
    name = f"ld_share_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def setup(db_url, clock, target_url):
    world = make_world(db_url, clock, router=ScriptedRouter())
    key = add_consumer(world, "城管局", unit="URBAN", datasets="orders,events,stats")
    with world.ctx.read() as s:
        consumer = authenticate(s, key)
    engine = create_engine(target_url)
    sync = Sync(read=world.ctx.read, write=world.ctx.write, orders=world.ctx.orders, city=world.ctx.city,
                clock=world.ctx.clock, consumer=consumer, engine=engine, name="target-1")
    yield world, consumer, sync, engine
    engine.dispose()
    world.ctx.close()


def assert_equal_to_source(world, consumer, engine):
    code = world.ctx.city.city.code
    f = queries.Filters(limit=10**6)
    with world.ctx.read() as s:
        views = {"orders": queries.orders(s, consumer, f, code), "events": queries.events(s, consumer, f, code),
                 "stats": queries.stats(s, consumer, f, code)}
    tables = {"orders": (target.orders, target.ORDER_COLUMNS, ["number"]),
              "events": (target.events, target.EVENT_COLUMNS, ["order_number", "seq"]),
              "stats": (target.stats, target.STAT_COLUMNS, ["day", "region", "platform", "category_code"])}
    for name, (table, columns, key) in tables.items():
        read = authorise(consumer, name)
        want = sorted(({c: _text(project(read, r).get(c)) for c in columns} for r in views[name]),
                      key=lambda r: [str(r[k]) for k in key])
        with engine.connect() as c:
            got = [{k: r._mapping[k] for k in columns}
                   for r in c.execute(select(table).order_by(*[table.c[k] for k in key]))]
        got.sort(key=lambda r: [str(r[k]) for k in key])
        assert got == want, name
        assert want, f"{name}: the comparison must compare something"


def test_full_then_incremental_syncs_leave_the_target_equal_to_the_source(setup):
    world, consumer, sync, engine = setup
    first = open_appeal(world)["orders"][0]["id"]
    open_appeal(world, text="我家停水了", region="148802001")  # another unit's order: not this consumer's
    feed_settled(world)
    report = sync.run()
    assert report.full and report.orders == 1
    assert_equal_to_source(world, consumer, engine)
    with engine.connect() as c:
        row = c.execute(select(target.orders)).one()._mapping
    assert row["caller_phone"] == "138****5678" and row["caller_name"] == "李**"
    assert world.act("handler_urban", first, "sign").status_code == 200
    second = open_appeal(world, text="路边占道经营又来了")["orders"][0]["id"]
    assert world.act("handler_urban", first, "handle", step="核实", note="已到场").status_code == 200
    feed_settled(world)
    again = sync.run()
    assert not again.full and again.orders == 2 and again.events >= 3  # sign, handle, the new order
    assert_equal_to_source(world, consumer, engine)
    assert world.act("handler_urban", second, "sign").status_code == 200
    feed_settled(world)
    sync.run()
    sync.run()  # nothing new: still equal, nothing duplicated
    assert_equal_to_source(world, consumer, engine)


def test_written_back_results_are_applied_or_refused_with_a_reason(setup):
    world, consumer, sync, engine = setup
    mine = open_appeal(world)["orders"][0]["id"]
    other = open_appeal(world, text="我家停水了", region="148802001")["orders"][0]["id"]
    feed_settled(world)
    sync.run()
    rows = [  # (order, action, unit) → expected outcome
        dict(order_number=mine, action="sign", unit="URBAN", note="已签收"),
        dict(order_number=mine, action="sign", unit="NOPE"),
        dict(order_number=mine, action="close", unit="URBAN"),
        dict(order_number=mine, action="evaluate", unit="URBAN"),
        dict(order_number=other, action="sign", unit="WSUPPLY"),
        dict(order_number="GD-NOPE", action="sign", unit="URBAN"),
        dict(order_number=mine, action="reply", unit="URBAN", note="x" * 2001),
    ]
    with engine.begin() as c:
        c.execute(insert(target.inbound), [{"note": None, **r} for r in rows])
    with world.ctx.read() as s:
        versions = {n: get_order(s, n).version for n in (mine, other)}
    report = sync.run()
    assert [o.ref for o in report.applied] == [1]
    with engine.connect() as c:
        answers = {r.id: (r.status, r.outcome) for r in c.execute(select(target.inbound))}
    assert answers[1][0] == "applied" and "signed" in answers[1][1]
    assert answers[2] == ("refused", "拒收：单位代码「NOPE」不存在")
    assert answers[3][0] == "refused" and "不支持的回写操作「close」" in answers[3][1]
    assert answers[4][0] == "refused" and "evaluate" in answers[4][1]
    assert answers[5][0] == "refused" and "只能回写本单位" in answers[5][1]
    assert answers[6] == ("refused", "拒收：工单「GD-NOPE」不存在")
    assert answers[7][0] == "refused" and "2000" in answers[7][1]
    with world.ctx.read() as s:
        order, untouched = get_order(s, mine), get_order(s, other)
        trail = events_of(s, order)
        assert order.status == "signed" and order.version == versions[mine] + 1
        assert untouched.version == versions[other]
        assert trail[-1].actor == "城管局（回写）" and trail[-1].unit == "URBAN" and trail[-1].note == "已签收"
    illegal = dict(order_number=mine, action="request_extension", unit="URBAN", days=0)
    with engine.begin() as c:
        c.execute(insert(target.inbound), [illegal, dict(order_number=mine, action="sign", unit="URBAN", days=None)])
        c.execute(text("UPDATE ld_inbound SET status = 'pending' WHERE id = 1"))  # the sender asks again
    feed_settled(world)
    report = sync.run()
    assert [o.ref for o in report.applied] == [1]  # answered as before, not applied twice
    with engine.connect() as c:
        answers = {r.id: (r.status, r.outcome) for r in c.execute(select(target.inbound))}
    assert "延期" in answers[8][1] and answers[9][0] == "refused" and "已签收" in answers[9][1]
    with world.ctx.read() as s:
        assert get_order(s, mine).version == versions[mine] + 1
    assert_equal_to_source(world, consumer, engine)
