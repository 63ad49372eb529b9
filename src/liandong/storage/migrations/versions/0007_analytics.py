"""analytics facts: the visit's 是否解决 and 满意度 level, the unit's 首次联系 time

Revision ID: 0007
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

from liandong.storage.base import Moment

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("solved", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("satisfaction", sa.String(24), nullable=True))
        batch.add_column(sa.Column("contacted_at", Moment(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("contacted_at")
        batch.drop_column("satisfaction")
        batch.drop_column("solved")
