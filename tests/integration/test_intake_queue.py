"""The intake queue (成批受理): appeals that arrive together are stored together, and nothing is lost
or stored twice when one of them cannot be stored."""

import threading
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import IntegrityError

from liandong.api.app import create_app
from liandong.appeals.tables import AppealRow
from liandong.core.actors import Actor, Role
from liandong.core.errors import Busy
from liandong.intake.queue import IntakeQueue, Pending
from liandong.intake.schemas import AppealCreate
from liandong.orders.tables import OrderEventRow, OrderRow
from tests.builders import make_world
from tests.fakes import ScriptedRouter
from tests.servers import serving

OPERATOR = Actor(name="operator", role=Role.OPERATOR)


@pytest.fixture
def world(db_url, clock):
    w = make_world(db_url, clock, router=ScriptedRouter())
    yield w
    w.ctx.close()


def appeal(text: str, phone: str = "13800000001", region: str = "148802001") -> AppealCreate:
    return AppealCreate.model_validate({"channel": "phone", "text": text, "region": region,
                                        "caller": {"name": "张三", "phone": phone}})


def held(ctx, **kw) -> IntakeQueue:
    """A queue whose writer has not started yet: what is put waits, as behind a busy writer."""
    q = IntakeQueue(ctx.intake, ctx.write, **kw)
    q._ensure_started = lambda: None
    return q


def release(q: IntakeQueue) -> None:
    del q._ensure_started
    q._ensure_started()


@contextmanager
def statements(engine, *needles: str):
    """The SQL statements sent while the block runs that contain any of `needles` (newlines read as spaces)."""
    seen: list[str] = []

    def spy(conn, cursor, statement, params, context, executemany):
        flat = statement.replace("\n", " ")
        if any(n in flat for n in needles):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", spy)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", spy)


def count(ctx, row) -> int:
    with ctx.read() as s:
        return s.scalar(select(func.count()).select_from(row))


def test_appeals_waiting_together_are_stored_in_one_transaction(world):
    q = held(world.ctx)
    texts = [f"幸福路{i}号门口占道经营，摊贩堵住人行道" for i in range(9)] + ["幸福路0号门口占道经营，摊贩堵住人行道"]
    futures = [q.put(Pending(appeal(t, phone=f"1380000{i:04d}" if i < 9 else "13800000000"), OPERATOR, "12345",
                             world.ctx.clock.now())) for i, t in enumerate(texts)]
    release(q)
    results = [f.result(timeout=60) for f in futures]
    q.stop()
    assert (q.batches, q.appeals) == (1, 10)
    assert count(world.ctx, AppealRow) == 10 and count(world.ctx, OrderRow) == 10
    with world.ctx.read() as s:
        for appeal_row, orders in results:
            order = s.scalar(select(OrderRow).where(OrderRow.appeal_id == appeal_row.id))
            assert order.status == "dispatched" and order.unit == "URBAN"
            events = s.scalars(select(OrderEventRow).where(OrderEventRow.order_id == order.id).order_by(OrderEventRow.seq)).all()
            assert [(e.seq, e.action) for e in events] == [(1, "receive"), (2, "dispatch")]
    # the last caller repeats the first caller's matter within the same batch: linked as a repeat call
    first_number = results[0][1][0].number
    assert {"order_id": first_number, "relation": "repeat"} in results[-1][0].routing["related"]


def test_an_appeal_that_cannot_be_stored_fails_alone_and_the_others_are_kept(world):
    q = held(world.ctx)
    stored = q.put(Pending(appeal("人民路路灯不亮好几天了"), OPERATOR, "12345", world.ctx.clock.now()))
    release(q)
    first_id = stored.result(timeout=60)[0].id
    q.stop()

    q = held(world.ctx)
    good = [q.put(Pending(appeal(f"建设路{i}号占道经营", phone=f"1390000{i:04d}"), OPERATOR, "12345", world.ctx.clock.now()))
            for i in range(3)]
    twice = q.put(Pending(appeal("人民路路灯不亮好几天了"), OPERATOR, "12345", world.ctx.clock.now(), appeal_id=first_id))
    release(q)
    assert all(f.result(timeout=60)[0].id for f in good)
    with pytest.raises(IntegrityError):  # the same appeal id again: refused by the primary key
        twice.result(timeout=60)
    q.stop()
    assert count(world.ctx, AppealRow) == 4 and count(world.ctx, OrderRow) == 4
    # the index was rebuilt from the database: a repeat of a stored appeal is still found
    r = world.post("operator", "/appeals", {"channel": "phone", "text": "建设路0号占道经营", "region": "148802001",
                                            "caller": {"phone": "13900000000"}})
    assert r.status_code == 201 and r.json()["related"][0]["relation"] == "repeat"


