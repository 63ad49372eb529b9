"""Row ids handed out before the INSERT, so that many rows go to the database in one statement.

Why: an order's readable number contains its id, and SQLite cannot batch an INSERT whose ids it
must return (it has no way to tie RETURNING rows to parameter sets), so without this every order
and every audit event was its own round trip.

- SQLite: the write transaction holds the database's only write lock from its first statement
  (BEGIN IMMEDIATE), so `max(id) + 1`, read once per transaction and counted on in memory, cannot
  be taken by anyone else.
- PostgreSQL: values come from the table's own sequence, `PG_FETCH` per round trip into a pool that
  each engine keeps across transactions (measured: fetching per transaction was a tenth of a
  worker's time under load). Ids stay unique; between worker processes they are not in time order
  (each works through its own block), and a process that stops leaves the rest of its block unused,
  as a rolled back insert does — listings sort by time, never by id.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque

from sqlalchemy import Table
from sqlalchemy.orm import Session

PG_FETCH = 100
_pg_pools: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine → table → ids fetched, not yet used
_pg_lock = threading.Lock()


def next_id(session: Session, table: Table) -> int:
    """The id for the next row of `table`, to be inserted in this session's current transaction."""
    bind = session.bind if session.bind is not None else session.get_bind()
    if bind.dialect.name == "postgresql":
        return _from_sequence(session, bind, table.name)
    following = this_transaction(session, "next_ids")  # table → the id its next row gets
    value = following.get(table.name)
    if value is None:  # not session.execute, which would flush the rows waiting for these ids
        value = (session.connection().exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar() or 0) + 1
    following[table.name] = value + 1
    return value


def _from_sequence(session: Session, engine, name: str) -> int:
    with _pg_lock:
        pool = _pg_pools.setdefault(engine, {}).setdefault(name, deque())
        if not pool:
            pool.extend(sorted(v for (v,) in session.connection().exec_driver_sql(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", (name, PG_FETCH))))
        return pool.popleft()


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
