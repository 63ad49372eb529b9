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

Call data (话务数据, `CALLS`, as the telephone system's CSV would give them, Beijing time):

    call  arrived           answered  abandoned  wait  operator
    K1    11-11 09:00       yes       —          12    OP1
    K2    11-11 09:05       no        yes        40    —
    K3    11-12 10:00       yes       —           5    OP2
    K4    11-13 14:00       yes       —          70    OP1
    K5    11-15 16:00       no        no (overflow to voice mail) 120
    K6    11-17 23:59:30    yes       —           8    OP2     last half-minute of the week (Beijing)
    K7    11-18 00:00:10    yes       —           3    OP1     the next week
    K8    11-10 23:50       no        yes        30    —       the week before

2019-W46: offered K1–K6 = 6, answered K1 K3 K4 K6 = 4 → 人工接通率 4/6; on 11-11: 1/2; abandoned 1 (K2; K5 is
not abandoned), mean wait of the answered (12 + 5 + 70 + 8) / 4 = 23.75 s, operators 2.
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
    "agent_answer_rate": (4, 6),  # calls of the week: K1–K6; answered by a person: K1 K3 K4 K6
}
CALLS = [  # call_id, arrived_at, answered, abandoned, wait_seconds, operator (CSV columns)
    ("K1", "2019-11-11 09:00:00", "是", "", "12", "OP1"),
    ("K2", "2019-11-11 09:05:00", "否", "是", "40", ""),
    ("K3", "2019-11-12 10:00:00", "1", "0", "5", "OP2"),
    ("K4", "2019-11-13 14:00:00", "是", "", "70", "OP1"),
    ("K5", "2019-11-15 16:00:00", "否", "否", "120", ""),
    ("K6", "2019-11-17 23:59:30", "是", "", "8", "OP2"),
    ("K7", "2019-11-18 00:00:10", "是", "", "3", "OP1"),
    ("K8", "2019-11-10 23:50:00", "否", "是", "30", ""),
]
CALL_HEADER = ("call_id", "arrived_at", "answered", "abandoned", "wait_seconds", "operator")
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
    load_calls(session)
    load_inspections(session, ids)
    return ids


INSPECTIONS = [  # order, record, outcome, score, day, current — the quality capability's rows (质检)
    ("A", "reply", "pass", 92.0, "2019-11-13", True),
    ("B", "reply", "fail", 40.0, "2019-11-16", True),
    ("D", "reply", "review", 70.0, "2019-11-15", True),
    ("J", "reply", "fail", 30.0, "2019-11-12", False),  # superseded by the next (re-inspected after 重办)
    ("J", "reply", "pass", 88.0, "2019-11-14", True),
    ("A", "call", "pass", 95.0, "2019-11-11", True),  # the call record: the call centre's, not URBAN's
    ("I", "reply", "pass", 99.0, "2019-11-20", True),  # the week after
]
EXPECTED_QUALITY = {  # 2019-W46: label → (inspected, pass, review, fail, mean score)
    "明川市城市管理局": (2, 1, 0, 1, 66.0),  # A 92, B 40
    "明川市水务局": (2, 1, 1, 0, 79.0),  # D 70, J 88 (J's 30 is not current)
    "12345 热线（来电记录）": (1, 1, 0, 0, 95.0),
    "合计": (5, 3, 1, 1, 77.0),  # (92 + 40 + 70 + 88 + 95) / 5
}


def load_inspections(session, ids: dict[str, int]) -> None:
    from liandong.quality.tables import InspectionRow

    for letter, record, outcome, score, day, current in INSPECTIONS:
        facts = ORDERS[letter]
        session.add(InspectionRow(
            order_id=ids[letter], record=record, template="golden", score=score, outcome=outcome, current=current,
            text="金标", applied=[], unit=facts.get("unit") if record == "reply" else None,
            category=facts["category_name"], region=facts["region"], day=day, month=day[:7],
            inspected_at=datetime.fromisoformat(day + "T12:00:00+08:00"), sampled=False, reopened=False))
    session.flush()


def load_calls(session) -> None:
    """The golden calls, through the same check as `liandong calls import`."""
    from liandong.analytics.calls import check_calls
    from liandong.analytics.calls_service import store_calls

    good, bad = check_calls((n, dict(zip(CALL_HEADER, row))) for n, row in enumerate(CALLS, start=2))
    assert bad == []
    store_calls(session, good, source="golden.csv", now=AS_OF)


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
