"""110 接警员 desk (接警台) at `/console/police`: police orders by status, transfers in from 12345 and
out to it with their feedback state, overdue transfers, and the joint emergencies (联动警情) highlighted.

Live: the board fragment polls `/console/police/board?key=…` every 3 s; the key is the newest change
of the orders the reader sees (`orders.queries.change_key`), so an unchanged board answers 204 and
htmx keeps what it shows. The page's script flashes a banner and beeps for a police order it has not
seen before.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from liandong.console.deps import Ctx, CurrentUser
from liandong.console.pages import ConsoleRoute, page
from liandong.core.actors import Role, require_role
from liandong.core.errors import InvalidInput
from liandong.core.types import Platform
from liandong.orders import present, queries
from liandong.orders.states import STATUS_LABELS, Status
from liandong.orders.tables import TransferOverdue

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
NEW_ALARMS = (Status.RECEIVED.value, Status.DISPATCHED.value)  # 新警情: not yet signed by a station
FEEDBACK_IN = {  # a transfer in: what this desk's own order tells the sender (接收方反馈)
    Status.RECEIVED.value: "待签收", Status.DISPATCHED.value: "已派警", Status.SIGNED.value: "已签收",
    Status.HANDLING.value: "办理中", Status.ON_SCENE.value: "已到场", Status.REPLIED.value: "已办结反馈",
    Status.CLOSED.value: "已办结", Status.TRANSFERRED.value: "已转出", Status.CANCELLED.value: "已撤销",
}
FEEDBACK_OUT = {  # a transfer out: the shadow's status is the peer's feedback (对方反馈)
    Status.TRANSFERRED.value: "待对方签收", Status.PEER_HANDLING.value: "对方签收·办理中",
    Status.NEGOTIATING.value: "协商中", Status.REPLIED.value: "对方办结", Status.CLOSED.value: "对方办结·已结单",
    Status.RECEIVED.value: "对方退回", Status.CANCELLED.value: "已撤回",
}
OVERDUE_LABELS = {TransferOverdue.OVERDUE.value: "超时未签收", TransferOverdue.ACCEPTED_LATE.value: "超时后签收"}
BOARD_SIZE = 50


def _joint(order) -> bool:
    """One of the four joint emergencies: a linked order opened in parallel on the other platform."""
    services = set(order.services or ())
    return bool(order.linked_order) and {"110", "12345"} <= services


def _row(order, appeal, ctx, feedback: dict | None = None) -> dict:
    return dict(o=present.summary(order, appeal, ctx.city), joint=_joint(order), peer=order.peer_platform,
                peer_order=order.peer_order_id, linked=order.linked_order, services=list(order.services or ()),
                feedback=(feedback or {}).get(order.status, STATUS_LABELS[Status(order.status)]),
                overdue=OVERDUE_LABELS.get(order.transfer_overdue or ""), alarm=order.status in NEW_ALARMS)


def _board(ctx, me, status: str | None) -> dict:
    desk = Platform.POLICE.value
    with ctx.read() as session:
        key = queries.change_key(session, me.actor, desk)
        f = queries.OrderFilter(status=status, platform=desk, page_size=BOARD_SIZE)
        rows, total = queries.list_orders(session, me.actor, desk, f)
        counts = queries.status_counts(session, me.actor, desk)
        incoming = [_row(o, a, ctx, FEEDBACK_IN) for o, a in
                    queries.desk_transfers(session, me.actor, desk, incoming=True, limit=BOARD_SIZE)]
        outgoing = [_row(o, a, ctx, FEEDBACK_OUT) for o, a in
                    queries.desk_transfers(session, me.actor, desk, incoming=False, limit=BOARD_SIZE)]
        orders = [_row(o, a, ctx) for o, a in rows]
    return dict(key=key, orders=orders, total=total, counts=counts, incoming=incoming, outgoing=outgoing,
                overdue=[r for r in incoming + outgoing if r["overdue"]], joint=[r for r in orders if r["joint"]],
                status=status or "")


def _status(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return Status(raw).value
    except ValueError:
        raise InvalidInput(f"状态「{raw}」无效") from None


@router.get("/police")
def police_desk(request: Request, ctx: Ctx, me: CurrentUser,
                status: Annotated[str | None, Query(max_length=24)] = None) -> Response:
    require_role(me.actor, Role.POLICE)
    board = _board(ctx, me, _status(status))
    return page(request, "police.html", **board, statuses=[(s.value, STATUS_LABELS[s]) for s in Status])


@router.get("/police/board")
def police_board(request: Request, ctx: Ctx, me: CurrentUser, key: Annotated[str, Query(max_length=80)] = "",
                 status: Annotated[str | None, Query(max_length=24)] = None) -> Response:
    """The live fragment: 204 while nothing the reader sees has changed, else the board again."""
    require_role(me.actor, Role.POLICE)
    status = _status(status)
    with ctx.read() as session:
        if key and key == queries.change_key(session, me.actor, Platform.POLICE.value):
            return Response(status_code=204, headers={"Cache-Control": "no-store"})
    return page(request, "_police_board.html", **_board(ctx, me, status))
