"""Call data (话务数据) from a city's telephone system, pure: each CSV row checked with its line and reason.

人工接通率 is calls answered by a person / calls offered to the agent queue; the orders cannot say it (a
call answered by the voice menu, or abandoned in the queue, opens no order), so a city supplies the call
centre's records: `call_id, arrived_at, answered, wait_seconds, operator` (and optionally `abandoned`).
`answered` is yes/no (是/否, 1/0, true/false, 人工接通/未接通); `abandoned` (放弃: the caller hung up while
waiting) defaults to «not answered». A call answered cannot also be abandoned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from liandong.analytics.history import parse_time
from liandong.core.errors import InvalidInput

COLUMNS = {"call_id": "来电编号", "arrived_at": "来电时间", "answered": "是否人工接通", "wait_seconds": "等待秒数",
           "operator": "话务员工号", "abandoned": "是否放弃"}
REQUIRED = ("call_id", "arrived_at", "answered", "wait_seconds")
_YES = {"1", "true", "yes", "y", "是", "人工接通", "接通", "answered"}
_NO = {"0", "false", "no", "n", "否", "未接通", "放弃", "abandoned", "unanswered"}
MAX_WAIT = 24 * 3600


@dataclass(frozen=True)
class CallItem:  # 一通来电
    line: int
    call_id: str
    arrived_at: datetime
    answered: bool
    abandoned: bool
    wait_seconds: int
    operator: str | None


def check_header(header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(f"话务文件缺少列：{'、'.join(f'{c}（{COLUMNS[c]}）' for c in missing)}"
                           f"（表头为：{'、'.join(header)}）")


def _flag(raw: str, what: str) -> bool:
    v = raw.strip().lower()
    if v in _YES:
        return True
    if v in _NO:
        return False
    raise InvalidInput(f"{what}「{raw[:20]}」应为 是/否（1/0）")


def check_call(line: int, row: dict[str, str]) -> CallItem:
    """One CSV row as a call, or InvalidInput saying what is wrong with it."""
    def get(key: str) -> str:
        return (row.get(key) or "").strip()

    call_id = get("call_id")
    if not call_id:
        raise InvalidInput("来电编号为空")
    if len(call_id) > 64:
        raise InvalidInput("来电编号超过64个字符")
    if not get("arrived_at"):
        raise InvalidInput("来电时间为空")
    arrived = parse_time(get("arrived_at"))
    if not get("answered"):
        raise InvalidInput("是否人工接通为空")
    answered = _flag(get("answered"), "是否人工接通")
    if get("answered").lower() in ("放弃", "abandoned"):
        abandoned = True
    elif get("abandoned"):
        abandoned = _flag(get("abandoned"), "是否放弃")
    else:
        abandoned = not answered
    if answered and abandoned:
        raise InvalidInput("同一来电不能既人工接通又放弃")
    wait = get("wait_seconds")
    if not wait.isdigit() or int(wait) > MAX_WAIT:
        raise InvalidInput(f"等待秒数「{wait[:20]}」应为 0 到 {MAX_WAIT} 的整数")
    operator = get("operator") or None
    if operator and len(operator) > 64:
        raise InvalidInput("话务员工号超过64个字符")
    if answered and not operator:
        raise InvalidInput("人工接通的来电缺少话务员工号")
    return CallItem(line, call_id, arrived, answered, abandoned, int(wait), operator)


def check_calls(rows) -> tuple[list[CallItem], list[tuple[int, str]]]:
    """Every row checked: (the good calls, the bad rows as (line, reason)); a call id twice is bad."""
    good, bad, seen = [], [], {}
    for line, row in rows:
        try:
            item = check_call(line, row)
        except InvalidInput as exc:
            bad.append((line, exc.message))
            continue
        if item.call_id in seen:
            bad.append((line, f"来电编号「{item.call_id}」与第{seen[item.call_id]}行重复"))
            continue
        seen[item.call_id] = line
        good.append(item)
    return good, bad
