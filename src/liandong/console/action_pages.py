"""Acting on an order from the console (办理操作): `POST /console/orders/{number}/actions`.

Every action form of the detail page, the dispatch queue and the inbox posts here. The form is read
through the API's own request shape (`ActionRequest`, so the same limits and the same Chinese messages),
turned into the same `ActionCommand` and applied by the same `Orders.act`, with the version the page was
drawn at (`expected_version`): a form older than the order is refused with 409. A refusal is drawn on
the order's page beside its forms (403 wrong role, 409 stale or not allowed now, 422 bad input), what
was typed kept; an order out of scope is the 403 page. Success redirects (POST/redirect/GET).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from liandong.api.errors import describe_validation_error
from liandong.console.deps import Ctx, CurrentUser, Form, require_view
from liandong.console.pages import ConsoleRoute
from liandong.console.web import detail_page
from liandong.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    StaleUpdate,
)
from liandong.orders import service as orders
from liandong.orders.schemas import ActionRequest

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
FIELDS = ("action", "note", "unit", "reason", "satisfied", "rating", "days", "target", "step", "category", "level",
          "expected_version", "solved", "satisfaction")
STALE_HINT = "下方已显示该工单的最新状态，请核对后重新操作。"


def request_of(form: dict[str, str]) -> ActionRequest:
    """The posted form as the API's request: blank fields are absent, the note is text."""
    data = {k: form[k].strip() for k in FIELDS if k in form and form[k].strip()}
    data.setdefault("note", "")
    return ActionRequest.model_validate(data)


def back_of(raw: str | None, number: str) -> str:
    """Where success returns to: a console page given by the form, else the order's own page."""
    if raw and raw.startswith("/console/") and not raw.startswith("//") and "\\" not in raw and "?" not in raw \
            and not any(c in raw for c in "\r\n\t"):
        return raw
    return f"/console/orders/{number}"


@router.post("/orders/{number}/actions")
def act_on_order(request: Request, ctx: Ctx, me: CurrentUser, form: Form,
                 number: Annotated[str, Path(max_length=40)]) -> Response:
    with ctx.read() as session:  # out of scope: the 403 page, before anything else is looked at
        require_view(me.actor, me.platform, orders.get_order(session, number))
    kept = dict(open_action=form.get("action", ""), form_values={k: form.get(k, "") for k in FIELDS})
    try:
        body = request_of(form)
    except ValidationError as exc:
        message = "；".join(describe_validation_error(e) for e in exc.errors()[:5])
        return detail_page(request, ctx, me, number, 422, action_error=message, **kept)
    try:
        with ctx.write() as session:
            ctx.orders.act(session, number=number, cmd=body.command(), actor=me.actor, platform=me.platform,
                           now=ctx.clock.now(), expected_version=body.expected_version)
    except StaleUpdate as exc:
        return detail_page(request, ctx, me, number, 409, action_error=f"{exc.message}。{STALE_HINT}")
    except Conflict as exc:
        return detail_page(request, ctx, me, number, 409, action_error=exc.message)
    except Forbidden as exc:
        return detail_page(request, ctx, me, number, 403, action_error=exc.message)
    except (InvalidInput, NotFound) as exc:  # NotFound here: the unit or the merge target, not this order
        return detail_page(request, ctx, me, number, 422, action_error=exc.message, **kept)
    target = back_of(form.get("back"), number)
    return RedirectResponse(f"{target}?done={body.action.value}&n={number}", status_code=303)
