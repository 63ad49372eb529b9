"""knowledge base (知识库): entries, immutable versions, the review trail

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


def downgrade() -> None:
    op.drop_index("ix_knowledge_reviews_entry", table_name="knowledge_reviews")
    op.drop_table("knowledge_reviews")
    op.drop_table("knowledge_versions")
    op.drop_index("ix_knowledge_entries_unit", table_name="knowledge_entries")
    op.drop_index("ix_knowledge_entries_state", table_name="knowledge_entries")
    op.drop_table("knowledge_entries")
