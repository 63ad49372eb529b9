"""call data (话务数据): the 12345 call centre's calls a city supplies, for 人工接通率

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

from liandong.storage.base import Moment

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_calls",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("arrived_at", Moment(), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("abandoned", sa.Boolean(), nullable=False),
        sa.Column("wait_seconds", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(64), nullable=True),
        sa.Column("imported_at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analytics_calls"),
        sa.UniqueConstraint("call_id", name="uq_analytics_calls_call_id"),
    )
    op.create_index("ix_analytics_calls_arrived_at", "analytics_calls", ["arrived_at"])


def downgrade() -> None:
    op.drop_index("ix_analytics_calls_arrived_at", table_name="analytics_calls")
    op.drop_table("analytics_calls")
