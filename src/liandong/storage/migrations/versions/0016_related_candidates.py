"""near-duplicate candidates in the database (重复来电/群诉): appeal_features and appeal_places

The repeat and mass searches read their candidates from these tables instead of an index in each serving
process (`liandong.supervision.related_store`). The appeals of the repeat window (31 days back) get their
rows here; later ones get them in their own transaction.

Revision ID: 0016
Revises: 0015
"""
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from liandong.core.clock import CST
from liandong.storage.base import Moment

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appeal_features",
        sa.Column("appeal_id", sa.String(32), nullable=False),
        sa.Column("caller_key", sa.String(64), nullable=True),
        sa.Column("region", sa.String(12), nullable=True),
        sa.Column("matter", sa.String(64), nullable=True),
        sa.Column("received_at", Moment(), nullable=False),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column("feats", sa.LargeBinary(), nullable=False),
        sa.Column("counts", sa.LargeBinary(), nullable=False),
        sa.Column("places", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["appeal_id"], ["appeals.id"], name="fk_appeal_features_appeal_id_appeals",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("appeal_id", name="pk_appeal_features"),
    )
    op.create_index("ix_appeal_features_caller_received", "appeal_features", ["caller_key", "received_at"])
    op.create_index("ix_appeal_features_matter", "appeal_features", ["region", "matter", "received_at"])
    op.create_index("ix_appeal_features_received", "appeal_features", ["received_at"])
    op.create_index("ix_appeal_features_region_received", "appeal_features", ["region", "received_at"])
    op.create_table(
        "appeal_places",
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("place", sa.BigInteger(), nullable=False),
        sa.Column("received_at", Moment(), nullable=False),
        sa.Column("appeal_id", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("region", "place", "received_at", "appeal_id", name="pk_appeal_places"),
    )
    from liandong.supervision.related_store import backfill_since, fill  # the derivation intake uses

    fill(op.get_bind(), backfill_since(datetime.now(CST)))


def downgrade() -> None:
    op.drop_table("appeal_places")
    op.drop_index("ix_appeal_features_region_received", table_name="appeal_features")
    op.drop_index("ix_appeal_features_received", table_name="appeal_features")
    op.drop_index("ix_appeal_features_matter", table_name="appeal_features")
    op.drop_index("ix_appeal_features_caller_received", table_name="appeal_features")
    op.drop_table("appeal_features")
