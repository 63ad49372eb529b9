"""The 质检台 pages through the console (signed in by password, CSRF-checked posts): queue, rankings,
highlighted spans, confirm/override, 重办 — and the refusals, in Chinese."""

import pytest

from liandong.auth import service as auth
from tests.api.test_quality import GOOD_CALL, NON_ANSWER, open_order, reply
from tests.builders import World
from tests.console_kit import CSRF, give_passwords, sign_in


@pytest.fixture
def cw(world: World) -> World:
    with world.ctx.write() as session:
        auth.add_user(session, world.ctx.city, name="inspector", role="inspector", platform="12345", unit=None,
                      region=None, now=world.ctx.clock.now())
    give_passwords(world.ctx, "supervisor", "inspector", "handler_urban")
    return world


def test_supervisor_reads_the_queue_judges_a_finding_and_sends_the_reply_back(cw: World):
    number = open_order(cw)
    reply(cw, number, NON_ANSWER)
    client = cw.client
    assert sign_in(client, "supervisor").status_code == 303
    home = client.get("/console/quality")
    assert home.status_code == 200 and number in home.text and "不合格" in home.text and "承办单位排名" in home.text
    detail = client.get(f"/console/quality/orders/{number}")
    assert "<mark" in detail.text and "已转相关部门核实处理" in detail.text and "退回重办" in detail.text
    token = CSRF.search(detail.text).group(1)
    finding = int(detail.text.split('name="finding" value="')[1].split('"')[0])
    r = client.post("/console/quality/verdict", data={"csrf_token": token, "finding": finding, "verdict": "confirmed",
                                                      "number": number}, follow_redirects=False)
    assert r.status_code == 303
    assert "已确认" in client.get(r.headers["location"]).text
    refused = client.post("/console/quality/verdict", data={"csrf_token": token, "finding": finding,
                                                            "verdict": "overridden", "number": number})
    assert refused.status_code == 422 and "理由" in refused.text
    inspection = int(detail.text.split('name="inspection" value="')[1].split('"')[0])
    r = client.post("/console/quality/reopen", data={"csrf_token": token, "inspection": inspection,
                                                     "reason": "请写明处理结果"}, follow_redirects=False)
    assert r.status_code == 303
    assert cw.get("supervisor", f"/orders/{number}").json()["status"] == "dispatched"
    assert client.post("/console/quality/reopen", data={"csrf_token": token, "inspection": inspection}).status_code == 409
    assert client.post("/console/quality/reopen", data={"inspection": inspection}).status_code == 403  # no CSRF


def test_inspector_sees_the_call_highlighted_but_no_rework_button_and_a_handler_is_refused(cw: World):
    number = open_order(cw)
    rude = [GOOD_CALL[0] | {"text": "喂，请讲。"}, GOOD_CALL[1], GOOD_CALL[2] | {"text": "这个不归我们管。"}]
    cw.post("operator", f"/orders/{number}/call-record", {"transcript": rude})
    client = cw.client
    sign_in(client, "inspector")
    detail = client.get(f"/console/quality/orders/{number}")
    assert detail.status_code == 200, detail.text
    assert "<mark" in detail.text and "不归我们管</mark>" in detail.text, detail.text[detail.text.find("transcript"):][:1500]
    assert "退回重办" not in detail.text
    assert client.get("/console/quality/orders/GD-NOPE").status_code == 404
    client.cookies.clear()
    sign_in(client, "handler_urban")
    refused = client.get("/console/quality")
    assert refused.status_code == 403 and "质检员" in refused.text


def test_inspector_confirms_a_failed_reply_and_the_supervisor_finds_it_under_awaiting_rework(cw: World):
    number = open_order(cw)
    reply(cw, number, NON_ANSWER)
    client = cw.client
    sign_in(client, "inspector")
    detail = client.get(f"/console/quality/orders/{number}")
    assert 'id="reopen-form"' not in detail.text
    assert "退回重办由派单员、督办员、管理员决定" in detail.text
    token = CSRF.search(detail.text).group(1)
    for finding in [int(x.split('"')[0]) for x in detail.text.split('name="finding" value="')[1:]]:
        r = client.post("/console/quality/verdict", data={"csrf_token": token, "finding": finding,
                                                          "verdict": "confirmed", "number": number},
                        follow_redirects=False)
        assert r.status_code == 303
    inspection = cw.get("supervisor", "/quality/awaiting-reopen").json()["items"][0]["id"]
    refused = client.post("/console/quality/reopen", data={"csrf_token": token, "inspection": inspection})
    assert refused.status_code == 403 and "督办员" in refused.text and "质检员" in refused.text
    assert cw.get("supervisor", f"/orders/{number}").json()["status"] == "replied"
    client.cookies.clear()
    sign_in(client, "supervisor")
    home = client.get("/console/quality")
    awaiting = home.text.split('id="awaiting"')[1].split("</table>")[0]
    assert number in awaiting and "inspector" in awaiting
    assert 'id="reopen-form"' in client.get(f"/console/quality/orders/{number}").text
