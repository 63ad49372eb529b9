"""Rows staged beside the ORM (`storage/staged.py`): what `session.add` would give, in one INSERT per table."""

from datetime import datetime

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from liandong.app import Liandong
from liandong.appeals.tables import AppealRow, add_appeal
from liandong.config import Settings
from liandong.core.clock import CST
from liandong.orders.tables import OrderEventRow, OrderRow
from liandong.storage.ids import next_id
from liandong.storage.staged import stage

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CST)


@pytest.fixture
def ctx(db_url):
    c = Liandong(Settings(database_url=db_url))
    yield c
    c.close()


def _order(s, name: str) -> OrderRow:
    appeal = AppealRow(id=f"ap-{name}", channel="web", received_at=NOW, text="路灯不亮", routing={}, attachments=[],
                       created_by="t", created_at=NOW)
    add_appeal(s, appeal)
    order = OrderRow(id=next_id(s, OrderRow.__table__), number=f"T-{name}", platform="12345", appeal_id=appeal.id,
                     status="received", title="路灯不亮", services=[], created_at=NOW, updated_at=NOW, version=1)
    s.add(order)
    return order


def _event(s, order: OrderRow, seq: int) -> dict:
    return dict(id=next_id(s, OrderEventRow.__table__), order_id=order.id, seq=seq, action="receive", from_status=None,
                to_status="received", actor="t", role="operator", unit=None, at=NOW, note="", data={"k": seq},
                prev_hash=None, hash=None)


def _events(ctx) -> list[tuple]:
    with ctx.read() as s:
        return list(s.execute(select(OrderEventRow.order_id, OrderEventRow.seq, OrderEventRow.data)
                              .order_by(OrderEventRow.order_id, OrderEventRow.seq)))


def test_staged_rows_of_many_orders_go_in_after_their_orders_in_one_insert(ctx):
    """The events refer to orders not yet flushed: a staged row written first would break the foreign key."""
    inserts = []

    @event.listens_for(ctx.engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO order_events"):
            inserts.append(statement)

    with ctx.write() as s:
        orders = [_order(s, str(i)) for i in range(5)]
        for o in orders:
            for seq in (1, 2):
                stage(s, OrderEventRow.__table__, _event(s, o, seq))
    assert [(oid, seq) for oid, seq, _ in _events(ctx)] == [(o.id, q) for o in orders for q in (1, 2)]
    assert [d for *_, d in _events(ctx)][:2] == [{"k": 1}, {"k": 2}]  # JSON and types as through the ORM
    assert len(inserts) == 1


def test_a_query_in_the_same_transaction_sees_what_was_staged(ctx):
    with ctx.write() as s:
        order = _order(s, "a")
        s.flush()
        order.updated_at = NOW  # the change an event always comes with: the next query autoflushes
        stage(s, OrderEventRow.__table__, _event(s, order, 1))
        assert s.scalar(select(func.count()).select_from(OrderEventRow).where(OrderEventRow.order_id == order.id)) == 1


def test_staged_rows_are_written_at_commit_when_nothing_else_is_left_to_flush(ctx):
    with ctx.write() as s:
        order = _order(s, "b")
        s.flush()
        stage(s, OrderEventRow.__table__, _event(s, order, 1))
    assert [(oid, seq) for oid, seq, _ in _events(ctx)] == [(order.id, 1)]


def test_a_rolled_back_transaction_leaves_no_staged_row_and_the_next_one_starts_clean(ctx):
    with pytest.raises(RuntimeError):
        with ctx.write() as s:
            order = _order(s, "c")
            stage(s, OrderEventRow.__table__, _event(s, order, 1))
            s.flush()  # written already, still rolled back with its transaction
            stage(s, OrderEventRow.__table__, _event(s, order, 2))
            raise RuntimeError("abandon")
    assert _events(ctx) == []
    with ctx.write() as s:
        order = _order(s, "d")
    assert _events(ctx) == []  # nothing of the abandoned transaction was kept for this one


def test_a_bad_staged_row_fails_the_whole_transaction(ctx):
    """The same as a bad ORM row: the commit raises and nothing of the transaction is stored."""
    with pytest.raises(IntegrityError):
        with ctx.write() as s:
            order = _order(s, "e")
            stage(s, OrderEventRow.__table__, _event(s, order, 1))
            stage(s, OrderEventRow.__table__, {**_event(s, order, 1)})  # the same (order, seq) twice
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(OrderRow)) == 0
    assert _events(ctx) == []
