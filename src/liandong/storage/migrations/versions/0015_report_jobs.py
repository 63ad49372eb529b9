"""report jobs (报告生成任务) in the database: any worker process can answer a job's polls

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

from liandong.storage.base import Moment

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_report_jobs",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("owner", sa.String(160), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("fmt", sa.String(8), nullable=False),
        sa.Column("created_at", Moment(), nullable=False),
        sa.Column("updated_at", Moment(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("filename", sa.String(200), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("finished_at", Moment(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analytics_report_jobs"),
    )
    op.create_index("ix_analytics_report_jobs_owner", "analytics_report_jobs", ["owner"])


def downgrade() -> None:
    op.drop_index("ix_analytics_report_jobs_owner", table_name="analytics_report_jobs")
    op.drop_table("analytics_report_jobs")
