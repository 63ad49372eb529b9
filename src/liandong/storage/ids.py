"""Row ids handed out before the INSERT, so that many rows go to the database in one statement.

Why: an order's readable number contains its id, and SQLite cannot batch an INSERT whose ids it
must return (it has no way to tie RETURNING rows to parameter sets), so without this every order
and every audit event was its own round trip.

- SQLite: the write transaction holds the database's only write lock from its first statement
  (BEGIN IMMEDIATE), so `max(id) + 1`, read once per transaction and counted on in memory, cannot
  be taken by anyone else.
- PostgreSQL: values come from the table's own sequence, fetched a few at a time (1, 2, 4 … 32 per
  round trip as a transaction asks for more). A value fetched and not used leaves a gap, as a rolled
  back insert does; ids stay unique and increasing within a transaction.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.orm import Session

MAX_FETCH = 32


def next_id(session: Session, table: Table) -> int:
    """The id for the next row of `table` in this session's current transaction."""
    pool = _pool(session, table.name)
    if pool["free"]:
        return pool["free"].pop(0)
    connection = session.connection()  # not session.execute: that would flush the rows waiting for these ids;
    # and driver SQL, as these run once or twice in every write transaction
    if connection.dialect.name == "postgresql":
        n = pool["fetch"]
        pool["fetch"] = min(n * 2, MAX_FETCH)
        values = [v for (v,) in connection.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", (table.name, n))]
        pool["free"] = sorted(values)
        return pool["free"].pop(0)
    if pool["next"] is None:
        pool["next"] = (connection.exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar() or 0) + 1
    value = pool["next"]
    pool["next"] += 1
    return value


def _pool(session: Session, name: str) -> dict:
    return this_transaction(session, "id_pools").setdefault(name, {"free": [], "next": None, "fetch": 1})


def this_transaction(session: Session, name: str) -> dict:
    """A dict that lives as long as the session's current transaction: a new transaction (or a
    rolled back one) starts afresh. For what a transaction has made and not yet flushed."""
    transaction = session.get_transaction()
    if transaction is None:
        session.connection()  # begins the transaction
        transaction = session.get_transaction()
    kept = session.info.get(name)
    if kept is None or kept[0] is not transaction:
        kept = session.info[name] = (transaction, {})
    return kept[1]
