"""The reads behind the dispatch queue and the unit inbox: scoped, in the database, in queue order."""

from datetime import timedelta

from liandong.core.actors import Actor, Role
from liandong.orders import queries
from liandong.supervision.queries import received_queue
from tests.builders import World

APPEAL = {"channel": "phone", "text": "占道经营", "region": "148802001002",
          "caller": {"name": "李秀英", "phone": "13812345678"}}
DISPATCHER = Actor("dispatcher", Role.DISPATCHER)
WEST = Actor("dispatcher_west", Role.DISPATCHER, region="148803")
URBAN = Actor("handler_urban", Role.HANDLER, unit="URBAN")


def open_one(world: World, text: str, **extra) -> str:
    r = world.post("operator", "/appeals", {**APPEAL, "text": text, **extra})
    assert r.status_code == 201, r.text
    return r.json()["orders"][0]["id"]


def test_received_queue_splits_review_from_the_rest_oldest_first_in_scope(world: World):
    first = open_one(world, "不确定，垃圾堆了")
    world.ctx.clock.advance(timedelta(minutes=5))
    second = open_one(world, "不确定，井盖松了")
    returned = open_one(world, "路边占道经营")  # dispatched at once; returned and approved: received again
    world.act("handler_urban", returned, "sign")
    world.act("handler_urban", returned, "return", reason="wrong_region", note="不属本单位")
    world.act("supervisor", returned, "approve_return")
    open_one(world, "路灯不亮")  # dispatched: in neither part
    with world.ctx.read() as s:
        review, review_total = received_queue(s, DISPATCHER, "12345", review=True)
        other, other_total = received_queue(s, DISPATCHER, "12345", review=False)
        west, west_total = received_queue(s, WEST, "12345", review=True)
        assert [o.number for o, _ in review] == [first, second] and review_total == 2
        assert [o.number for o, _ in other] == [returned] and other_total == 1
        assert west == [] and west_total == 0  # another district's dispatcher


def test_inbox_is_the_units_open_orders_least_time_left_first(world: World):
    clock = world.ctx.clock
    a = open_one(world, "占道经营一")
    clock.advance(timedelta(hours=1))
    b = open_one(world, "占道经营二")
    world.act("handler_urban", a, "sign")  # its 签收 limit is met: its next deadline is 答复, days away
    c = open_one(world, "占道经营三")
    world.act("handler_urban", c, "sign")
    world.act("handler_urban", c, "reply", note="已处理")  # replied: no longer the unit's to do
    open_one(world, "停水了")  # another unit's
    with world.ctx.read() as s:
        rows = queries.inbox(s, URBAN, "12345")
        assert [o.number for o, _ in rows] == [b, a]
        label, due = queries.next_due(rows[0][0])
        assert label == "签收" and due == rows[0][0].sign_due
        assert queries.next_due(rows[1][0]) == ("答复", rows[1][0].reply_due)
