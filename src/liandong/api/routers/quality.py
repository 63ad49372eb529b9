"""质检 (quality inspection): call records, the sampling queue, findings with their spans, verdicts, 重办, roll-ups."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from liandong.api.contract import errors
from liandong.api.deps import Ctx, CurrentCaller
from liandong.core.actors import Role, require_role
from liandong.core.errors import InvalidInput
from liandong.quality import queries
from liandong.quality.schemas import CallImport, CallRecordIn, ReopenIn, VerdictIn
from liandong.quality.service import REVIEWERS

router = APIRouter(tags=["质检 quality"], responses=errors(403))
CHANGES = errors(409)  # a call record already there, a reply not to be reopened
CALL_TAKERS = (Role.OPERATOR, Role.POLICE, *REVIEWERS)
Record = Annotated[Literal["call", "reply"] | None, Query(description="call 来电 / reply 答复")]
Id = Annotated[int, Path(ge=1, le=2**31 - 1, description="编号")]
Day = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]


def _created(row) -> dict:
    return {"inspection": row.id, "score": row.score, "outcome": row.outcome, "sampled": row.sampled}


@router.post("/orders/{number}/call-record", status_code=201, summary="登记来电记录（通话转写或话务员记录）并质检", responses=CHANGES)
def attach_call(number: str, body: CallRecordIn, ctx: Ctx, caller: CurrentCaller) -> dict:
    require_role(caller.actor, *CALL_TAKERS)
    record = body.to_record()
    with ctx.write() as session:
        row = ctx.quality.attach_call(session, number=number, record=record, actor=caller.actor,
                                      platform=caller.platform, now=ctx.clock.now())
        return _created(row)


@router.post("/quality/calls/import", status_code=201, summary="成批导入来电记录（全部成功或全部不导入）",
             responses={**errors(404), **CHANGES})
def import_calls(body: CallImport, ctx: Ctx, caller: CurrentCaller) -> dict:
    require_role(caller.actor, *REVIEWERS)
    items = []
    for i, item in enumerate(body.items, start=1):
        try:
            items.append((item.order, item.to_record()))
        except InvalidInput as exc:
            raise InvalidInput(f"第 {i} 条（工单 {item.order}）：{exc.message}") from None
    with ctx.write() as session:
        rows = ctx.quality.import_calls(session, items, actor=caller.actor, platform=caller.platform,
                                        now=ctx.clock.now())
        return {"count": len(rows), "inspections": [_created(r) for r in rows]}


@router.get("/quality/queue", summary="抽查队列：全部不合格、部分待复核、随机抽取的合格")
def queue(ctx: Ctx, caller: CurrentCaller, record: Record = None,
          limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0
          ) -> dict:
    require_role(caller.actor, *REVIEWERS)
    with ctx.read() as session:
        return queries.queue(session, caller.actor, caller.platform, record=record, limit=limit, offset=offset)


@router.get("/quality/awaiting-reopen", summary="待重办：质检不合格且经人工确认、尚未退回的答复（由督办员决定重办）")
def awaiting_reopen(ctx: Ctx, caller: CurrentCaller, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> dict:
    require_role(caller.actor, *REVIEWERS)
    with ctx.read() as session:
        return queries.awaiting_reopen(session, caller.actor, caller.platform, limit=limit, offset=offset)


@router.get("/quality/orders/{number}", summary="工单的来电记录、答复与质检发现（含依据片段）")
def order_quality(number: str, ctx: Ctx, caller: CurrentCaller) -> dict:
    require_role(caller.actor, *REVIEWERS)
    with ctx.read() as session:
        return queries.masked(queries.order_quality(session, caller.actor, caller.platform, number))


@router.post("/quality/findings/{finding_id}/verdict", summary="确认或推翻一条质检发现")
def verdict(finding_id: Id, body: VerdictIn, ctx: Ctx, caller: CurrentCaller) -> dict:
    with ctx.write() as session:
        f = ctx.quality.verdict(session, finding_id=finding_id, verdict=body.verdict, note=body.note,
                                actor=caller.actor, platform=caller.platform, now=ctx.clock.now())
        return {"finding": f.id, "verdict": f.verdict, "verdict_by": f.verdict_by}


@router.post("/quality/inspections/{inspection_id}/reviewed", summary="标记抽查记录已阅")
def reviewed(inspection_id: Id, ctx: Ctx, caller: CurrentCaller) -> dict:
    with ctx.write() as session:
        row = ctx.quality.mark_reviewed(session, inspection_id=inspection_id, actor=caller.actor,
                                        platform=caller.platform, now=ctx.clock.now())
        return {"inspection": row.id, "reviewed_by": row.reviewed_by}


@router.post("/quality/inspections/{inspection_id}/reopen", summary="不合格答复退回承办单位重办", responses=CHANGES)
def reopen(inspection_id: Id, body: ReopenIn, ctx: Ctx, caller: CurrentCaller) -> dict:
    with ctx.write() as session:
        order = ctx.quality.reopen(session, inspection_id=inspection_id, reason=body.reason, actor=caller.actor,
                                   platform=caller.platform, now=ctx.clock.now())
        return {"order": order.number, "status": order.status}


@router.get("/quality/rollup", summary="质检汇总：按话务员、承办单位、分类、日、月")
def rollup(ctx: Ctx, caller: CurrentCaller, by: Literal["operator", "unit", "category", "day", "month"],
           record: Record = None, since: Day = None, until: Day = None) -> list[dict]:
    require_role(caller.actor, *REVIEWERS, Role.DISPATCHER)
    with ctx.read() as session:
        return queries.rollup(session, caller.actor, caller.platform, by=by, record=record, since=since, until=until)


@router.get("/quality/precision", summary="各规则的机器准确率（按人工复核结论）")
def precision(ctx: Ctx, caller: CurrentCaller) -> list[dict]:
    require_role(caller.actor, *REVIEWERS)
    with ctx.read() as session:
        return queries.precision(session, caller.actor, caller.platform)
