"""Knowledge base (知识库): search, entries and their versions, review, XLSX import and export."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from liandong.api.contract import errors, file_answer
from liandong.api.deps import Ctx, CurrentCaller
from liandong.core.actors import Role, require_role
from liandong.core.errors import InvalidInput
from liandong.knowledge.entry import STATE_LABELS, EntryState, ReviewAction, allowed
from liandong.knowledge.gap_service import dispatch_gaps, list_gaps, take_gap
from liandong.knowledge.schemas import (
    MAX_SEARCH,
    EntryEdit,
    EntryRead,
    EntryWrite,
    GapRead,
    GapRun,
    KnowledgeHitRead,
    ReviewCommand,
    SearchQuery,
    VersionRead,
)
from liandong.knowledge.transfer import export_rows, import_rows
from liandong.knowledge.xlsx import MAX_BYTES, read_xlsx, write_xlsx

router = APIRouter(tags=["知识库 knowledge"], responses=errors(403))  # by role
CHANGES = errors(409)  # review state, or a version someone else saved first
READERS = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.HANDLER, Role.KNOWLEDGE_ADMIN, Role.POLICE,
           Role.INSPECTOR)
ASKED = {"pattern": r"\S", "description": "来电人的问题（必填，去掉首尾空白后 1–500 字）"}  # checked in `_search`
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/knowledge/search", response_model=list[KnowledgeHitRead], summary="知识检索（一问一答）；无合适口径时返回 []")
def search(ctx: Ctx, caller: CurrentCaller, q: Annotated[str, Query(max_length=20000, json_schema_extra=ASKED)],
           region: str | None = None, limit: Annotated[int, Query(ge=1, le=20)] = 3, public_only: bool = False):
    return _search(ctx, caller, q, region, limit, public_only)


@router.post("/knowledge/search", response_model=list[KnowledgeHitRead], summary="知识检索（长文本用 POST）")
def search_post(body: SearchQuery, ctx: Ctx, caller: CurrentCaller):
    return _search(ctx, caller, body.q, body.region, body.limit, body.public_only)


def _search(ctx, caller, q: str, region: str | None, limit: int, public_only: bool) -> list[dict]:
    require_role(caller.actor, *READERS)
    text = q.strip()
    if not text:
        raise InvalidInput("检索内容不能为空")
    if len(text) > MAX_SEARCH:
        raise InvalidInput(f"检索内容不能超过 {MAX_SEARCH} 字，请提炼来电人的问题后再检索")
    if region:
        ctx.city.region(region)
    return [h.to_dict() for h in ctx.knowledge.search(text, region=region, public_only=public_only, limit=limit)]


@router.post("/knowledge/entries", response_model=EntryRead, status_code=201,
             summary="新建知识条目（草稿）；答复知识点下派任务时随即提交审核", responses={**errors(404), **CHANGES})
def create(body: EntryWrite, ctx: Ctx, caller: CurrentCaller):
    now = ctx.clock.now()
    with ctx.write() as session:
        gap = take_gap(session, body.gap_id, caller.actor) if body.gap_id else None
        entry = ctx.knowledge.create(session, body.content(), actor=caller.actor, now=now, note=body.note)
        if gap is not None:
            entry = ctx.knowledge.act(session, entry.id, ReviewAction.SUBMIT, actor=caller.actor, now=now,
                                      note=f"答复知识点下派任务 {gap.id}（工单 {gap.order_number}）")
            gap.state, gap.entry_id = "drafted", entry.id
        return _read(ctx, session, entry, caller)


@router.get("/knowledge/gaps", response_model=list[GapRead], summary="知识点下派任务（督办员、知识库管理员）")
def gaps(ctx: Ctx, caller: CurrentCaller, state: Annotated[str | None, Query(pattern="^(open|drafted)$")] = None):
    require_role(caller.actor, Role.SUPERVISOR, Role.KNOWLEDGE_ADMIN)
    with ctx.read() as session:
        return [_gap(g) for g in list_gaps(session, state=state)]


@router.post("/knowledge/gaps/run", response_model=list[GapRead], summary="聚类缺口令的咨询并下派到责任单位")
def run_gaps(body: GapRun, ctx: Ctx, caller: CurrentCaller):
    require_role(caller.actor, Role.SUPERVISOR, Role.KNOWLEDGE_ADMIN)
    now = ctx.clock.now()
    with ctx.write() as session:
        made = dispatch_gaps(session, ctx.intake, since=now - timedelta(days=body.days), actor=caller.actor,
                             platform=caller.platform, now=now)
        return [_gap(g) for g in made]


def _gap(g) -> dict:
    return {"id": g.id, "order_number": g.order_number, "unit": g.unit, "category": g.category,
            "questions": list(g.questions or []), "size": g.size, "state": g.state, "entry_id": g.entry_id,
            "created_at": g.created_at}


@router.get("/knowledge/entries/{entry_id}", response_model=EntryRead, summary="知识条目")
def get(entry_id: str, ctx: Ctx, caller: CurrentCaller):
    require_role(caller.actor, *READERS)
    with ctx.read() as session:
        return _read(ctx, session, ctx.knowledge.entry(session, entry_id), caller)


@router.put("/knowledge/entries/{entry_id}", response_model=EntryRead, summary="修改知识条目（生成新版本，重新审核）", responses=CHANGES)
def edit(entry_id: str, body: EntryEdit, ctx: Ctx, caller: CurrentCaller):
    with ctx.write() as session:
        entry = ctx.knowledge.edit(session, entry_id, body.content(), actor=caller.actor, now=ctx.clock.now(),
                                   expected_version=body.expected_version, note=body.note)
        return _read(ctx, session, entry, caller)


@router.get("/knowledge/entries/{entry_id}/versions", response_model=list[VersionRead], summary="全部版本")
def versions(entry_id: str, ctx: Ctx, caller: CurrentCaller):
    require_role(caller.actor, *READERS)
    with ctx.read() as session:
        return [_version(v) for v in ctx.knowledge.versions(session, entry_id)]


@router.get("/knowledge/entries/{entry_id}/versions/{version}", response_model=VersionRead,
            summary="某一版本（通话中使用过的口径始终可查）")
def version(entry_id: str, version: int, ctx: Ctx, caller: CurrentCaller):
    require_role(caller.actor, *READERS)
    with ctx.read() as session:
        return _version(ctx.knowledge.version(session, entry_id, version))


@router.post("/knowledge/entries/{entry_id}/actions", response_model=EntryRead, summary="审核流程：提交、发布、退回、下线", responses=CHANGES)
def act(entry_id: str, body: ReviewCommand, ctx: Ctx, caller: CurrentCaller):
    with ctx.write() as session:
        entry = ctx.knowledge.act(session, entry_id, body.action, actor=caller.actor, now=ctx.clock.now(),
                                  note=body.note)
        return _read(ctx, session, entry, caller)


@router.post("/knowledge/import", summary="导入 XLSX（任一行有误则整批不导入，并逐行列出问题）", responses=errors(413))
async def import_xlsx(request: Request, ctx: Ctx, caller: CurrentCaller, publish: bool = False) -> dict:
    require_role(caller.actor, Role.KNOWLEDGE_ADMIN, Role.SUPERVISOR, Role.HANDLER)
    data = await request.body()
    if len(data) > MAX_BYTES:
        raise InvalidInput("文件不能超过 20 MB")
    rows = read_xlsx(data)
    with ctx.write() as session:
        return import_rows(ctx.knowledge, session, rows, actor=caller.actor, now=ctx.clock.now(), publish=publish)


@router.get("/knowledge/export", summary="导出 XLSX（每条目的最新版本）", response_class=Response,
            responses=file_answer("XLSX 工作簿", XLSX))
def export_xlsx(ctx: Ctx, caller: CurrentCaller) -> Response:
    require_role(caller.actor, Role.KNOWLEDGE_ADMIN, Role.SUPERVISOR)
    with ctx.read() as session:
        data = write_xlsx(export_rows(session))
    return Response(data, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="knowledge.xlsx"'})


def _read(ctx, session, entry, caller) -> dict:
    latest = ctx.knowledge.version(session, entry.id, entry.latest_version)
    state = EntryState(entry.state)
    return {"entry_id": entry.id, "state": state.value, "state_label": STATE_LABELS[state],
            "latest_version": entry.latest_version, "served_version": entry.served_version,
            "usage_count": entry.usage_count, "solved_count": entry.solved_count,
            "unsolved_count": entry.unsolved_count, "allowed_actions": [a.value for a in allowed(state, caller.actor.role)],
            "latest": _version(latest)}


def _version(v) -> dict:
    return {"version": v.version, "question": v.question, "phrasings": list(v.phrasings or []), "answer": v.answer,
            "basis": v.basis, "document": v.document, "region": v.region, "unit": v.unit,
            "effective_from": v.effective_from, "expires_on": v.expires_on, "keywords": list(v.keywords or []),
            "visibility": v.visibility, "edited_by": v.edited_by, "edited_at": v.edited_at}
