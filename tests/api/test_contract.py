"""The contract is the behaviour: what `/openapi.json` says each route answers is what it answers.

Every operation is probed for real (no token, then as the administrator with unknown ids): each status
it answers must be documented, with the body the document names. Where a request schema and the server
used to disagree, a request shows that both now refuse, with a Chinese message.
"""

from __future__ import annotations

import re

import pytest

from tests.builders import World

GOOD = {"channel": "phone", "text": "路灯坏了好几天了", "region": "148802001"}
HAN = re.compile(r"[\u4e00-\u9fff]")
ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}


@pytest.fixture
def spec(world: World) -> dict:
    r = world.client.get("/openapi.json")  # open: no token
    assert r.status_code == 200
    return r.json()


def operations(spec: dict):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def concrete(path: str, op: dict) -> str:
    """The path with its parameters filled by values no record has."""
    for p in op.get("parameters", []):
        if p["in"] == "path":
            value = "json" if p["name"] == "fmt" else ("999999" if p["schema"].get("type") == "integer" else "NOPE404")
            path = path.replace("{" + p["name"] + "}", value)
    return path


def refusal_matches(path: str, r) -> None:
    body = r.json()
    if path.startswith("/open311/"):
        assert isinstance(body, list) and body[0]["code"] == r.status_code and HAN.search(body[0]["description"])
    else:
        assert set(body) == {"error", "message", "details"} and HAN.search(body["message"]), body


def test_each_operation_names_the_credential_the_server_accepts(world: World, spec: dict):
    """`security` on every operation, from the dependency that checks it: a staff token (bearerAuth) opens
    the staff operations and an open-data key (apiKey in X-Api-Key, or apiKeyQuery) the open-data ones —
    and neither opens the other's."""
    from tests.share_kit import add_consumer

    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["type"] == "http" and schemes["bearerAuth"]["scheme"] == "bearer"
    assert (schemes["apiKey"]["in"], schemes["apiKey"]["name"]) == ("header", "X-Api-Key")
    assert (schemes["apiKeyQuery"]["in"], schemes["apiKeyQuery"]["name"]) == ("query", "api_key")
    key = add_consumer(world, "contract-probe")
    kinds = set()
    for path, method, op in operations(spec):
        where = f"{method.upper()} {path}"
        names = {name for requirement in op.get("security", []) for name in requirement}
        assert names and names <= set(schemes), where
        if path.startswith("/open311/"):
            assert names == {"apiKeyQuery"}, where
            continue
        kinds.add(frozenset(names))
        url = concrete(path, op)
        staff = world.client.request(method.upper(), url, headers=world.as_("admin"))
        consumer = world.client.request(method.upper(), url, headers={"X-Api-Key": key})
        if names == {"bearerAuth"}:
            assert staff.status_code != 401 and consumer.status_code == 401, (where, staff.text, consumer.text)
        else:
            assert names == {"apiKey", "apiKeyQuery"}, where
            assert consumer.status_code != 401 and staff.status_code == 401, (where, consumer.text, staff.text)
    assert kinds == {frozenset({"bearerAuth"}), frozenset({"apiKey", "apiKeyQuery"})}


def test_the_schema_lists_every_refusal_with_its_body(spec: dict):
    """Statically: a parameter or a body → 422, a path parameter → 404, a body → 413, a token → 401;
    each /api/v1 refusal names `ErrorBody`, and FastAPI's `HTTPValidationError` (never sent) is gone."""
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert set(spec["components"]["schemas"]["ErrorBody"]["properties"]) == {"error", "message", "details"}
    seen = 0
    for path, method, op in operations(spec):
        responses, params = op["responses"], op.get("parameters", [])
        where = f"{method.upper()} {path}"
        if path.startswith("/api/v1/"):
            assert "401" in responses, where
            if params or "requestBody" in op:
                assert "422" in responses, where
            for status, answer in responses.items():
                if status.startswith("4") or status.startswith("5"):
                    assert answer["content"]["application/json"]["schema"] == ERROR_BODY, (where, status)
        else:
            assert path.startswith("/open311/v2/"), where
            assert {"400", "403", "404", "429"} <= set(responses) and "422" not in responses, where
        if any(p["in"] == "path" for p in params):
            assert "404" in responses, where
        if "requestBody" in op:
            assert "413" in responses, where
        seen += 1
    assert seen > 60  # every router is in the document


