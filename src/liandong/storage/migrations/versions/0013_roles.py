"""roles: the application role (LIANDONG_APP_ROLE) gets only what the code needs; the audit trail and the
exchange inbox are append-only for it, and of the outbox it may change only the delivery columns

The migration runs as the owner role (which owns every table); on PostgreSQL and only when
LIANDONG_APP_ROLE names an existing role, it grants that role SELECT/INSERT/UPDATE/DELETE on the ordinary
tables and less on the append-only ones (`APPEND_ONLY`, `OUTBOX_LIFECYCLE`), and the same by default on
tables the owner creates later (a later append-only table must revoke in its own migration). A no-op on
SQLite, where the triggers and `liandong audit verify` are the protection. See docs/security.md.

Revision ID: 0013
Revises: 0012
"""
import logging

import sqlalchemy as sa
from alembic import op

from liandong.config import settings_from_env

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
APPEND_ONLY = ("order_events", "exchange_inbox", "share_access_log")  # SELECT, INSERT only: no UPDATE, DELETE, TRUNCATE
OUTBOX_LIFECYCLE = ("state", "failed_attempts", "next_attempt_at", "last_error", "claimed_by", "claimed_at",
                    "sent_at", "ack")  # what exchange/relay.py and outbox.requeue update; the message itself stays
READ_ONLY = ("alembic_version",)  # `liandong serve` reads the revision; only the owner migrates


def _role() -> str | None:
    """The configured application role, if this is PostgreSQL and the role exists (else nothing to do)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    role = settings_from_env().app_role
    if role is None:
        return None
    if not bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
        log.warning("LIANDONG_APP_ROLE=%s: no such role, no grants made (create it, then run this migration again)", role)
        return None
    return role


def _tables() -> list[str]:
    return list(op.get_bind().execute(sa.text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")).scalars())


def upgrade() -> None:
    role = _role()
    if role is None:
        return
    op.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    for table in _tables():
        op.execute(f"REVOKE ALL ON TABLE {table} FROM {role}")
        if table in READ_ONLY:
            op.execute(f"GRANT SELECT ON TABLE {table} TO {role}")
        elif table in APPEND_ONLY:
            op.execute(f"GRANT SELECT, INSERT ON TABLE {table} TO {role}")
        elif table == "exchange_outbox":
            op.execute(f"GRANT SELECT, INSERT, UPDATE ({', '.join(OUTBOX_LIFECYCLE)}) ON TABLE {table} TO {role}")
        else:
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {table} TO {role}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}")


def downgrade() -> None:
    role = _role()
    if role is None:
        return
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {role}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {role}")
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {role}")
