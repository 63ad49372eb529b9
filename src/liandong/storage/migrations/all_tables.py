"""Every capability's tables, imported so that `Base.metadata` (and Alembic's autogenerate) sees them all.

The migration environment is a shell like the API or the CLI: it may know every capability; the storage
core (`base`, `db`, `ids`) knows none."""

from liandong.analytics.tables import CallRow, DailyRow, HistoryRow, ReportJobRow, RolledDayRow, WarningRow  # noqa: F401
from liandong.appeals.tables import AppealRow  # noqa: F401
from liandong.auth.tables import ConsoleSessionRow, LoginThrottleRow, TokenRow, UserRow  # noqa: F401
from liandong.exchange.tables import ExchangeLink, InboxMessage, OutboxMessage  # noqa: F401
from liandong.knowledge.tables import (  # noqa: F401
    KnowledgeEntryRow,
    KnowledgeGapOrderRow,
    KnowledgeGapRow,
    KnowledgeReviewRow,
    KnowledgeVersionRow,
    SurgeSwitchRow,
)
from liandong.ops.tables import JobLease, JobRun  # noqa: F401
from liandong.orders.tables import OrderEventRow, OrderRow  # noqa: F401
from liandong.quality.tables import CallRecordRow, FindingRow, InspectionRow  # noqa: F401
from liandong.push.tables import DeliveryRow, SubscriberRow  # noqa: F401
from liandong.share.tables import AccessLogRow, ConsumerRow, FeedRow, InboundDoneRow  # noqa: F401
from liandong.portal.tables import CounterRow, OtpRow, PhotoRow, PublicCaseRow  # noqa: F401
from liandong.storage.base import Base
from liandong.storage.idempotency import IdempotencyRow  # noqa: F401
from liandong.supervision.related_store import AppealFeatureRow, AppealPlaceRow  # noqa: F401

metadata = Base.metadata
