"""order marks as named columns: the JSON `flags` list becomes one column per meaning; 督办 is `supervised_at`

Revision ID: 0003
Revises: 0002
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BOOLEANS = ("bounce", "mass", "mass_lead", "harass", "by_transfer", "category_unmapped", "accept_sent", "escalated")
FLAG_OF = {"category_unmapped": "manual_category"}  # column → the flag it replaces, where the names differ


def upgrade() -> None:
    for name in BOOLEANS:
        op.add_column("orders", sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("orders", sa.Column("repeat_call", sa.String(20), nullable=True))
    op.add_column("orders", sa.Column("transfer_purpose", sa.String(16), nullable=True))
    op.add_column("orders", sa.Column("transfer_overdue", sa.String(16), nullable=True))
    op.add_column("orders", sa.Column("notified", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    op.create_index("ix_orders_repeat_call", "orders", ["repeat_call"])
    op.execute("ALTER TABLE orders RENAME COLUMN escalated_at TO supervised_at")
    conn = op.get_bind()
    for order_id, raw in conn.execute(sa.text("SELECT id, flags FROM orders")).all():
        flags = set(json.loads(raw) if isinstance(raw, str) else (raw or []))
        values = {name: FLAG_OF.get(name, name) in flags for name in BOOLEANS}
        values["repeat_call"] = "repeat_unresolved" if "repeat_unresolved" in flags else \
            ("repeat" if "repeat" in flags else None)
        values["transfer_purpose"] = next((f.split(":", 1)[1] for f in flags if f.startswith("purpose:")), None)
        values["transfer_overdue"] = "accepted_late" if "transfer_overdue_accepted" in flags else \
            ("overdue" if "transfer_overdue" in flags else None)
        values["notified"] = json.dumps(sorted(f.split(":", 1)[1] for f in flags if f.startswith("notify:")))
        sets = ", ".join(f"{k} = :{k}" for k in values)
        conn.execute(sa.text(f"UPDATE orders SET {sets} WHERE id = :id"), {**values, "id": order_id})
    op.execute("ALTER TABLE orders DROP COLUMN flags")


def downgrade() -> None:
    op.add_column("orders", sa.Column("flags", sa.JSON(), nullable=True))
    conn = op.get_bind()
    cols = ", ".join(BOOLEANS + ("repeat_call", "transfer_purpose", "transfer_overdue", "notified"))
    for row in conn.execute(sa.text(f"SELECT id, {cols} FROM orders")).mappings().all():
        flags = {FLAG_OF.get(name, name) for name in BOOLEANS if row[name]}
        if row["repeat_call"]:
            flags |= {"repeat", row["repeat_call"]}
        if row["transfer_purpose"]:
            flags.add(f"purpose:{row['transfer_purpose']}")
        if row["transfer_overdue"]:
            flags.add("transfer_overdue" if row["transfer_overdue"] == "overdue" else "transfer_overdue_accepted")
        notified = row["notified"]
        flags |= {f"notify:{p}" for p in (json.loads(notified) if isinstance(notified, str) else notified or [])}
        conn.execute(sa.text("UPDATE orders SET flags = :f WHERE id = :id"), {"f": json.dumps(sorted(flags)), "id": row["id"]})
    op.execute("ALTER TABLE orders RENAME COLUMN supervised_at TO escalated_at")
    op.drop_index("ix_orders_repeat_call", table_name="orders")
    for name in ("notified", "transfer_overdue", "transfer_purpose", "repeat_call", *reversed(BOOLEANS)):
        op.execute(f"ALTER TABLE orders DROP COLUMN {name}")
