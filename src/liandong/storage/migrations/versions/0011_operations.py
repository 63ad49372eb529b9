"""operations: background job leases and their runs; the request id of each outbox message

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

from liandong.storage.base import Moment

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(96)),
        sa.Column("lease_until", Moment()),
        sa.Column("last_started_at", Moment()),
        sa.Column("last_finished_at", Moment()),
        sa.Column("interval_s", sa.Integer(), nullable=False, server_default="60"),
        sa.Column("runs", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text()),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(96), nullable=False),
        sa.Column("started_at", Moment(), nullable=False),
        sa.Column("finished_at", Moment()),
        sa.Column("ok", sa.Boolean()),
        sa.Column("summary", sa.Text()),
    )
    op.create_index("ix_job_runs_name_started", "job_runs", ["name", "started_at"])
    with op.batch_alter_table("exchange_outbox") as batch:
        batch.add_column(sa.Column("request_id", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("exchange_outbox") as batch:
        batch.drop_column("request_id")
    op.drop_index("ix_job_runs_name_started", table_name="job_runs")
    op.drop_table("job_runs")
    op.drop_table("job_leases")
