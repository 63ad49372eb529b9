"""知识库 pages at `/console/knowledge`: the review queue (待审核) and the 知识点下派 tasks, for
supervisors and 知识库管理员; the same service functions as `/api/v1/knowledge`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from liandong.console.deps import Ctx, CurrentUser
from liandong.console.pages import ConsoleRoute, page
from liandong.core.actors import Role, require_role
from liandong.knowledge.entry import EntryState
from liandong.knowledge.gap_service import list_gaps
from liandong.knowledge.tables import KnowledgeEntryRow

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
GAP_STATES = {"open": "待起草", "drafted": "已起草待审核"}


@router.get("/knowledge")
def knowledge_page(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    require_role(me.actor, Role.SUPERVISOR, Role.KNOWLEDGE_ADMIN)
    with ctx.read() as session:
        gaps = list_gaps(session)
        pending = session.scalars(select(KnowledgeEntryRow).where(KnowledgeEntryRow.state == EntryState.PENDING.value)
                                  .order_by(KnowledgeEntryRow.updated_at).limit(200)).all()
        surge = ctx.surge.state(session, fresh=True)
    units = ctx.city.units
    return page(request, "knowledge_page.html", gaps=gaps, pending=pending, surge=surge, gap_states=GAP_STATES,
                unit_name=lambda code: units[code].name if code in units else (code or "—"))
