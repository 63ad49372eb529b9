"""Acting from the console over HTTP: the same rules as the API, every refusal a Chinese 4xx page, no 500."""

import re

from fastapi.testclient import TestClient

from liandong.api.app import create_app
from tests.builders import World
from tests.console_kit import give_passwords, page_csrf, sign_in

APPEAL = {"channel": "phone", "text": "占道经营，堵路了", "region": "148802001002",
          "caller": {"name": "李秀英", "phone": "13812345678"}}
ACTION_ERROR = re.compile(r'id="(?:action-error|queue-error|error-message)"[^>]*>([^<]+)<')


def signed_in(world: World, name: str) -> TestClient:
    give_passwords(world.ctx, name)
    c = TestClient(create_app(world.ctx), raise_server_exceptions=False)
    assert sign_in(c, name).status_code == 303
    return c


def error_of(r) -> str:
    m = ACTION_ERROR.search(r.text)
    assert m, r.text[:800]
    return m.group(1)


def opened(world: World, text: str = APPEAL["text"]) -> str:
    return world.post("operator", "/appeals", {**APPEAL, "text": text}).json()["orders"][0]["id"]


def test_refusals_are_chinese_pages_with_their_status(world: World):
    number = opened(world)  # dispatched to URBAN
    c = signed_in(world, "handler_urban")
    token = page_csrf(c, f"/console/orders/{number}")
    post = lambda **data: c.post(f"/console/orders/{number}/actions", data={"csrf_token": token, **data})  # noqa: E731
    r = post(action="close")
    assert r.status_code == 409 and "不能执行「办结」" in error_of(r)
    r = post(action="request_extension", days="many", reason="x")
    assert r.status_code == 422 and "延期天数" in error_of(r)
    r = post(action="nonsense")
    assert r.status_code == 422 and "操作" in error_of(r)
    r = post(action="return", reason="not_our_duty")  # the list's reason, but no text
    assert r.status_code == 422 and "具体说明" in error_of(r)
    assert 'name="reason"' in r.text and 'value="not_our_duty" selected' in r.text  # what was chosen is kept
    r = c.post(f"/console/orders/{number}/actions", data={"action": "sign"})
    assert r.status_code == 403 and "CSRF" in error_of(r)
    r = c.post(f"/console/orders/{number}/actions", follow_redirects=False,
               data={"csrf_token": token, "action": "sign", "expected_version": "2", "back": "https://elsewhere.example/"})
    assert r.status_code == 303 and r.headers["location"] == f"/console/orders/{number}?done=sign&n={number}"
    assert world.get("admin", f"/orders/{number}").json()["status"] == "signed"


def test_the_dispatch_queue_is_for_dispatchers_and_bulk_needs_a_selection(world: World):
    handler = signed_in(world, "handler_urban")
    r = handler.get("/console/dispatch")
    assert r.status_code == 403 and "派单台" in error_of(r)
    c = signed_in(world, "dispatcher")
    token = page_csrf(c, "/console/dispatch")
    r = c.post("/console/dispatch/bulk", data={"csrf_token": token, "unit": ""})
    assert r.status_code == 422 and error_of(r) == "请先勾选要派单的工单。"
    number = opened(world, "不确定，垃圾堆了")
    r = c.post("/console/dispatch/bulk", data={"csrf_token": token, "unit": "NO-SUCH", f"pick_{number}": "1",
                                               "pick_GD-0": "1", f"pick_{number}x": "v"})
    assert r.status_code == 200
    assert "承办单位「NO-SUCH」不存在" in r.text and "工单「GD-0」不存在" in r.text and "版本号" in r.text
    assert world.get("admin", f"/orders/{number}").json()["status"] == "received"


def test_the_visit_form_asks_the_citys_scale_and_whether_it_was_solved(world: World):
    number = opened(world)
    for who, action, extra in [("handler_urban", "sign", {}), ("handler_urban", "contact", {}),
                               ("handler_urban", "reply", {"note": "已处理"}), ("dispatcher", "close", {})]:
        assert world.act(who, number, action, **extra).status_code == 200
    c = signed_in(world, "operator")
    page = c.get(f"/console/orders/{number}").text
    assert 'name="satisfaction"' in page and ">基本满意<" in page and 'name="solved"' in page
    assert "首次联系" in page
    token = page_csrf(c, f"/console/orders/{number}")
    r = c.post(f"/console/orders/{number}/actions", follow_redirects=False,
               data={"csrf_token": token, "action": "visit", "satisfaction": "basically_satisfied", "solved": "true"})
    assert r.status_code == 303
    order = world.get("admin", f"/orders/{number}").json()
    assert (order["satisfied"], order["solved"], order["satisfaction"]) == (True, True, "basically_satisfied")
    assert "基本满意 · 已解决" in c.get(f"/console/orders/{number}").text
