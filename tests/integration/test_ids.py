"""Ids handed out before the INSERT (`storage/ids.py`): unique across transactions and processes."""

from datetime import datetime

from sqlalchemy import select

from liandong.app import Liandong
from liandong.appeals.tables import AppealRow, add_appeal
from liandong.config import Settings
from liandong.core.clock import CST
from liandong.orders.tables import OrderEventRow, OrderRow
from liandong.storage.ids import next_id

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CST)


def store_appeals(ctx: Liandong, prefix: str, n: int) -> list[int]:
    """n appeals with one event-less order row each, in one transaction; the order ids used."""
    ids = []
    with ctx.write() as s:
        for i in range(n):
            appeal = AppealRow(id=f"{prefix}{i}", channel="web", received_at=NOW, text="路灯不亮", routing={},
                               attachments=[], created_by="t", created_at=NOW)
            add_appeal(s, appeal)
            oid = next_id(s, OrderRow.__table__)
            s.add(OrderRow(id=oid, number=f"T{prefix}{oid}", platform="12345", appeal_id=appeal.id, status="received",
                           title="路灯不亮", services=[], created_at=NOW, updated_at=NOW, version=1))
            ids.append(oid)
    return ids


def test_two_processes_taking_turns_never_hand_out_the_same_id(db_url):
    a, b = Liandong(Settings(database_url=db_url)), Liandong(Settings(database_url=db_url))
    try:
        taken = []
        for round_ in range(4):
            for name, ctx in (("a", a), ("b", b)):
                ids = store_appeals(ctx, f"{name}{round_}-", 5)
                assert ids == sorted(ids) and len(set(ids)) == 5  # increasing within a transaction
                taken += ids
        assert len(taken) == len(set(taken)) == 40
        with a.read() as s:
            assert sorted(s.scalars(select(OrderRow.id)).all()) == sorted(taken)
    finally:
        a.close()
        b.close()


def test_the_transaction_after_a_rolled_back_one_counts_afresh(db_url):
    ctx = Liandong(Settings(database_url=db_url))
    try:
        try:
            with ctx.write() as s:
                first = next_id(s, OrderEventRow.__table__)
                raise RuntimeError("abandon")
        except RuntimeError:
            pass
        with ctx.write() as s:
            again = next_id(s, OrderEventRow.__table__)
            following = next_id(s, OrderEventRow.__table__)
        assert following == again + 1
        assert again >= first  # SQLite reuses the unused value; PostgreSQL's sequence moves on — never lower
    finally:
        ctx.close()
