"""exchange: order links, outbox, inbox

Revision ID: 0002
Revises: 0001

Creates the tables of `liandong/exchange/tables.py`. A test applies `upgrade()` to an empty
database and checks that Alembic's autogenerate finds no difference from those models, then that
`downgrade()` removes everything (tests/integration/exchange/test_exchange_migration.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from liandong.storage.base import Moment

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "exchange_links",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("origin_platform", sa.String(32), nullable=False),
        sa.Column("origin_order_id", sa.String(64), nullable=False),
        sa.Column("counterpart", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("local_order_id", sa.String(64), nullable=True),
        sa.Column("peer_order_id", sa.String(64), nullable=True),
        sa.Column("next_seq_out", sa.Integer(), nullable=False),
        sa.Column("last_seq_in", sa.Integer(), nullable=False),
        sa.Column("created_at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_exchange_links"),
        sa.UniqueConstraint("origin_platform", "origin_order_id", "counterpart",
                            name="uq_exchange_links_origin_platform"),
    )
    op.create_table(
        "exchange_outbox",
        sa.Column("id", _BigId, autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("link_id", sa.String(32), nullable=False),
        sa.Column("peer", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", Moment(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_at", Moment(), nullable=True),
        sa.Column("created_at", Moment(), nullable=False),
        sa.Column("sent_at", Moment(), nullable=True),
        sa.Column("ack", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_exchange_outbox"),
        sa.UniqueConstraint("link_id", "seq", name="uq_exchange_outbox_link_id"),
        sa.UniqueConstraint("message_id", name="uq_exchange_outbox_message_id"),
    )
    op.create_index("ix_exchange_outbox_due", "exchange_outbox", ["state", "next_attempt_at"])
    op.create_table(
        "exchange_inbox",
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("sender", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("link_id", sa.String(32), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("ack", sa.Text(), nullable=False),
        sa.Column("received_at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name="pk_exchange_inbox"),
    )


def downgrade() -> None:
    op.drop_table("exchange_inbox")
    op.drop_index("ix_exchange_outbox_due", table_name="exchange_outbox")
    op.drop_table("exchange_outbox")
    op.drop_table("exchange_links")
