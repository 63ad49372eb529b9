"""The KPI conditions (`kpis.CONDITIONS`) as SQL over `orders` and `order_events`, and the Beijing
date of a stored moment on either database (SQLite keeps local Beijing time, PostgreSQL timestamptz)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import ColumnElement, Date, and_, exists, false, not_, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from liandong.core.clock import CST
from liandong.orders.tables import OrderEventRow, OrderRow

O = OrderRow


class cst_date(FunctionElement):  # noqa: N801 — used as a SQL function
    """The Beijing calendar date of a Moment column."""

    type = Date()
    inherit_cache = True


@compiles(cst_date, "sqlite")
def _cst_date_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(cst_date, "postgresql")
def _cst_date_pg(element, compiler, **kw):
    return f"(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'Asia/Shanghai')::date"


PERIOD_COLUMNS = {"received": O.created_at, "dispatched": O.dispatched_at, "closed": O.closed_at}


def condition(name: str, as_of: datetime) -> ColumnElement[bool]:
    """One named condition as a SQL predicate on an order row."""
    match name:
        case "valid":
            return O.status.not_in(("cancelled", "merged"))
        case "dispatched":
            return O.dispatched_at.is_not(None)
        case "signed_on_time":
            return and_(O.signed_at.is_not(None), O.sign_due.is_not(None), O.signed_at <= O.sign_due)
        case "contacted":
            return O.contacted_at.is_not(None)
        case "closed":
            return O.closed_at.is_not(None)
        case "close_due_known":
            return O.close_due.is_not(None)
        case "closed_on_time":
            return and_(O.closed_at.is_not(None), O.close_due.is_not(None), O.closed_at <= O.close_due)
        case "visited":
            return O.satisfied.is_not(None)
        case "satisfied":
            return O.satisfied.is_(True)
        case "solved_known":
            return O.solved.is_not(None)
        case "solved":
            return O.solved.is_(True)
        case "repeat_call":
            return O.repeat_call.is_not(None)
        case "returned":
            return O.return_count > 0
        case "overdue":
            return and_(O.close_due.is_not(None),
                        or_(O.closed_at > O.close_due, and_(O.closed_at.is_(None), O.close_due < as_of)))
        case "transferred":
            return O.peer_platform.is_not(None)
        case "transfer_timely":
            accepted = exists(select(OrderEventRow.id).where(OrderEventRow.order_id == O.id,
                                                             OrderEventRow.action == "peer_accept"))
            return and_(accepted, O.transfer_overdue.is_(None))
        case "bounced":
            return O.bounce.is_(True)
    return false()  # call data (话务数据) is not in the orders: `calls_service.call_counts` counts those measures


def all_of(names, as_of: datetime) -> ColumnElement[bool]:
    conds = [condition(n, as_of) for n in names]
    return and_(*conds) if conds else true()


def desk_filter(desk: str) -> ColumnElement[bool]:
    return true() if desk == "all" else O.platform == desk


def moment(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=CST)


def in_range(column, start: date, end: date) -> ColumnElement[bool]:
    return and_(column >= moment(start), column < moment(end))


def negate(cond: ColumnElement[bool]) -> ColumnElement[bool]:
    return not_(cond)
