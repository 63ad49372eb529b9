"""质检台 at `/console/quality`: the sampling queue (抽查), rankings per operator and unit, the machine's
precision per rule, and an order's call and reply with the words behind each finding highlighted; each
finding confirmed or overridden, a failed reply sent back to its unit (重办).

The pages read `quality.queries` and act through `ctx.quality` — the same functions as `/api/v1/quality`.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from liandong.console.deps import Ctx, CurrentUser, Form
from liandong.console.pages import ConsoleRoute, page
from liandong.core.actors import require_role
from liandong.core.errors import InvalidInput
from liandong.quality import queries
from liandong.quality.service import REVIEWERS

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
RECORDS = {"reply": "答复", "call": "来电"}


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[dict]:
    """`text` cut at the finding spans: [{text, rules}] where `rules` names the findings marking that piece."""
    cuts = sorted({0, len(text), *(max(0, min(len(text), int(p))) for s, e, _ in spans for p in (s, e))})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        rules = sorted({r for s, e, r in spans if s <= a and b <= e and s < e})
        out.append({"text": text[a:b], "rules": rules})
    return out


def _view(view: dict) -> dict:
    """The order's findings laid over its texts: the reply and each turn of the call get their segments."""
    for inspection in view["inspections"]:
        spans = [(s["start"], s["end"], f["label"]) for f in inspection["findings"] for s in f["spans"]
                 if s["source"] == "reply"]
        inspection["segments"] = segments(inspection["text"], spans)
        inspection["times"] = [f"{f['label']}：{s['quote']}" for f in inspection["findings"] for s in f["spans"]
                               if s["source"] == "time"]
    call = view["call"]
    if call is not None:
        found = [f for i in view["inspections"] if i["record"] == "call" for f in i["findings"]]
        for n, turn in enumerate(call["transcript"]):
            spans = [(s["start"], s["end"], f["label"]) for f in found for s in f["spans"]
                     if s["source"] == "turn" and s.get("turn") == n]
            turn["segments"] = segments(turn["text"], spans)
        call["times"] = [f"{f['label']}：{s['quote']}（第 {s['start']:.0f}–{s['end']:.0f} 秒）" for f in found
                         for s in f["spans"] if s["source"] == "time" and s["quote"] != "整通电话"]
    return view


@router.get("/quality")
def quality_home(request: Request, ctx: Ctx, me: CurrentUser,
                 record: Annotated[str | None, Query(max_length=8)] = None) -> Response:
    require_role(me.actor, *REVIEWERS)
    record = record if record in RECORDS else None
    with ctx.read() as session:
        q = queries.queue(session, me.actor, me.platform, record=record, limit=100)
        awaiting = queries.awaiting_reopen(session, me.actor, me.platform, limit=100)
        operators = queries.rollup(session, me.actor, me.platform, by="operator", record="call", limit=20)
        units = queries.rollup(session, me.actor, me.platform, by="unit", record="reply", limit=20)
        precision = queries.precision(session, me.actor, me.platform)
    return page(request, "quality_queue.html", queue=q, awaiting=awaiting, record=record, records=RECORDS,
                operators=operators, units=units, precision=precision)


@router.get("/quality/orders/{number}")
def quality_order(request: Request, ctx: Ctx, me: CurrentUser, number: Annotated[str, Path(max_length=40)],
                  notice: Annotated[str | None, Query(max_length=80)] = None) -> Response:
    require_role(me.actor, *REVIEWERS)
    with ctx.read() as session:
        view = _view(queries.masked(queries.order_quality(session, me.actor, me.platform, number)))
    return page(request, "quality_order.html", view=view, notice=notice or "")


def _back(number: str, notice: str) -> Response:
    return RedirectResponse(f"/console/quality/orders/{quote(number)}?notice={quote(notice)}", status_code=303)


def _int(form: dict, name: str) -> int:
    value = form.get(name, "")
    if not value.isdigit() or not 0 < int(value) < 2**31:
        raise InvalidInput(f"缺少或无效的编号：{name}")
    return int(value)


@router.post("/quality/verdict")
def quality_verdict(request: Request, ctx: Ctx, me: CurrentUser, form: Form) -> Response:
    finding_id = _int(form, "finding")
    with ctx.write() as session:
        ctx.quality.verdict(session, finding_id=finding_id, verdict=form.get("verdict", ""),
                            note=form.get("note", "").strip()[:500] or None, actor=me.actor, platform=me.platform,
                            now=ctx.clock.now())
    number = form.get("number", "")[:40]
    return _back(number, "已确认该发现" if form.get("verdict") == "confirmed" else "已推翻该发现")


@router.post("/quality/reopen")
def quality_reopen(request: Request, ctx: Ctx, me: CurrentUser, form: Form) -> Response:
    inspection_id = _int(form, "inspection")
    with ctx.write() as session:
        order = ctx.quality.reopen(session, inspection_id=inspection_id, reason=form.get("reason", "")[:500],
                                   actor=me.actor, platform=me.platform, now=ctx.clock.now())
        number = order.number
    return _back(number, "已退回承办单位重办")
