"""open data (数据共享): consumers, the append-only access log, the change feed, applied inbound rows

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

from liandong.storage.base import Moment

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
LOG = "share_access_log"


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "share_consumers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("datasets", sa.JSON(), nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.Column("unmasked", sa.JSON(), nullable=False),
        sa.Column("grant_purpose", sa.String(200), nullable=True),
        sa.Column("unit", sa.String(32), nullable=True),
        sa.Column("rate_per_minute", sa.Integer(), nullable=False),
        sa.Column("key_digest", sa.String(64), nullable=False),
        sa.Column("key_hint", sa.String(12), nullable=False),
        sa.Column("created_at", Moment(), nullable=False),
        sa.Column("rotated_at", Moment(), nullable=True),
        sa.Column("revoked_at", Moment(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_share_consumers"),
        sa.UniqueConstraint("name", name="uq_share_consumers_name"),
        sa.UniqueConstraint("key_digest", name="uq_share_consumers_key_digest"),
    )
    op.create_table(
        LOG,
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("at", Moment(), nullable=False),
        sa.Column("consumer_id", sa.Integer(), nullable=True),
        sa.Column("consumer", sa.String(64), nullable=False),
        sa.Column("interface", sa.String(16), nullable=False),
        sa.Column("dataset", sa.String(16), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("masked", sa.Boolean(), nullable=False),
        sa.Column("unmasked", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.String(200), nullable=True),
        sa.Column("remote", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_share_access_log"),
    )
    op.create_index("ix_share_access_log_consumer_at", LOG, ["consumer", "at"])
    op.create_index("ix_share_access_log_at", LOG, ["at"])
    tx_default = sa.text("(pg_current_xact_id()::text::bigint)") if pg else sa.text("0")
    op.create_table(
        "share_feed",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("tx", sa.BigInteger(), server_default=tx_default, nullable=False),
        sa.Column("order_number", sa.String(40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("from_status", sa.String(24), nullable=True),
        sa.Column("to_status", sa.String(24), nullable=False),
        sa.Column("platform", sa.String(8), nullable=False),
        sa.Column("unit", sa.String(32), nullable=True),
        sa.Column("region", sa.String(12), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("at", Moment(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("appeal_id", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_share_feed"),
    )
    op.create_index("ix_share_feed_tx_id", "share_feed", ["tx", "id"])
    op.create_index("ix_share_feed_order_tx", "share_feed", ["order_number", "tx"])
    op.create_table(
        "share_inbound_done",
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("inbound_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("target", "inbound_id", name="pk_share_inbound_done"),
    )
    _forbid_log_changes(pg)


def _forbid_log_changes(pg: bool) -> None:
    """The access log is append-only, enforced by the database itself (as the audit trail)."""
    if not pg:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {LOG}_no_{verb.lower()} BEFORE {verb} ON {LOG} "
                       f"BEGIN SELECT RAISE(ABORT, '{LOG} is append-only'); END")
        op.execute(f"CREATE TRIGGER {LOG}_no_replace BEFORE INSERT ON {LOG} "
                   f"WHEN EXISTS (SELECT 1 FROM {LOG} WHERE id = NEW.id) "
                   f"BEGIN SELECT RAISE(ABORT, '{LOG} is append-only'); END")
        return
    op.execute(f"CREATE FUNCTION {LOG}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
               f"$$ BEGIN RAISE EXCEPTION '{LOG} is append-only'; END $$")
    op.execute(f"CREATE TRIGGER {LOG}_no_change BEFORE UPDATE OR DELETE ON {LOG} "
               f"FOR EACH ROW EXECUTE FUNCTION {LOG}_append_only()")
    op.execute(f"CREATE TRIGGER {LOG}_no_truncate BEFORE TRUNCATE ON {LOG} "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {LOG}_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {LOG}_no_change ON {LOG}")
        op.execute(f"DROP TRIGGER IF EXISTS {LOG}_no_truncate ON {LOG}")
        op.execute(f"DROP FUNCTION IF EXISTS {LOG}_append_only()")
    for table in ("share_inbound_done", "share_feed", LOG, "share_consumers"):
        op.drop_table(table)
