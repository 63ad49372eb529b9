"""exchange: order links, outbox, inbox

Revision ID: 0002
Revises: 0001
"""
from liandong.exchange.migration_0002 import downgrade, upgrade  # noqa: F401

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None
