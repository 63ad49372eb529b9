"""push: webhook subscribers and the delivery outbox (事件推送)

Revision ID: 0010
Revises: 0009

Creates the tables of `liandong/push/tables.py`; tests/integration/test_push_migration.py checks that
autogenerate finds no difference from the models and that the migration goes down and up.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from liandong.storage.base import Moment

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "push_subscribers",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("url", sa.String(512), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", Moment(), nullable=False),
        sa.Column("removed_at", Moment(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_push_subscribers"),
        sa.UniqueConstraint("name", name="uq_push_subscribers_name"),
    )
    op.create_table(
        "push_deliveries",
        sa.Column("id", _BigId, autoincrement=True, nullable=False),
        sa.Column("subscriber_id", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("order_number", sa.String(40), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", Moment(), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_at", Moment(), nullable=True),
        sa.Column("created_at", Moment(), nullable=False),
        sa.Column("delivered_at", Moment(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_push_deliveries"),
        sa.UniqueConstraint("subscriber_id", "event_id", name="uq_push_deliveries_subscriber_id"),
    )
    op.create_index("ix_push_deliveries_due", "push_deliveries", ["state", "next_attempt_at"])
    op.create_index("ix_push_deliveries_order", "push_deliveries", ["subscriber_id", "order_number", "id"])


def downgrade() -> None:
    op.drop_index("ix_push_deliveries_order", table_name="push_deliveries")
    op.drop_index("ix_push_deliveries_due", table_name="push_deliveries")
    op.drop_table("push_deliveries")
    op.drop_table("push_subscribers")
