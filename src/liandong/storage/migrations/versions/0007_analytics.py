"""analytics facts: the visit's 是否解决 and 满意度 level, the unit's 首次联系 time; indexes for the KPI
periods (by dispatch and close time); imported history (历史诉求), trend warnings (趋势预警), the daily roll-up of the measures (日汇总)

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

from liandong.storage.base import Moment

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("solved", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("satisfaction", sa.String(24), nullable=True))
        batch.add_column(sa.Column("contacted_at", Moment(), nullable=True))
    op.create_index("ix_orders_dispatched_at", "orders", ["dispatched_at"])
    op.create_index("ix_orders_closed_at", "orders", ["closed_at"])
    op.create_table(
        "analytics_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("received_at", Moment(), nullable=False),
        sa.Column("subject", sa.String(200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category_code", sa.String(64), nullable=True),
        sa.Column("category_name", sa.String(128), nullable=True),
        sa.Column("region", sa.String(12), nullable=True),
        sa.Column("place", sa.String(64), nullable=True),
        sa.Column("likes", sa.Integer(), nullable=False),
        sa.Column("imported_at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analytics_history"),
        sa.UniqueConstraint("source", "external_id", name="uq_analytics_history_source_external"),
    )
    op.create_index("ix_analytics_history_received_at", "analytics_history", ["received_at"])
    op.create_table(
        "analytics_warnings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("place", sa.String(12), nullable=False),
        sa.Column("place_name", sa.String(64), nullable=False),
        sa.Column("category", sa.String(128), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("p_value", sa.Float(), nullable=False),
        sa.Column("orders", sa.JSON(), nullable=False),
        sa.Column("created_at", Moment(), nullable=False),
        sa.Column("acknowledged_by", sa.String(64), nullable=True),
        sa.Column("acknowledged_at", Moment(), nullable=True),
        sa.Column("acknowledged_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_analytics_warnings"),
        sa.UniqueConstraint("kind", "place", "category", "day", name="uq_analytics_warnings_key"),
    )
    op.create_index("ix_analytics_warnings_day", "analytics_warnings", ["day"])
    op.create_table(
        "analytics_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kpi", sa.String(40), nullable=False),
        sa.Column("platform", sa.String(8), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("street", sa.String(12), nullable=False),
        sa.Column("numerator", sa.Integer(), nullable=False),
        sa.Column("denominator", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "kpi", "platform", "unit", "street", name="pk_analytics_daily"),
    )
    op.create_table(
        "analytics_rolled_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("refreshed_at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_analytics_rolled_days"),
    )


def downgrade() -> None:
    op.drop_table("analytics_rolled_days")
    op.drop_table("analytics_daily")
    op.drop_index("ix_analytics_warnings_day", "analytics_warnings")
    op.drop_table("analytics_warnings")
    op.drop_index("ix_analytics_history_received_at", "analytics_history")
    op.drop_table("analytics_history")
    op.drop_index("ix_orders_closed_at", "orders")
    op.drop_index("ix_orders_dispatched_at", "orders")
    for name in ("contacted_at", "satisfaction", "solved"):  # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch
        op.execute(f"ALTER TABLE orders DROP COLUMN {name}")  # copy would drop `orders` under its events' FKs
