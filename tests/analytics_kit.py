"""The golden fixture of the KPIs: ten hand-made orders of 2019-W46 (11–17 Nov 2019) with known facts.

    order  desk   unit       street     received  dispatched signed     due→closed          visit / solved   notes
    A      12345  URBAN      148802001  11-11     11-11 9:10 on time    11-14 → 11-13 ok    满意 / 已解决
    B      12345  URBAN      148802001  11-12     11-12 8:00 late       11-15 → 11-16 late  不满意 / 未解决  退单1, 重复来电
    C      12345  URBAN      148802002  11-13     11-13      on time    11-18 → open        —                overdue at 11-20
    D      12345  WATER      148802002  11-14     11-14      on time    11-15 → 11-15 ok    基本满意 / 未说明
    E      12345  URBAN      148802001  11-14     11-14      —          —                    —                撤销 (invalid)
    F      110    PS-148802  148802001  11-15     11-15      on time    11-16 → 11-15 ok    满意 / 已解决
    G      12345  —          148802002  11-12     —          —          —                    —                转办110, 对方签收 on time
    H      12345  —          148802002  11-13     —          —          —                    —                转办110, 对方签收 late
    I      12345  URBAN      148802001  11-20     11-20      on time    11-22 → 11-20 ok    满意 / 已解决    after the week
    J      12345  WATER      148802002  11-10     11-10      on time    11-12 → 11-12 ok    满意 / 已解决    closed in the week

Expected (as_of 2019-11-20 12:00), worked by hand in `EXPECTED`.
"""

from __future__ import annotations

import shutil
import uuid
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import create_engine, text

from liandong.appeals.tables import AppealRow
from liandong.core.clock import CST
from liandong.orders.tables import OrderEventRow, OrderRow

AS_OF = datetime(2019, 11, 20, 12, 0, tzinfo=CST)


def t(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2019, 11, day, hour, minute, tzinfo=CST)


ORDERS = {  # letter → facts
    "A": dict(platform="12345", unit="URBAN", region="148802001001", created_at=t(11), dispatched_at=t(11, 9, 10),
              sign_due=t(11, 11, 10), signed_at=t(11, 10), close_due=t(14, 18), closed_at=t(13), status="visited",
              satisfied=True, satisfaction="satisfied", solved=True, category_name="占道经营"),
    "B": dict(platform="12345", unit="URBAN", region="148802001002", created_at=t(12, 7), dispatched_at=t(12, 8),
              sign_due=t(12, 10), signed_at=t(12, 11), close_due=t(15, 18), closed_at=t(16), status="visited",
              satisfied=False, satisfaction="unsatisfied", solved=False, return_count=1, repeat_call="repeat",
              category_name="占道经营"),
    "C": dict(platform="12345", unit="URBAN", region="148802002001", created_at=t(13), dispatched_at=t(13, 9, 5),
              sign_due=t(13, 11), signed_at=t(13, 10), close_due=t(18, 18), status="handling",
              category_name="噪声扰民"),
    "D": dict(platform="12345", unit="WATER", region="148802002002", created_at=t(14), dispatched_at=t(14, 9, 5),
              sign_due=t(14, 11), signed_at=t(14, 9, 30), close_due=t(15, 18), closed_at=t(15, 10), status="visited",
              satisfied=True, satisfaction="basically_satisfied", solved=None, category_name="供水"),
    "E": dict(platform="12345", unit="URBAN", region="148802001001", created_at=t(14, 10), dispatched_at=t(14, 10, 5),
              sign_due=t(14, 12), status="cancelled", category_name="占道经营"),
    "F": dict(platform="110", unit="PS-148802", region="148802001003", created_at=t(15), dispatched_at=t(15, 9, 1),
              sign_due=t(15, 9, 10), signed_at=t(15, 9, 5), close_due=t(16, 9), closed_at=t(15, 12), status="visited",
              satisfied=True, satisfaction="satisfied", solved=True, category_name="邻里纠纷"),
    "G": dict(platform="12345", region="148802002003", created_at=t(12), status="peer_handling", peer_platform="110",
              category_name="邻里纠纷"),
    "H": dict(platform="12345", region="148802002003", created_at=t(13), status="peer_handling", peer_platform="110",
              transfer_overdue="accepted_late", category_name="邻里纠纷"),
    "I": dict(platform="12345", unit="URBAN", region="148802001001", created_at=t(20), dispatched_at=t(20, 9, 5),
              sign_due=t(20, 11), signed_at=t(20, 10), close_due=t(22, 18), closed_at=t(20, 11), status="visited",
              satisfied=True, satisfaction="satisfied", solved=True, category_name="占道经营"),
    "J": dict(platform="12345", unit="WATER", region="148802002001", created_at=t(10), dispatched_at=t(10, 9, 5),
              sign_due=t(10, 11), signed_at=t(10, 10), close_due=t(12, 18), closed_at=t(12, 10), status="visited",
              satisfied=True, satisfaction="satisfied", solved=True, category_name="供水"),
}
PEER_ACCEPTED = ("G", "H")

