"""quality inspection (质检): call records, inspections, findings

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

from liandong.storage.base import Moment

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quality_calls",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("hangup_by", sa.String(10), nullable=True),
        sa.Column("operator", sa.String(64), nullable=True),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", Moment(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name="fk_quality_calls_order_id_orders"),
        sa.PrimaryKeyConstraint("id", name="pk_quality_calls"),
        sa.UniqueConstraint("order_id", name="uq_quality_calls_order_id"),
    )
    op.create_table(
        "quality_inspections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("record", sa.String(8), nullable=False),
        sa.Column("template", sa.String(40), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(16), nullable=True),
        sa.Column("applied", sa.JSON(), nullable=False),
        sa.Column("operator", sa.String(64), nullable=True),
        sa.Column("unit", sa.String(32), nullable=True),
        sa.Column("category", sa.String(128), nullable=True),
        sa.Column("region", sa.String(12), nullable=True),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("inspected_at", Moment(), nullable=False),
        sa.Column("sampled", sa.Boolean(), nullable=False),
        sa.Column("reviewed_by", sa.String(64), nullable=True),
        sa.Column("reviewed_at", Moment(), nullable=True),
        sa.Column("reopened", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name="fk_quality_inspections_order_id_orders"),
        sa.PrimaryKeyConstraint("id", name="pk_quality_inspections"),
    )
    op.create_index("ix_quality_inspections_order_record", "quality_inspections", ["order_id", "record"])
    op.create_index("ix_quality_inspections_queue", "quality_inspections", ["sampled", "reviewed_at", "outcome"])
    op.create_index("ix_quality_inspections_fingerprint", "quality_inspections", ["fingerprint"])
    op.create_index("ix_quality_inspections_day", "quality_inspections", ["day"])
    op.create_table(
        "quality_findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("spans", sa.JSON(), nullable=False),
        sa.Column("verdict", sa.String(12), nullable=True),
        sa.Column("verdict_by", sa.String(64), nullable=True),
        sa.Column("verdict_at", Moment(), nullable=True),
        sa.Column("verdict_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["inspection_id"], ["quality_inspections.id"],
                                name="fk_quality_findings_inspection_id_quality_inspections"),
        sa.PrimaryKeyConstraint("id", name="pk_quality_findings"),
    )
    op.create_index("ix_quality_findings_inspection", "quality_findings", ["inspection_id"])
    op.create_index("ix_quality_findings_rule_verdict", "quality_findings", ["rule", "verdict"])


def downgrade() -> None:
    op.drop_index("ix_quality_findings_rule_verdict", table_name="quality_findings")
    op.drop_index("ix_quality_findings_inspection", table_name="quality_findings")
    op.drop_table("quality_findings")
    for name in ("day", "fingerprint", "queue", "order_record"):
        op.drop_index(f"ix_quality_inspections_{name}", table_name="quality_inspections")
    op.drop_table("quality_inspections")
    op.drop_table("quality_calls")
