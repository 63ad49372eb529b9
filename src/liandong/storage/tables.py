"""Every capability's tables, imported so that `Base.metadata` (and Alembic) sees them all."""

from liandong.auth.tables import ConsoleSessionRow, LoginThrottleRow, TokenRow, UserRow  # noqa: F401
from liandong.exchange.tables import ExchangeLink, InboxMessage, OutboxMessage  # noqa: F401
from liandong.intake.tables import AppealRow  # noqa: F401
from liandong.orders.tables import OrderEventRow, OrderRow  # noqa: F401
from liandong.storage.base import Base

metadata = Base.metadata
