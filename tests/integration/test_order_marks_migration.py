"""Migration 0003: the old JSON `flags` of each order become its named columns, and back on downgrade;
after it, the whole chain describes exactly the tables the models do."""

from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from liandong.storage.migrate import downgrade, upgrade
from liandong.storage.migrations.all_tables import metadata

FLAGS = ["by_transfer", "purpose:mediation", "accept_sent", "transfer_overdue_accepted", "escalated", "manual_category",
         "notify:119", "bounce", "repeat", "repeat_unresolved", "mass", "mass_lead", "harass"]


def _insert_old_order(conn) -> None:
    conn.execute(text("INSERT INTO appeals (id, channel, received_at, text, routing, attachments, created_by, created_at)"
                      " VALUES ('a1', 'phone', '2026-11-01 09:00:00+08:00', '路灯不亮', '{}', '[]', 't', "
                      "'2026-11-01 09:00:00+08:00')"))
    conn.execute(text(
        "INSERT INTO orders (id, number, platform, appeal_id, status, title, level, services, review, extension_days,"
        " return_count, transfer_count, urge_count, supervised, flags, created_at, updated_at, last_event_seq, version,"
        " escalated_at) VALUES (1, 'GD-1', '12345', 'a1', 'received', '路灯不亮', '一般', '[]', false, 0, 0, 0, 0, true,"
        " :flags, '2026-11-01 09:00:00+08:00', '2026-11-01 09:00:00+08:00', 1, 1, '2026-11-02 09:00:00+08:00')"),
        {"flags": json.dumps(FLAGS)})


def test_flags_become_named_columns_and_come_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'marks.db'}"
    upgrade(url, "0002")
    engine = create_engine(url)
    with engine.begin() as conn:
        _insert_old_order(conn)
    upgrade(url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM orders WHERE id = 1")).mappings().one()
    assert all(row[c] for c in ("bounce", "mass", "mass_lead", "harass", "by_transfer", "category_unmapped",
                                "accept_sent", "escalated"))
    assert (row["repeat_call"], row["transfer_purpose"], row["transfer_overdue"]) == \
        ("repeat_unresolved", "mediation", "accepted_late")
    assert json.loads(row["notified"]) == ["119"] and row["supervised_at"] is not None and "flags" not in row
    downgrade(url, "0002")
    with engine.connect() as conn:
        flags = json.loads(conn.execute(text("SELECT flags FROM orders WHERE id = 1")).scalar_one())
    assert sorted(flags) == sorted(FLAGS)
    engine.dispose()


def test_the_migration_chain_builds_exactly_the_models_tables(tmp_path):
    url = f"sqlite:///{tmp_path / 'chain.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    engine.dispose()
    assert diff == []