EXPECTED = {  # 2019-W46, all desks, all units: measure → (numerator, denominator)
    "response_rate": (4, 5),  # dispatched in the week, valid: A B C D F; on time: A C D F
    "ontime_close_rate": (4, 5),  # closed in the week: A B D F J; on time: A D F J
    "solve_rate": (3, 4),  # closed, solved known: A B F J (D unknown); solved: A F J
    "satisfaction_rate": (4, 5),  # closed, visited: A B D F J; satisfied: A D F J
    "repeat_call_rate": (1, 7),  # received, valid: A B C D F G H; repeat: B
    "return_rate": (1, 5),  # dispatched: A B C D F; returned: B
    "overdue_rate": (2, 5),  # received, with a due: A B C D F; overdue: B (late), C (open past due at 11-20)
    "transfer_timely_rate": (1, 2),  # transferred: G H; accepted in time: G
    "agent_answer_rate": (0, 0),  # call data not supplied
}
EXPECTED_SCORE = 78.25  # (30 × 0.8 + 35 × 0.75 + 35 × 0.8) / 100 × 100
EXPECTED_UNITS = {  # unit → (response, solve, satisfaction, score)
    "URBAN": ((2, 3), (1, 2), (1, 2), 55.0),
    "WATER": ((1, 1), (1, 1), (2, 2), 100.0),
    "PS-148802": ((1, 1), (1, 1), (1, 1), 100.0),
}


def load_golden(session) -> dict[str, int]:
    """Insert the golden orders (their appeals and the 对方签收 events); letter → order id."""
    ids = {}
    for i, (letter, facts) in enumerate(ORDERS.items(), start=1):
        appeal = AppealRow(id=f"AP-GOLD-{letter}", channel="phone", received_at=facts["created_at"], text=f"金标{letter}",
                           region=facts["region"], created_by="golden", created_at=facts["created_at"])
        session.add(appeal)
        session.flush()
        order = OrderRow(id=9000 + i, number=f"GD-GOLD-{letter}", appeal_id=appeal.id, title=f"金标工单{letter}",
                         updated_at=facts["created_at"], version=1, last_event_seq=1, **facts)
        session.add(order)
        session.flush()
        ids[letter] = order.id
        session.add(OrderEventRow(id=90000 + 10 * i, order_id=order.id, seq=1, action="receive", to_status="received",
                                  actor="golden", role="system", at=facts["created_at"]))
        if letter in PEER_ACCEPTED:
            session.add(OrderEventRow(id=90000 + 10 * i + 1, order_id=order.id, seq=2, action="peer_accept",
                                      from_status="transferred", to_status="peer_handling", actor="exchange",
                                      role="system", at=facts["created_at"]))
    session.flush()
    return ids


@contextmanager
def module_db(template_db, tmp_path_factory):
    """A migrated database shared by one test module (SQLite file or PostgreSQL database from the template)."""
    from tests import conftest as conf

    if not conf.USE_PG:
        path = tmp_path_factory.mktemp("analytics") / "analytics.db"
        shutil.copy(template_db, path)
        yield f"sqlite:///{path}"
        return
    name = f"ld_a_{uuid.uuid4().hex[:10]}"
    admin = create_engine(conf.PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"'))
    try:
        yield conf.PG_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def add_orders(session, specs, start_id: int = 20000) -> None:
    """Minimal orders for counting: (platform, region, category, created_at[, lead_order]) each."""
    appeals, orders = [], []
    for i, spec in enumerate(specs, start=start_id):
        platform, region, category, at = spec[:4]
        lead = spec[4] if len(spec) > 4 else None
        appeals.append(dict(id=f"AP-{i}", channel="phone", received_at=at, text="统计", region=region,
                            created_by="kit", created_at=at, attachments=[], routing={}))
        orders.append(dict(id=i, number=f"GD-K-{i}", platform=platform, appeal_id=f"AP-{i}", status="received",
                           title="统计", category_name=category, region=region, created_at=at, updated_at=at,
                           version=1, last_event_seq=0, level="一般", services=[], review=False, extension_days=0,
                           return_count=0, transfer_count=0, urge_count=0, supervised=False, bounce=False,
                           mass=lead is not None, mass_lead=False, harass=False, by_transfer=False,
                           category_unmapped=False, accept_sent=False, escalated=False, notified=[],
                           lead_order=lead))
    session.execute(AppealRow.__table__.insert(), appeals)
    session.execute(OrderRow.__table__.insert(), orders)
