"""Bulk import and export (批量导入导出) over the service: all rows or none."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from liandong.core.actors import Actor, Role, require_role
from liandong.core.errors import InvalidInput, LiandongError
from liandong.knowledge.rows import RowProblem, parse_rows, to_row
from liandong.knowledge.service import Knowledge, content_of
from liandong.knowledge.tables import KnowledgeEntryRow, KnowledgeVersionRow


def import_rows(knowledge: Knowledge, session: Session, rows: list[tuple[str, int, dict]], *, actor: Actor,
                now: datetime, publish: bool = False) -> dict:
    """Create (or, for a known 条目编号, edit) every row; any bad row refuses the whole batch (422 with the list).

    `publish` — the city's approved list going live at once — is for a 知识库管理员 or supervisor only."""
    if publish:
        require_role(actor, Role.KNOWLEDGE_ADMIN, Role.SUPERVISOR)
    parsed, problems = parse_rows(rows)
    created = updated = 0
    if not problems:
        for row in parsed:
            try:
                with session.begin_nested():
                    existing = session.get(KnowledgeEntryRow, row.entry_id) if row.entry_id else None
                    if existing is None:
                        knowledge.create(session, row.content, actor=actor, now=now, publish=publish,
                                         entry_id=row.entry_id, note="导入")
                        created += 1
                    else:
                        knowledge.edit(session, existing.id, row.content, actor=actor, now=now, note="导入")
                        updated += 1
            except LiandongError as exc:
                problems.append(RowProblem(row.sheet, row.row, exc.message))
    if problems:
        shown = "；".join(str(p) for p in problems[:5]) + (f"；另有 {len(problems) - 5} 行有问题" if len(problems) > 5 else "")
        raise InvalidInput(f"导入失败，未写入任何条目：{shown}", details={"problems": [p.to_dict() for p in problems]})
    return {"created": created, "updated": updated}


def export_rows(session: Session) -> list[dict]:
    """The latest version of every entry, as import columns."""
    rows = session.execute(select(KnowledgeVersionRow).join(
        KnowledgeEntryRow, (KnowledgeEntryRow.id == KnowledgeVersionRow.entry_id)
        & (KnowledgeEntryRow.latest_version == KnowledgeVersionRow.version)).order_by(KnowledgeEntryRow.id)).scalars()
    return [to_row(v.entry_id, content_of(v)) for v in rows]
