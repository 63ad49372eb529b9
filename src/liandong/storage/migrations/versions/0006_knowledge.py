"""knowledge base (知识库): entries, immutable versions, the review trail; orders answered from an entry;
知识点下派 tasks; surge switches (话务激增)

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

from liandong.storage.base import Moment

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "knowledge_entries",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("served_version", sa.Integer(), nullable=True),
        sa.Column("question_key", sa.String(240), nullable=False),
        sa.Column("question", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(32), nullable=True),
        sa.Column("region", sa.String(12), nullable=True),
        sa.Column("usage_count", sa.Integer(), nullable=False),
        sa.Column("solved_count", sa.Integer(), nullable=False),
        sa.Column("unsolved_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", Moment(), nullable=False),
        sa.Column("updated_at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_knowledge_entries"),
        sa.UniqueConstraint("question_key", name="uq_knowledge_entries_question_key"),
    )
    op.create_index("ix_knowledge_entries_state", "knowledge_entries", ["state"])
    op.create_index("ix_knowledge_entries_unit", "knowledge_entries", ["unit"])
    op.create_table(
        "knowledge_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(200), nullable=False),
        sa.Column("phrasings", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("document", sa.String(200), nullable=False),
        sa.Column("region", sa.String(12), nullable=True),
        sa.Column("unit", sa.String(32), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("visibility", sa.String(8), nullable=False),
        sa.Column("edited_by", sa.String(64), nullable=False),
        sa.Column("edited_at", Moment(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["knowledge_entries.id"],
                                name="fk_knowledge_versions_entry_id_knowledge_entries"),
        sa.PrimaryKeyConstraint("id", name="pk_knowledge_versions"),
        sa.UniqueConstraint("entry_id", "version", name="uq_knowledge_versions_entry_version"),
    )
    op.create_table(
        "knowledge_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("from_state", sa.String(12), nullable=True),
        sa.Column("to_state", sa.String(12), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("at", Moment(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["knowledge_entries.id"],
                                name="fk_knowledge_reviews_entry_id_knowledge_entries"),
        sa.PrimaryKeyConstraint("id", name="pk_knowledge_reviews"),
    )
    op.create_index("ix_knowledge_reviews_entry", "knowledge_reviews", ["entry_id", "id"])
    op.create_table(
        "knowledge_gaps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_number", sa.String(40), nullable=False),
        sa.Column("unit", sa.String(32), nullable=True),
        sa.Column("category", sa.String(128), nullable=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("entry_id", sa.String(32), nullable=True),
        sa.Column("created_at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_knowledge_gaps"),
    )
    op.create_table(
        "knowledge_gap_orders",
        sa.Column("order_number", sa.String(40), nullable=False),
        sa.Column("gap_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["gap_id"], ["knowledge_gaps.id"], name="fk_knowledge_gap_orders_gap_id_knowledge_gaps"),
        sa.PrimaryKeyConstraint("order_number", name="pk_knowledge_gap_orders"),
    )
    op.create_table(
        "surge_switches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("on", sa.Boolean(), nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("incident", sa.String(100), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("lead_order", sa.String(40), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_surge_switches"),
    )
    # 即问即答: the entry and version an order was answered from (ADD COLUMN needs no table rebuild on SQLite)
    op.add_column("orders", sa.Column("knowledge_entry", sa.String(32), nullable=True))
    op.add_column("orders", sa.Column("knowledge_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    for column in ("knowledge_version", "knowledge_entry"):  # plain DROP COLUMN (SQLite ≥ 3.35): no table rebuild,
        op.execute(f"ALTER TABLE orders DROP COLUMN {column}")  # which order_events' foreign key would refuse
    op.drop_table("surge_switches")
    op.drop_table("knowledge_gap_orders")
    op.drop_table("knowledge_gaps")
    op.drop_index("ix_knowledge_reviews_entry", table_name="knowledge_reviews")
    op.drop_table("knowledge_reviews")
    op.drop_table("knowledge_versions")
    op.drop_index("ix_knowledge_entries_unit", table_name="knowledge_entries")
    op.drop_index("ix_knowledge_entries_state", table_name="knowledge_entries")
    op.drop_table("knowledge_entries")