def test_a_full_queue_refuses_with_a_clear_busy_error_and_loses_what_it_holds(world):
    q = held(world.ctx, max_waiting=2)
    waiting = [q.put(Pending(appeal(f"和平路{i}号占道经营", phone=f"1370000{i:04d}"), OPERATOR, "12345", world.ctx.clock.now()))
               for i in range(2)]
    with pytest.raises(Busy, match="系统繁忙"):
        q.put(Pending(appeal("和平路9号占道经营"), OPERATOR, "12345", world.ctx.clock.now()))
    release(q)
    assert all(f.result(timeout=60) for f in waiting)
    q.stop()
    assert count(world.ctx, AppealRow) == 2


def test_stopping_stores_what_is_queued_first(world):
    q = held(world.ctx)
    futures = [q.put(Pending(appeal(f"光明路{i}号占道经营", phone=f"1360000{i:04d}"), OPERATOR, "12345", world.ctx.clock.now()))
               for i in range(5)]
    release(q)
    q.stop()
    assert all(f.done() and f.exception() is None for f in futures)
    assert count(world.ctx, AppealRow) == 5


def test_many_operators_at_once_over_http_every_appeal_stored_once_with_its_order(world):
    n = 40
    with serving(create_app(world.ctx)) as base:
        barrier = threading.Barrier(n)
        codes: list[int] = []
        numbers: list[str] = []
        lock = threading.Lock()

        def submit(i: int) -> None:
            body = {"channel": "phone", "text": f"胜利路{i}号夜间施工噪音扰民占道经营", "region": "148802001",
                    "caller": {"phone": f"1350000{i:04d}"}}
            with httpx.Client(base_url=base, timeout=60) as client:
                barrier.wait()
                r = client.post("/api/v1/appeals", json=body, headers=world.as_("operator"))
            with lock:
                codes.append(r.status_code)
                numbers.extend(o["id"] for o in r.json().get("orders", []))

        threads = [threading.Thread(target=submit, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert codes == [201] * n
    assert len(numbers) == len(set(numbers)) == n
    assert count(world.ctx, AppealRow) == n and count(world.ctx, OrderRow) == n
    assert count(world.ctx, OrderEventRow) == 2 * n
    assert world.ctx.intake_queue.appeals == n


def test_an_overloaded_desk_answers_503_in_chinese_and_stores_nothing_half(world):
    q = held(world.ctx, max_waiting=1)
    world.ctx.__dict__["intake_queue"] = q  # the desk's queue: its writer is busy and one appeal already waits
    waiting = q.put(Pending(appeal("团结路占道经营"), OPERATOR, "12345", world.ctx.clock.now()))
    r = world.post("operator", "/appeals", {"channel": "phone", "text": "解放路路灯不亮", "region": "148802001"})
    assert r.status_code == 503
    assert r.json()["error"] == "busy" and "系统繁忙" in r.json()["message"]
    release(q)
    assert waiting.result(timeout=60)
    q.stop()
    assert count(world.ctx, AppealRow) == 1 and count(world.ctx, OrderRow) == 1  # only the appeal that waited


def test_an_appeal_routed_by_its_caller_is_not_routed_again_and_its_extra_rows_share_its_transaction(world):
    from liandong.portal.tables import PhotoRow

    body = appeal("幸福路3号门口的路灯坏了一个星期，晚上很黑")
    routing = world.ctx.intake.route([body])[0]
    routed = []
    real_route = world.ctx.intake.route
    world.ctx.intake.route = lambda bodies: routed.append(len(bodies)) or real_route(bodies)
    now = world.ctx.clock.now()
    photo = lambda s: s.add(PhotoRow(sha256="a" * 64, bytes=10, width=1, height=1, created_at=now))  # noqa: E731
    q = held(world.ctx)
    first = q.put(Pending(body, OPERATOR, "12345", now, routing=routing, also=photo))
    second = q.put(Pending(appeal("人民路口的井盖丢了，有车差点掉进去", phone="13800000002"), OPERATOR, "12345", now))
    release(q)
    (stored, orders), _ = first.result(timeout=60), second.result(timeout=60)
    assert routed == [1]  # only the appeal that came without a routing was routed
    assert stored.routing["services"] == list(routing.services) and orders
    assert count(world.ctx, PhotoRow) == 1

    def broken(s):
        s.add(PhotoRow(sha256="b" * 64, bytes=10, width=1, height=1, created_at=now))
        raise ValueError("照片记录写入失败")

    before = count(world.ctx, AppealRow)
    failed = q.put(Pending(appeal("人民路口的井盖又丢了", phone="13800000003"), OPERATOR, "12345", now, also=broken))
    with pytest.raises(ValueError):
        failed.result(timeout=60)
    q.stop()
    assert count(world.ctx, AppealRow) == before and count(world.ctx, PhotoRow) == 1  # neither the appeal nor its rows


def test_a_batch_reads_its_callers_history_in_one_query_and_still_finds_a_repeat_stored_elsewhere(world):
    """The callers' earlier appeals are read once per batch, from the database (no process holds them), so
    the second call is a repeat whichever worker took the first."""
    q = held(world.ctx)
    future = q.put(Pending(appeal("幸福路3号门口占道经营，摊贩堵住人行道", phone="13900000077"), OPERATOR, "12345",
                           world.ctx.clock.now()))
    release(q)
    first = future.result(timeout=60)
    q.stop()
    with statements(world.ctx.engine, "caller_key IN", "caller_key = ANY") as caller_reads:
        q = held(world.ctx)
        futures = [q.put(Pending(appeal(f"幸福路{i}号门口占道经营，摊贩堵住人行道", phone=f"1390000{i:04d}"), OPERATOR,
                                 "12345", world.ctx.clock.now())) for i in range(5)]
        futures.append(q.put(Pending(appeal("幸福路3号门口占道经营，摊贩堵住人行道", phone="13900000077"), OPERATOR,
                                     "12345", world.ctx.clock.now())))
        release(q)
        results = [f.result(timeout=60) for f in futures]
        q.stop()
    assert q.batches == 1 and len(caller_reads) == 1
    first_number = first[1][0].number
    assert {"order_id": first_number, "relation": "repeat"} in results[-1][0].routing["related"]


def test_a_batch_reads_the_push_subscribers_once_and_every_emergency_gets_its_delivery(world):
    """Order events of one intake batch share one look-up of the subscribers; each new emergency order
    still gets a delivery for each subscriber of that kind."""
    from liandong.push.tables import DeliveryRow

    with world.ctx.write() as s:
        world.ctx.push.add(s, name="城运中心", url="http://127.0.0.1:18399/h", key="k" * 32, events=["new_emergency"],
                           now=world.ctx.clock.now())
        world.ctx.push.add(s, name="应急局", url="http://127.0.0.1:18398/h", key="k" * 32,
                           events=["new_emergency", "order_closed"], now=world.ctx.clock.now())
    with statements(world.ctx.engine, "FROM push_subscribers") as reads:
        q = held(world.ctx)
        futures = [q.put(Pending(appeal(f"幸福路{i}号楼顶有人要跳楼", phone=f"1370000{i:04d}", region=f"14880200{i + 1}"),
                                 OPERATOR, "12345", world.ctx.clock.now())) for i in range(4)]
        release(q)
        results = [f.result(timeout=60) for f in futures]
        q.stop()
    assert q.batches == 1 and len(reads) == 1
    opened = [o.number for _, orders in results for o in orders if o.level != "一般" or o.platform == "110"]
    assert len(opened) >= 4
    with world.ctx.read() as s:
        delivered = s.execute(select(DeliveryRow.order_number, func.count()).group_by(DeliveryRow.order_number)).all()
    assert dict(delivered) == {n: 2 for n in opened}


def _batch(world, calls) -> list:
    q = held(world.ctx)
    futures = [q.put(Pending(appeal(text, phone=phone), OPERATOR, "12345", world.ctx.clock.now())) for text, phone in calls]
    release(q)
    results = [f.result(timeout=60) for f in futures]
    q.stop()
    return results


def test_a_cluster_committed_here_is_named_again_without_reading_its_orders_or_marking_its_lead_twice(world):
    """群诉: the first batch finds the cluster and marks its lead; a later batch of the same cluster names
    the same lead and members from what this process committed — no SELECT of the members' orders and no
    second UPDATE of the lead."""
    text = "幸福路3号门口占道经营，摊贩堵住人行道"
    first = _batch(world, [(text, f"1391111{i:04d}") for i in range(4)])
    lead = first[0][1][0].number
    assert first[-1][1][0].lead_order == lead and first[-1][1][0].mass
    with statements(world.ctx.engine, "FROM orders WHERE orders.appeal_id IN", "SET mass_lead") as sent:
        later = _batch(world, [(text, f"1392222{i:04d}") for i in range(3)])
    assert sent == []
    assert all(orders[0].lead_order == lead and orders[0].mass for _, orders in later)
    named = {r["order_id"] for r in later[-1][0].routing["related"] if r["relation"] == "mass"}
    assert {o.number for _, orders in first for o in orders} - {lead} <= named | {lead}
    with world.ctx.read() as s:
        assert s.scalar(select(OrderRow.mass_lead).where(OrderRow.number == lead)) is True


def test_a_repeat_reads_whether_the_earlier_order_left_the_caller_unsatisfied(world):
    """The earlier order is one this process committed, but its visit (回访) came later: the repeat still
    sees 不满意 and goes to the supervisor as 重复来电未解决."""
    text = "幸福路3号门口占道经营，摊贩堵住人行道"
    (_, orders), = _batch(world, [(text, "13933330000")])
    with world.ctx.write() as s:
        s.execute(update(OrderRow).where(OrderRow.number == orders[0].number).values(satisfied=False))
    (again, reopened), = _batch(world, [(text, "13933330000")])
    assert {"order_id": orders[0].number, "relation": "repeat"} in again.routing["related"]
    assert reopened[0].repeat_call == "repeat_unresolved" and reopened[0].review


def test_the_writer_keeps_what_it_read_decoding_only_new_rows_and_never_meets_a_rolled_back_appeal(world, monkeypatch):
    """Between batches the writer keeps the candidate rows it read (a stored row never changes): the next
    batch reads again but decodes only rows it has not seen. An appeal whose transaction rolled back is
    never met: here it would have made the third caller of a 群诉 that two callers cannot make."""
    import liandong.supervision.related_candidates as candidates

    decoded = []
    real = candidates.decode
    monkeypatch.setattr(candidates, "decode", lambda f, c, p: decoded.append(len(c)) or real(f, c, p))
    text = "幸福路3号门口占道经营，摊贩堵住人行道"
    first = _batch(world, [(text, "13955550001")])
    assert first[0][1][0].mass is False

    def broken(s):
        raise ValueError("附加记录写入失败")

    q = held(world.ctx)
    failed = q.put(Pending(appeal(text, phone="13955550002"), OPERATOR, "12345", world.ctx.clock.now(), also=broken))
    release(q)
    with pytest.raises(ValueError):
        failed.result(timeout=60)
    q.stop()
    q = held(world.ctx)  # one writer thread, as in a serving process: what it keeps is its own
    third = q.put(Pending(appeal(text, phone="13955550003"), OPERATOR, "12345", world.ctx.clock.now()))
    release(q)
    assert third.result(timeout=60)[1][0].mass is False  # two callers stored: no 群诉 (the rolled-back one not counted)
    with world.ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(AppealRow)) == 2
    decoded.clear()
    fourth = q.put(Pending(appeal(text, phone="13955550004"), OPERATOR, "12345", world.ctx.clock.now()))
    assert fourth.result(timeout=60)[1][0].mass is True  # three callers stored
    q.stop()
    assert decoded == []  # the rows this batch read were all decoded by the batch before it