def test_every_operation_without_credentials_answers_a_documented_refusal(world: World, spec: dict):
    for path, method, op in operations(spec):
        url = concrete(path, op)
        form = {"data": {"service_code": "x"}} if path.startswith("/open311/") and method == "post" else {}
        r = world.client.request(method.upper(), url, **form)
        where = f"{method.upper()} {url}"
        assert r.status_code == (403 if path.startswith("/open311/") else 401), (where, r.text)
        assert str(r.status_code) in op["responses"], where
        refusal_matches(path, r)


def test_every_operation_answers_the_administrator_only_documented_statuses(world: World, spec: dict):
    """Unknown ids, no query and no body: whatever each route answers (2xx, 403, 404, 422, …) is documented."""
    statuses = set()
    for path, method, op in operations(spec):
        url = concrete(path, op)
        kw = {"params": {"api_key": "ldc_not-a-key"}} if path.startswith("/open311/") else {}
        if "requestBody" in op and "application/json" in op["requestBody"]["content"]:
            kw["content"] = b"{}"
            kw["headers"] = {**world.as_("admin"), "content-type": "application/json"}
        else:
            kw["headers"] = world.as_("admin")
        r = world.client.request(method.upper(), url, **kw)
        where = f"{method.upper()} {url}: {r.status_code} {r.text[:200]}"
        assert r.status_code < 500, where
        assert str(r.status_code) in op["responses"], where
        if r.status_code >= 400:
            refusal_matches(path, r)
        statuses.add(r.status_code)
    assert {403, 404, 422} <= statuses  # the probe reached each kind of refusal


def test_a_body_that_is_not_json_is_a_documented_422_on_every_route_with_a_json_body(world: World, spec: dict):
    checked = 0
    for path, method, op in operations(spec):
        if "application/json" not in op.get("requestBody", {}).get("content", {}):
            continue
        r = world.client.request(method.upper(), concrete(path, op), content=b"{not json",
                                 headers={**world.as_("admin"), "content-type": "application/json"})
        assert r.status_code == 422 and "JSON" in r.json()["message"], (path, r.text)
        checked += 1
    assert checked > 15


def test_docs_is_swagger_ui_from_this_server_and_redoc_is_not_served(world: World):
    r = world.client.get("/docs")  # open, like /openapi.json: the contract, not data
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), r.text[:200]
    assert "SwaggerUIBundle" in r.text and "'/openapi.json'" in r.text
    assert "cdn" not in r.text.lower() and "validatorUrl\": null" in r.text
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", r.text)
    assert len(refs) == 3, refs  # the script, the style sheet, the icon
    kinds = set()
    for ref in refs:
        assert ref.startswith("/") and not ref.startswith("//"), ref  # a path on this host, never another one
        asset = world.client.get(ref)
        assert asset.status_code == 200 and len(asset.content) > 100, ref
        kinds.add(asset.headers["content-type"].split(";")[0])
    assert {"text/javascript", "text/css", "image/svg+xml"} <= kinds, kinds
    for page in ("/redoc", "/docs/oauth2-redirect"):
        assert world.client.get(page).status_code == 404, page


# -- the schema says what the server enforces ------------------------------------------------------

def _component(spec: dict, name: str) -> dict:
    return spec["components"]["schemas"][name]


def _param(spec: dict, path: str, name: str) -> dict:
    return next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == name)["schema"]


