"""Alembic environment and the one migration chain (SQLite and PostgreSQL)."""
