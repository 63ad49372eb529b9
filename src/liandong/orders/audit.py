"""Evidence for the audit trail (审计防篡改): a hash chain per order, a root per day, a signed roots file.

- Each event's `hash` is SHA-256 over its content and `prev_hash`, the hash of the order's previous
  event (the first event's `prev_hash` is `GENESIS`). `Orders._write_event` computes it when it writes.
- A day's root folds the hashes of all events of that day (Beijing time), in id order, across orders.
- `seal` appends each finished day's root and the head (seq, hash) of every order touched that day to
  an append-only file, each line signed with HMAC-SHA256 under the desk's audit key. A rewrite of whole
  chains (hashes recomputed) then no longer matches the file.
- `verify` recomputes everything and names the first broken link: the order number and event seq.

The database triggers refuse UPDATE, DELETE and REPLACE; this module is the evidence when someone goes
around them (a forged INSERT, DROP TRIGGER then UPDATE, a superuser on PostgreSQL).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandong.core.clock import CST
from liandong.orders.tables import OrderEventRow, OrderRow

GENESIS = "0" * 64
ROOTS_FILE = "audit-roots.jsonl"


class EventLike(Protocol):
    order_id: int
    seq: int
    action: str
    from_status: str | None
    to_status: str
    actor: str
    role: str
    unit: str | None
    at: datetime
    note: str
    data: dict
    prev_hash: str | None
    hash: str | None


def _moment(at: datetime) -> str:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=CST)
    return aware.astimezone(CST).isoformat(timespec="microseconds")


def digest(row: EventLike, prev_hash: str) -> str:
    """The hash of one event: its content and the previous event's hash, canonical JSON, SHA-256."""
    body = [row.order_id, row.seq, row.action, row.from_status, row.to_status, row.actor, row.role, row.unit,
            _moment(row.at), row.note or "", row.data or {}, prev_hash]
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def day_of(at: datetime) -> date:
    return (at if at.tzinfo is not None else at.replace(tzinfo=CST)).astimezone(CST).date()


def fold_day(day: date, hashes: Iterable[str]) -> tuple[str, int]:
    """The day's root: a chain over the day's event hashes in id order; and how many there were."""
    acc, count = hashlib.sha256(f"liandong-audit:{day.isoformat()}".encode()).hexdigest(), 0
    for h in hashes:
        acc, count = hashlib.sha256(f"{acc}{h or ''}".encode()).hexdigest(), count + 1
    return acc, count


@dataclass(frozen=True)
class Break:  # 断链
    number: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"工单 {self.number} 第 {self.seq} 条审计记录：{self.reason}"


def check_chain(number: str, last_event_seq: int | None, events: list) -> Break | None:
    """The first broken link of one order's trail (events in seq order), or None when it verifies."""
    prev = GENESIS
    for expected, e in enumerate(events, start=1):
        if e.seq != expected:
            return Break(number, expected, f"缺少记录（下一条序号为 {e.seq}）")
        if e.prev_hash != prev:
            return Break(number, e.seq, "前一条记录的哈希不符（链被改动）")
        if e.hash != digest(e, prev):
            return Break(number, e.seq, "内容与哈希不符（记录被改动或伪造）")
        prev = e.hash
    if events and last_event_seq is not None and events[-1].seq != last_event_seq:
        seq = min(events[-1].seq, last_event_seq) + 1
        return Break(number, seq, f"与工单的最新序号 {last_event_seq} 不符（记录被增删）")
    return None


@dataclass
class Report:  # 核验结果
    orders: int = 0
    events: int = 0
    days: dict[date, tuple[str, int]] = field(default_factory=dict)
    heads: dict[date, dict[str, list]] = field(default_factory=dict)
    broken: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken


def verify(session: Session, *, since: date | None = None) -> Report:
    """Recompute every order's chain (orders with events on or after `since`, each from its first event)
    and every day's root."""
    report = Report()
    orders = select(OrderRow.id, OrderRow.number, OrderRow.last_event_seq).order_by(OrderRow.id)
    if since is not None:
        touched = select(OrderEventRow.order_id).where(OrderEventRow.at >= _start_of(since))
        orders = orders.where(OrderRow.id.in_(touched))
    numbers: dict[int, str] = {}
    for order_id, number, last_seq in session.execute(orders):
        numbers[order_id] = number
        events = list(session.scalars(
            select(OrderEventRow).where(OrderEventRow.order_id == order_id).order_by(OrderEventRow.seq)))
        report.orders += 1
        report.events += len(events)
        broken = check_chain(number, last_seq, events)
        if broken is not None:
            report.broken.append(broken)
        session.expunge_all()
    _roots(session, report, numbers, since)
    return report


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=CST)


def _roots(session: Session, report: Report, numbers: dict[int, str], since: date | None) -> None:
    q = select(OrderEventRow.id, OrderEventRow.order_id, OrderEventRow.seq, OrderEventRow.at,
               OrderEventRow.hash).order_by(OrderEventRow.id)
    if since is not None:
        q = q.where(OrderEventRow.at >= _start_of(since))
    per_day: dict[date, list[str]] = {}
    for _id, order_id, seq, at, h in session.execute(q):
        day = day_of(at)
        per_day.setdefault(day, []).append(h)
        number = numbers.get(order_id) or str(order_id)
        head = report.heads.setdefault(day, {}).get(number)
        if head is None or seq > head[0]:
            report.heads[day][number] = [seq, h]
    report.days = {day: fold_day(day, hashes) for day, hashes in sorted(per_day.items())}


def _mac(key: str, entry: dict) -> str:
    body = json.dumps({k: v for k, v in entry.items() if k != "mac"}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hmac.new(key.encode(), body.encode(), hashlib.sha256).hexdigest()


def read_roots(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seal(report: Report, path: Path, key: str, *, through: date) -> list[date]:
    """Append the root of every day up to `through` not yet in the file; the days written."""
    sealed = {entry.get("day") for entry in read_roots(path)}
    written = []
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        for day, (root, count) in report.days.items():
            if day > through or day.isoformat() in sealed:
                continue
            entry = {"day": day.isoformat(), "events": count, "root": root, "heads": report.heads.get(day, {})}
            entry["mac"] = _mac(key, entry)
            out.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
            written.append(day)
    return written


def check_roots(report: Report, entries: list[dict], key: str, *, since: date | None = None) -> list[Break]:
    """Compare the recomputed days with the signed file: a bad signature, a changed head or root."""
    found = []
    for entry in entries:
        day = date.fromisoformat(entry["day"])
        if since is not None and day < since:
            continue
        if not hmac.compare_digest(str(entry.get("mac", "")), _mac(key, entry)):
            found.append(Break("—", 0, f"存证文件 {day} 一行的签名不符（文件被改动或密钥不同）"))
            continue
        heads = report.heads.get(day, {})
        for number, (seq, h) in sorted(entry.get("heads", {}).items()):
            if number not in heads or _hash_at(report, day, number, seq) != h:
                found.append(Break(number, seq, f"与 {day} 的签名存证不符（整链被重写）"))
                break
        else:
            if report.days.get(day, fold_day(day, [])) != (entry["root"], entry["events"]):
                found.append(Break("—", 0, f"{day} 的日根与签名存证不符（有记录被增删）"))
    return found


def _hash_at(report: Report, day: date, number: str, seq: int) -> str | None:
    head = report.heads.get(day, {}).get(number)
    return head[1] if head is not None and head[0] == seq else None
