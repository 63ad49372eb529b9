"""audit chain: a hash per order event chained to the order's previous one; SQLite refuses REPLACE;
idempotency keys of POSTs (stored with what the request wrote)

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

from liandong.orders.audit import GENESIS, digest
from liandong.storage.base import Moment

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

EVENTS = sa.table(
    "order_events", sa.column("id", sa.Integer), sa.column("order_id", sa.Integer), sa.column("seq", sa.Integer),
    sa.column("action", sa.String), sa.column("from_status", sa.String), sa.column("to_status", sa.String),
    sa.column("actor", sa.String), sa.column("role", sa.String), sa.column("unit", sa.String),
    sa.column("at", sa.DateTime), sa.column("note", sa.Text), sa.column("data", sa.JSON),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String),
)
# REPLACE deletes the old row without firing DELETE triggers: refuse any INSERT that would collide.
NO_REPLACE = (
    "CREATE TRIGGER order_events_no_replace BEFORE INSERT ON order_events "
    "WHEN EXISTS (SELECT 1 FROM order_events WHERE id = NEW.id OR (order_id = NEW.order_id AND seq = NEW.seq)) "
    "BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END"
)


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(96), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_at", Moment(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name="pk_idempotency_keys"),
    )
    op.add_column("order_events", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("order_events", sa.Column("hash", sa.String(64), nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS order_events_no_update")
    else:
        op.execute("ALTER TABLE order_events DISABLE TRIGGER order_events_no_change")
    _backfill()
    if sqlite:
        op.execute("CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events "
                   "BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END")
        op.execute(NO_REPLACE)
    else:
        op.execute("ALTER TABLE order_events ENABLE TRIGGER order_events_no_change")


def _backfill() -> None:
    """Chain the events written before this revision, in each order's seq order."""
    bind = op.get_bind()
    heads: dict[int, str] = {}
    rows = bind.execute(sa.select(EVENTS).order_by(EVENTS.c.order_id, EVENTS.c.seq)).mappings().all()
    for row in rows:
        prev = heads.get(row["order_id"], GENESIS)
        h = digest(_Row(row), prev)
        heads[row["order_id"]] = h
        bind.execute(EVENTS.update().where(EVENTS.c.id == row["id"]).values(prev_hash=prev, hash=h))


class _Row:
    def __init__(self, mapping) -> None:
        self.__dict__.update(mapping)


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS order_events_no_replace")
        op.execute("DROP TRIGGER IF EXISTS order_events_no_update")
    else:
        op.execute("ALTER TABLE order_events DISABLE TRIGGER order_events_no_change")
    for column in ("hash", "prev_hash"):  # plain DROP COLUMN (SQLite ≥ 3.35): no table rebuild, triggers kept
        op.execute(f"ALTER TABLE order_events DROP COLUMN {column}")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events "
                   "BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END")
    else:
        op.execute("ALTER TABLE order_events ENABLE TRIGGER order_events_no_change")
