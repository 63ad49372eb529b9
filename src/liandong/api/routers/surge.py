"""Surge mode (话务激增): its state, a supervisor's switch, the automatic check; every switch audited."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from liandong.api.contract import errors
from liandong.api.deps import Ctx, CurrentCaller
from liandong.core.actors import SYSTEM, Role, require_role
from liandong.knowledge.schemas import SurgeSwitch
from liandong.knowledge.tables import SurgeSwitchRow
from liandong.orders import service as orders

router = APIRouter(tags=["话务激增 surge"], responses=errors(403))


@router.get("/surge", summary="话务激增模式：当前状态与最近的开关记录")
def state(ctx: Ctx, caller: CurrentCaller) -> dict:
    with ctx.read() as session:
        now = ctx.surge.state(session, fresh=True)
        rows = session.scalars(select(SurgeSwitchRow).order_by(SurgeSwitchRow.id.desc()).limit(20)).all()
        return {"on": now.on, "incident": now.incident, "wording": now.wording, "keywords": list(now.keywords),
                "lead_order": now.lead_order, "since": now.since, "switches": [_row(r) for r in rows]}


@router.post("/surge", summary="督办员手动开启/关闭话务激增模式", responses=errors(404, 409))
def switch(body: SurgeSwitch, ctx: Ctx, caller: CurrentCaller) -> dict:
    with ctx.write() as session:
        if body.lead_order:
            orders.get_order(session, body.lead_order)  # 404 for an unknown lead order
        row = ctx.surge.switch(session, on=body.on, actor=caller.actor, now=ctx.clock.now(), reason=body.reason,
                               incident=body.incident, wording=body.wording, keywords=tuple(body.keywords),
                               lead_order=body.lead_order)
        return _row(row)


@router.post("/surge/check", summary="按近15分钟来电量与同时段基线自动判定（定时任务或督办员触发）")
def check(ctx: Ctx, caller: CurrentCaller) -> dict:
    require_role(caller.actor, Role.SUPERVISOR)
    with ctx.write() as session:
        row = ctx.surge.check(session, ctx.clock.now(), SYSTEM)
        return {"switched": row is not None, **(_row(row) if row is not None else {})}


def _row(r: SurgeSwitchRow) -> dict:
    return {"id": r.id, "on": r.on, "mode": r.mode, "reason": r.reason, "incident": r.incident, "wording": r.wording,
            "keywords": list(r.keywords or []), "lead_order": r.lead_order, "actor": r.actor, "at": r.at}
