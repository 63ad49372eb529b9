"""portal (市民端): one-time codes, rate-limit counters, photos by hash, public case snapshots

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

from liandong.storage.base import Moment

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_codes",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("phone_key", sa.String(64), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", Moment(), nullable=False),
        sa.Column("expires_at", Moment(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_codes")),
    )
    op.create_index("ix_portal_codes_phone_key_created_at", "portal_codes", ["phone_key", "created_at"])
    op.create_table(
        "portal_counters",
        sa.Column("key", sa.String(96), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_portal_counters")),
    )
    op.create_table(
        "portal_photos",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_portal_photos")),
    )
    op.create_table(
        "portal_public_cases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_number", sa.String(40), nullable=False),
        sa.Column("category_name", sa.String(128)),
        sa.Column("street", sa.String(12)),
        sa.Column("street_name", sa.String(64)),
        sa.Column("unit_name", sa.String(128)),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("received_at", Moment(), nullable=False),
        sa.Column("replied_at", Moment()),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("approved_at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_public_cases")),
        sa.UniqueConstraint("order_number", name=op.f("uq_portal_public_cases_order_number")),
    )
    op.create_index("ix_portal_public_cases_street_category", "portal_public_cases", ["street", "category_name"])


def downgrade() -> None:
    op.drop_table("portal_public_cases")
    op.drop_table("portal_photos")
    op.drop_table("portal_counters")
    op.drop_index("ix_portal_codes_phone_key_created_at", table_name="portal_codes")
    op.drop_table("portal_codes")
