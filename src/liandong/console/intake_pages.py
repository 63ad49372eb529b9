"""话务员 intake page (受理台) at `/console/intake`: the page an operator lives in while the caller talks.

The form posts to the same intake as `POST /api/v1/appeals` (`Intake.check`, then the intake queue);
while the operator types, `/console/intake/suggest` answers what `POST /api/v1/route` answers (the
router's decision and the unit of the place) beside the caller's earlier appeals (重复来电, by the keyed
hash of the number) and possible 群诉 clusters in the same street. An emergency's 一键转警 submits the
appeal: the linkage plan opens the police order or the transfer, as the routing says. 即问即答 submits,
then answers on the received work order (RECEIVED → REPLY) where the transition table allows it.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from liandong.api.errors import describe_validation_error
from liandong.api.routers.appeals import INTAKE_ROLES, routing_read
from liandong.console.deps import Ctx, CurrentUser, Form
from liandong.console.pages import ConsoleRoute, page
from liandong.core.actors import require_role
from liandong.core.errors import InvalidInput, LiandongError
from liandong.core.masking import caller_key
from liandong.core.types import Channel, Platform
from liandong.intake.schemas import AppealCreate
from liandong.orders import present
from liandong.supervision import queries as attention

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
EMERGENCY = ("110", "119", "120")
SERVICE_LABELS = {"12345": "12345 职能部门", "110": "110 公安", "119": "119 消防", "120": "120 急救"}
FIELDS = ("channel", "caller_name", "phone", "address", "region", "text", "answer")
SHORTCUTS = [  # key, what it does; the page's JS reads the same keys from data-key attributes
    ("Alt+1", "受理渠道"), ("Alt+2", "来电人姓名"), ("Alt+3", "联系电话"), ("Alt+4", "事发地址"),
    ("Alt+5", "所属区划（输入名称检索）"), ("Alt+6", "诉求内容"), ("Alt+7", "即问即答：当场答复内容"),
    ("Ctrl+Enter", "登记诉求"), ("F9", "一键转警（紧急警情提示出现时）"), ("Alt+Y", "当场答复并登记（即问即答）"),
    ("?", "显示本快捷键列表（焦点不在输入框时；任何时候可按 F1）"), ("Esc", "关闭本列表"),
]
MASS_WINDOW = timedelta(hours=24)


def _channels(platform: str) -> list[tuple[str, str]]:
    desk = Channel.DESK_110 if platform == Platform.POLICE else Channel.PHONE
    chosen = [desk, Channel.WEB, Channel.APP, Channel.WECHAT, Channel.SMS, Channel.EMAIL]
    if desk is not Channel.PHONE:
        chosen.insert(1, Channel.PHONE)
    return [(c.value, c.value) for c in chosen]


def _intake_page(request: Request, ctx, me, code: int = 200, *, form: dict | None = None, errors: list[str] | None = None,
                 result: dict | None = None) -> Response:
    regions = [(code_, ctx.city.region_path(code_)) for code_ in sorted(ctx.city.regions) if len(code_) >= 9]
    form = {k: "" for k in FIELDS} | (form or {})
    return page(request, "intake.html", code, form=form, errors=errors or [], result=result,
                channels=_channels(me.platform), regions=regions, shortcuts=SHORTCUTS)


def _region_of(ctx, raw: str) -> str | None:
    """The region code from the picker: a code, or "code 名称" as the list shows it."""
    code = raw.strip().split(" ")[0] if raw.strip() else ""
    if not code:
        return None
    ctx.city.region(code)  # InvalidInput in Chinese when malformed or not in the city's directory
    return code


@router.get("/intake")
def intake_form(request: Request, ctx: Ctx, me: CurrentUser) -> Response:
    require_role(me.actor, *INTAKE_ROLES)
    return _intake_page(request, ctx, me)


@router.post("/intake/suggest")
def intake_suggest(request: Request, ctx: Ctx, me: CurrentUser, form: Form) -> Response:
    """The routing suggestion and the related items, as the operator types (htmx, debounced)."""
    require_role(me.actor, *INTAKE_ROLES)
    text = form.get("text", "").strip()[:5000]
    error, region = "", None
    try:
        region = _region_of(ctx, form.get("region", ""))
    except InvalidInput as exc:
        error = exc.message
    suggestion = None
    if text:
        channel = form.get("channel") or Channel.PHONE.value
        channel = channel if channel in Channel.__members__.values() else Channel.PHONE.value
        probe = AppealCreate.model_construct(channel=Channel(channel), text=text, region=region,
                                             address=form.get("address", "").strip() or None)
        suggestion = routing_read(ctx.intake.route([probe])[0].to_dict())
    key = caller_key(form.get("phone", "").strip(), ctx.settings.phone_salt)
    digits = sum(ch.isdigit() for ch in form.get("phone", ""))
    with ctx.read() as session:
        earlier = attention.earlier_calls(session, me.actor, me.platform, key) if digits >= 7 else []
        near = attention.mass_leads_near(session, me.actor, me.platform, region, since=ctx.clock.now() - MASS_WINDOW)
        repeats = [present.summary(o, a, ctx.city) for o, a in earlier]
        clusters = [(present.summary(o, a, ctx.city), attention.mass_size(session, o.number)) for o, a in near]
        surge = ctx.surge.state(session)  # 话务激增: the incident's banner and pinned wording
    emergency = bool(suggestion and set(suggestion.services) & set(EMERGENCY))
    knowledge = [] if emergency or not text else ctx.knowledge.search(text, region=region)  # 知识库前三条
    unit_name = ctx.city.units[suggestion.unit].name if suggestion and suggestion.unit in ctx.city.units else None
    consult = bool(suggestion and (suggestion.kind == "咨询" or not suggestion.services))
    return page(request, "_intake_suggest.html", s=suggestion, unit_name=unit_name, emergency=emergency,
                consult=consult, repeats=repeats, clusters=clusters, error=error, service_labels=SERVICE_LABELS,
                knowledge=knowledge, surge=surge)


@router.post("/intake")
async def intake_submit(request: Request, ctx: Ctx, me: CurrentUser, form: Form) -> Response:
    require_role(me.actor, *INTAKE_ROLES)
    kept = {k: form.get(k, "") for k in FIELDS}
    mode = form.get("mode", "submit")
    answer = kept["answer"].strip()
    entry = None
    if mode.startswith("entry:"):  # 用此口径当场答复: the entry's served wording, recorded with its version
        entry_id, _, version = mode.removeprefix("entry:").partition(":")
        try:
            with ctx.read() as session:
                entry = ctx.knowledge.version(session, entry_id, int(version) if version.isdigit() else 0)
        except LiandongError as exc:
            return _intake_page(request, ctx, me, 422, form=kept, errors=[exc.message])
        mode, answer = "answer", entry.answer
    if mode == "answer" and not answer:
        return _intake_page(request, ctx, me, 422, form=kept, errors=["即问即答：请先填写当场答复的内容"])
    try:
        body = AppealCreate(channel=kept["channel"] or Channel.PHONE.value, text=kept["text"],
                            caller={"name": kept["caller_name"].strip() or None, "phone": kept["phone"].strip() or None},
                            address=kept["address"].strip() or None, region=_region_of(ctx, kept["region"]),
                            answer=answer if mode == "answer" else None,
                            knowledge_entry=entry.entry_id if entry else None,
                            knowledge_version=entry.version if entry else None)
        now = ctx.clock.now()
        ctx.intake.check(body, now=now)
    except ValidationError as exc:
        errors = [describe_validation_error(_field(e)) for e in exc.errors()[:5]]
        return _intake_page(request, ctx, me, 422, form=kept, errors=errors)
    except InvalidInput as exc:
        return _intake_page(request, ctx, me, 422, form=kept, errors=[exc.message])
    try:
        appeal, orders = await ctx.intake_queue.submit(body, actor=me.actor, platform=me.platform, now=now)
    except LiandongError as exc:  # e.g. 即问即答 on an appeal that must be dispatched: nothing was stored
        return _intake_page(request, ctx, me, 422, form=kept, errors=[exc.message])
    refs = [present.ref(o) for o in orders]
    notice = "已当场答复来电人（即问即答）。" if mode == "answer" else ""
    services = list((appeal.routing or {}).get("services") or [])
    return _intake_page(request, ctx, me, result=dict(orders=refs, notice=notice, mode=mode, services=services,
                                                      emergency=bool(set(services) & set(EMERGENCY))))


_FIELD_NAMES = {"text": "诉求内容", "channel": "受理渠道", "phone": "联系电话", "name": "来电人姓名", "address": "事发地址",
                "region": "所属区划", "caller": "来电人"}


def _field(err: dict) -> dict:
    return {**err, "loc": tuple(_FIELD_NAMES.get(str(p), p) for p in err.get("loc", ()))}