def test_route_text_without_chinese_is_refused_by_schema_and_server(world: World, spec: dict):
    text = "help 12345 !!!"
    pattern = _component(spec, "RouteRequest")["properties"]["text"]["pattern"]
    assert re.search(pattern, text) is None and re.search(pattern, "路灯坏了")
    r = world.post("operator", "/route", {"text": text})
    assert r.status_code == 422 and "不含中文" in r.json()["message"]
    assert world.post("operator", "/route", {"text": "路灯坏了"}).status_code == 200
    # the appeal's own schema says the same as `Intake.check`
    assert _component(spec, "AppealCreate")["properties"]["text"]["pattern"] == pattern
    r = world.post("operator", "/appeals", {**GOOD, "text": text})
    assert r.status_code == 422 and "不含中文" in r.json()["message"]


def test_unknown_status_or_platform_filter_is_outside_the_schema_and_refused(world: World, spec: dict):
    status = _param(spec, "/api/v1/orders", "status")
    ref = next(s["$ref"] for s in status["anyOf"] if "$ref" in s).rsplit("/", 1)[1]
    assert "bogus" not in _component(spec, ref)["enum"] and "received" in _component(spec, ref)["enum"]
    r = world.get("admin", "/orders", params={"status": "bogus"})
    assert r.status_code == 422 and r.json()["message"].startswith("状态：取值无效")
    assert world.get("admin", "/orders", params={"status": "received"}).status_code == 200
    platform = _param(spec, "/api/v1/orders", "platform")
    assert next(s["enum"] for s in platform["anyOf"] if "enum" in s) == ["12345", "110"]
    r = world.get("admin", "/orders", params={"platform": "119"})
    assert r.status_code == 422 and r.json()["message"].startswith("平台：取值无效")


@pytest.mark.parametrize("value", ["0", "1700000000", "2026/11/01"])
def test_a_date_filter_is_an_iso_day_in_schema_and_server(world: World, spec: dict, value):
    schema = _param(spec, "/api/v1/orders", "date_to")
    assert {"type": "string", "format": "date"} in schema["anyOf"]
    r = world.get("admin", "/orders", params={"date_to": value})
    assert r.status_code == 422 and "截止日期" in r.json()["message"] and "YYYY-MM-DD" in r.json()["message"]
    assert world.get("admin", "/orders", params={"date_to": "2026-11-01"}).status_code == 200


@pytest.mark.parametrize("field", ["satisfied", "solved"])
@pytest.mark.parametrize("value", [0.0, 1, "yes"])
def test_visit_booleans_are_json_booleans_in_schema_and_server(world: World, spec: dict, field, value):
    prop = _component(spec, "ActionBody")["properties"][field]
    assert {"type": "boolean"} in prop["anyOf"]
    number = world.post("operator", "/appeals", GOOD).json()["orders"][0]["id"]
    seen = world.get("handler_urban", f"/orders/{number}").json()["version"]
    r = world.act("handler_urban", number, "sign", **{field: value})
    assert r.status_code == 422 and "应为 true 或 false" in r.json()["message"], r.text
    assert world.get("handler_urban", f"/orders/{number}").json()["version"] == seen  # nothing was done


@pytest.mark.parametrize("path,name,good,who", [
    ("/api/v1/push/deliveries", "state", "failed", "admin"),
    ("/api/v1/analytics/warnings", "kind", "high", "supervisor"),
])
def test_other_closed_filters_are_enums_in_schema_and_server(world: World, spec: dict, path, name, good, who):
    schema = _param(spec, path, name)
    allowed = schema.get("enum") or next(s["enum"] for s in schema["anyOf"] if "enum" in s)
    assert good in allowed and "bogus" not in allowed
    params = {"from": "2026-11-01", "to": "2026-11-02"} if "warnings" in path else {}
    r = world.get(who, path.removeprefix("/api/v1"), params={**params, name: "bogus"})
    assert r.status_code == 422 and ("取值无效" in r.json()["message"] or "无效，可选" in r.json()["message"]), r.text
    assert world.get(who, path.removeprefix("/api/v1"), params={**params, name: good}).status_code == 200
