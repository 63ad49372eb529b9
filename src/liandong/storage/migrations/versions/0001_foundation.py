"""foundation: appeals, orders, audit trail, users

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 18:24:15.427438
"""
from alembic import op
import sqlalchemy as sa
import liandong.storage.base


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('appeals',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('received_at', liandong.storage.base.Moment(timezone=True), nullable=False),
    sa.Column('caller_name', sa.String(length=64), nullable=True),
    sa.Column('caller_phone', sa.String(length=32), nullable=True),
    sa.Column('caller_key', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=256), nullable=True),
    sa.Column('region', sa.String(length=12), nullable=True),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('routing', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', liandong.storage.base.Moment(timezone=True), nullable=False),
    sa.Column('external_ref', sa.String(length=128), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.create_index('ix_appeals_caller_key_received', ['caller_key', 'received_at'], unique=False)
        batch_op.create_index('ix_appeals_region_received', ['region', 'received_at'], unique=False)
        batch_op.create_index('ix_appeals_created_at', ['created_at'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('platform', sa.String(length=8), nullable=False),
    sa.Column('unit', sa.String(length=32), nullable=True),
    sa.Column('region', sa.String(length=12), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', liandong.storage.base.Moment(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('name', name=op.f('uq_users_name'))
    )
    op.create_table('orders',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('platform', sa.String(length=8), nullable=False),
    sa.Column('appeal_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('category_code', sa.String(length=64), nullable=True),
    sa.Column('category_name', sa.String(length=128), nullable=True),
    sa.Column('category_group', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=True),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('unit', sa.String(length=32), nullable=True),
    sa.Column('unit_function', sa.String(length=48), nullable=True),
    sa.Column('region', sa.String(length=12), nullable=True),
    sa.Column('review', sa.Boolean(), nullable=False),
    sa.Column('sign_due', liandong.storage.base.Moment(timezone=True), nullable=True),
    sa.Column('reply_due', liandong.storage.base.Moment(timezone=True), nullable=True),
    sa.Column('close_due', liandong.storage.base.Moment(timezone=True), nullable=True),
    sa.Column('extension_days', sa.Integer(), nullable=False),
    sa.Column('pending_extension_days', sa.Integer(), nullable=True),
    sa.Column('return_count', sa.Integer(), nullable=False),
    sa.Column('transfer_count', sa.Integer(), nullable=False),
    sa.Column('urge_count', sa.Integer(), nullable=False),
    sa.Column('supervised', sa.Boolean(), nullable=False),
    sa.Column('warning', sa.String(length=8), nullable=True),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('satisfied', sa.Boolean(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('merged_into', sa.String(length=40), nullable=True),
    sa.Column('peer_platform', sa.String(length=16), nullable=True),
    sa.Column('peer_order_id', sa.String(length=64), nullable=True),
    sa.Column('linked_order', sa.String(length=40), nullable=True),
    sa.Column('lead_order', sa.String(length=40), nullable=True),
    sa.Column('created_at', liandong.storage.base.Moment(timezone=True), nullable=False),
    sa.Column('updated_at', liandong.storage.base.Moment(timezone=True), nullable=False),
    sa.Column('dispatched_at', liandong.storage.base.Moment(timezone=True), nullable=True),
    sa.Column('signed_at', liandong.storage.base.Moment(timezone=True), nullable=True),
    sa.Column('replied_at', liandong.storage.base.Moment(timezone=True), nullable=True),
    sa.Column('closed_at', liandong.storage.base.Moment(timezone=True), nullable=True),
    sa.Column('visited_at', liandong.storage.base.Moment(timezone=True), nullable=True),
    sa.Column('chased_at', liandong.storage.base.Moment(timezone=True), nullable=True),
    sa.Column('escalated_at', liandong.storage.base.Moment(timezone=True), nullable=True),
    sa.Column('last_event_seq', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_orders_appeal_id_appeals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_orders_number'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_orders_appeal_id', ['appeal_id'], unique=False)
        batch_op.create_index('ix_orders_lead_order', ['lead_order'], unique=False)
        batch_op.create_index('ix_orders_region', ['region'], unique=False)
        batch_op.create_index('ix_orders_status_platform', ['status', 'platform'], unique=False)
        batch_op.create_index('ix_orders_unit_status', ['unit', 'status'], unique=False)

    op.create_table('tokens',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', liandong.storage.base.Moment(timezone=True), nullable=False),
    sa.Column('revoked_at', liandong.storage.base.Moment(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tokens')),
    sa.UniqueConstraint('digest', name=op.f('uq_tokens_digest'))
    )
    op.create_table('order_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('from_status', sa.String(length=24), nullable=True),
    sa.Column('to_status', sa.String(length=24), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('unit', sa.String(length=32), nullable=True),
    sa.Column('at', liandong.storage.base.Moment(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_events_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_events')),
    sa.UniqueConstraint('order_id', 'seq', name='uq_order_events_order_seq')
    )
    _forbid_audit_changes()


def _forbid_audit_changes() -> None:
    """The audit trail is append-only, enforced by the database itself, not only by the code."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER order_events_no_{verb.lower()} BEFORE {verb} ON order_events "
                "BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION order_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'order_events is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER order_events_no_change BEFORE UPDATE OR DELETE ON order_events "
            "FOR EACH ROW EXECUTE FUNCTION order_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER order_events_no_truncate BEFORE TRUNCATE ON order_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION order_events_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS order_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS order_events_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS order_events_no_change ON order_events")
        op.execute("DROP TRIGGER IF EXISTS order_events_no_truncate ON order_events")
        op.execute("DROP FUNCTION IF EXISTS order_events_append_only()")
    op.drop_table('order_events')
    op.drop_table('tokens')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_unit_status')
        batch_op.drop_index('ix_orders_status_platform')
        batch_op.drop_index('ix_orders_region')
        batch_op.drop_index('ix_orders_lead_order')
        batch_op.drop_index('ix_orders_appeal_id')
        batch_op.drop_index('ix_orders_created_at')

    op.drop_table('orders')
    op.drop_table('users')
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_index('ix_appeals_created_at')
        batch_op.drop_index('ix_appeals_region_received')
        batch_op.drop_index('ix_appeals_caller_key_received')

    op.drop_table('appeals')
