"""质检 through the API: call records inspected on arrival, replies inspected as they are given, the sampling
queue, verdicts and precision per rule, 重办 of a failed reply, roll-ups — and every bad input refused in Chinese."""

import pytest

from liandong.auth import service as auth
from tests.builders import World

APPEAL = {"channel": "phone", "text": "我们小区门口有人占道摆摊卖菜，堵得车进不来", "address": "东城区东门街道幸福里小区",
          "region": "148802001002", "caller": {"name": "李秀英", "phone": "13812345678"}}
GOOD_CALL = [
    {"speaker": "operator", "start": 0.5, "end": 3.0, "text": "您好，3027号话务员为您服务。"},
    {"speaker": "caller", "start": 3.5, "end": 9.0, "text": "东城区东门街道幸福里小区门口有人占道摆摊卖菜，堵得车进不来。"},
    {"speaker": "operator", "start": 9.5, "end": 12.0, "text": "非常抱歉给您带来不便。"},
    {"speaker": "operator", "start": 12.5, "end": 16.0, "text": "您说的地址是东城区东门街道幸福里小区，对吗？"},
    {"speaker": "caller", "start": 16.5, "end": 17.5, "text": "对的。"},
    {"speaker": "operator", "start": 18.0, "end": 21.0, "text": "您的联系电话是13812345678，对吗？"},
    {"speaker": "caller", "start": 21.5, "end": 22.5, "text": "是的。"},
    {"speaker": "operator", "start": 23.0, "end": 25.0, "text": "请问还有什么可以帮您？"},
    {"speaker": "caller", "start": 25.5, "end": 26.5, "text": "没有了。"},
    {"speaker": "operator", "start": 27.0, "end": 29.0, "text": "感谢您的来电，再见。"},
]
GOOD_REPLY = ("您好！您反映的幸福里小区门口占道摆摊问题已收悉。经现场核实，确有摊贩占道经营。依据《明川市市容和环境卫生管理条例》，"
              "我局已劝离摊贩并责令整改，目前道路已恢复通行。如有疑问请致电0000-12345678。感谢您对我们工作的支持！")
NON_ANSWER = "您好！您反映的问题已转相关部门核实处理，有关情况将及时反馈。"


@pytest.fixture
def qw(world: World) -> World:
    with world.ctx.write() as session:
        auth.add_user(session, world.ctx.city, name="inspector", role="inspector", platform="12345", unit=None,
                      region=None, now=world.ctx.clock.now())
        world.tokens["inspector"] = auth.issue_token(session, "inspector", world.ctx.clock.now())
        auth.add_user(session, world.ctx.city, name="inspector_west", role="inspector", platform="12345", unit=None,
                      region="148803", now=world.ctx.clock.now())
        world.tokens["inspector_west"] = auth.issue_token(session, "inspector_west", world.ctx.clock.now())
    return world


def open_order(w: World) -> str:
    r = w.post("operator", "/appeals", APPEAL)
    assert r.status_code == 201, r.text
    return r.json()["orders"][0]["id"]


def reply(w: World, number: str, note: str) -> None:
    assert w.act("handler_urban", number, "sign").status_code == 200
    r = w.act("handler_urban", number, "reply", note=note)
    assert r.status_code == 200 and r.json()["status"] == "replied", r.text


def test_a_good_call_passes_and_a_bad_one_fails_with_the_words_cited(qw: World):
    good, bad = open_order(qw), open_order(qw)
    r = qw.post("operator", f"/orders/{good}/call-record", {"transcript": GOOD_CALL, "hangup_by": "caller"})
    assert r.status_code == 201, r.text
    assert r.json()["outcome"] == "pass", r.text
    found = [f["rule"] for f in qw.get("inspector", f"/quality/orders/{good}").json()["inspections"][0]["findings"]]
    assert set(found) <= {"call.consistency_category"}, found
    rude = [GOOD_CALL[0] | {"text": "喂，请讲。"}, GOOD_CALL[1], GOOD_CALL[2] | {"text": "这个不归我们管。"}]
    r = qw.post("operator", f"/orders/{bad}/call-record", {"transcript": rude, "hangup_by": "operator"})
    assert r.status_code == 201 and r.json()["outcome"] == "fail" and r.json()["sampled"] is True
    view = qw.get("inspector", f"/quality/orders/{bad}").json()
    (inspection,) = view["inspections"]
    rules = {f["rule"]: f for f in inspection["findings"]}
    assert {"call.opening", "call.forbidden", "call.hangup_first", "call.closing"} <= set(rules)
    span = rules["call.forbidden"]["spans"][0]
    assert span["turn"] == 2 and view["call"]["transcript"][2]["text"][span["start"]:span["end"]] == "不归我们管"
    assert qw.post("operator", f"/orders/{bad}/call-record", {"notes": "再次登记"}).status_code == 409


def test_the_citizens_number_is_masked_in_the_findings_view(qw: World):
    number = open_order(qw)
    qw.post("operator", f"/orders/{number}/call-record", {"transcript": GOOD_CALL})
    text = qw.get("inspector", f"/quality/orders/{number}").json()["call"]["transcript"][5]["text"]
    assert "13812345678" not in text and "138****5678" in text


@pytest.mark.parametrize("transcript, message", [
    ([{"speaker": "robot", "start": 0, "end": 1, "text": "您好"}], "说话人「robot」未知"),
    ([{"speaker": "operator", "start": -2, "end": 1, "text": "您好"}], "不能为负数"),
    ([{"speaker": "operator", "start": 0, "end": 5, "text": "您好"},
      {"speaker": "operator", "start": 3, "end": 6, "text": "请讲"}], "时间重叠"),
    ([{"speaker": "operator", "start": 4, "end": 1, "text": "您好"}], "早于开始时间"),
])
def test_bad_transcripts_are_refused_and_nothing_is_stored(qw: World, transcript, message):
    number = open_order(qw)
    r = qw.post("operator", f"/orders/{number}/call-record", {"transcript": transcript})
    assert r.status_code == 422 and message in r.json()["message"], r.text
    assert qw.get("inspector", f"/quality/orders/{number}").json()["call"] is None


@pytest.mark.parametrize("body", [{}, {"notes": "x" * 5000}, {"transcript": "您好"}, {"notes": 3},
                                  {"hangup_by": "nobody", "notes": "记录"}, {"notes": "记录", "extra": 1}])
def test_empty_too_long_and_wrongly_typed_call_records_are_422(qw: World, body):
    number = open_order(qw)
    r = qw.post("operator", f"/orders/{number}/call-record", body)
    assert r.status_code == 422, r.text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["message"])


def test_unknown_order_and_out_of_scope_and_wrong_role(qw: World):
    number = open_order(qw)
    assert qw.post("operator", "/orders/GD-NOPE/call-record", {"notes": "记录"}).status_code == 404
    assert qw.post("handler_water", f"/orders/{number}/call-record", {"notes": "记录"}).status_code == 403
    qw.post("operator", f"/orders/{number}/call-record", {"transcript": GOOD_CALL})
    assert qw.get("inspector_west", f"/quality/orders/{number}").status_code == 403
    assert qw.get("handler_urban", "/quality/queue").status_code == 403
    assert qw.get("inspector", "/quality/queue").status_code == 200
    assert qw.post("inspector", "/quality/findings/99999/verdict", {"verdict": "confirmed"}).status_code == 404
    assert qw.post("inspector", "/quality/findings/99999999999/verdict", {"verdict": "confirmed"}).status_code == 422
    assert qw.post("inspector", "/quality/inspections/0/reopen", {}).status_code == 422


def test_a_non_answer_reply_fails_is_queued_judged_and_sent_back_for_rework(qw: World):
    number = open_order(qw)
    reply(qw, number, NON_ANSWER)
    queue = qw.get("inspector", "/quality/queue", params={"record": "reply"}).json()
    item = next(i for i in queue["items"] if i["order"] == number)
    assert item["outcome"] == "fail" and item["unit"] == "URBAN" and item["open_findings"] >= 1
    view = qw.get("supervisor", f"/quality/orders/{number}").json()
    findings = {f["rule"]: f for f in view["inspections"][0]["findings"]}
    assert "已转相关部门核实处理" in " ".join(s["quote"] for s in findings["reply.non_answer"]["spans"])
    assert qw.post("inspector", f"/quality/findings/{findings['reply.non_answer']['id']}/verdict",
                   {"verdict": "confirmed"}).status_code == 200
    r = qw.post("inspector", f"/quality/findings/{findings['reply.politeness']['id'] if 'reply.politeness' in findings else findings['reply.completeness']['id']}/verdict",
                {"verdict": "overridden"})
    assert r.status_code == 422 and "理由" in r.json()["message"]
    # an inspector may not send it back: 重办 is the supervisor's row of the lifecycle
    assert qw.post("inspector", f"/quality/inspections/{item['id']}/reopen", {}).status_code == 403
    r = qw.post("supervisor", f"/quality/inspections/{item['id']}/reopen", {"reason": "请写明处理结果"})
    assert r.status_code == 200 and r.json()["status"] == "dispatched", r.text
    trail = qw.get("supervisor", f"/orders/{number}/events").json()
    assert trail[-1]["action"] == "reopen" and "以转代答" in trail[-1]["note"]
    assert qw.post("supervisor", f"/quality/inspections/{item['id']}/reopen", {}).status_code == 409
    # the unit replies again: the new reply is inspected, the old inspection is history
    assert qw.act("handler_urban", number, "sign").status_code == 200
    assert qw.act("handler_urban", number, "reply", note=GOOD_REPLY).status_code == 200
    view = qw.get("supervisor", f"/quality/orders/{number}").json()
    assert view["history"] == 1 and view["inspections"][0]["outcome"] == "pass"


def test_an_inspectors_confirmation_reaches_the_supervisor_who_alone_sends_the_reply_back(qw: World):
    """重办 is the lifecycle's REPLIED → DISPATCHED row (派单员, 值班长, 管理员): a 质检员 confirms, the record
    leaves their queue and waits under 待重办 until a supervisor decides; the same table answers API and page."""
    upheld, overruled = open_order(qw), open_order(qw)
    reply(qw, upheld, NON_ANSWER)
    reply(qw, overruled, NON_ANSWER)
    for number, verdict in ((upheld, {"verdict": "confirmed"}), (overruled, {"verdict": "overridden", "note": "已电话答复"})):
        for f in qw.get("inspector", f"/quality/orders/{number}").json()["inspections"][0]["findings"]:
            assert qw.post("inspector", f"/quality/findings/{f['id']}/verdict", verdict).status_code == 200
    assert all(i["order"] not in (upheld, overruled) for i in qw.get("inspector", "/quality/queue").json()["items"])
    waiting = qw.get("supervisor", "/quality/awaiting-reopen").json()
    assert [i["order"] for i in waiting["items"]] == [upheld] and waiting["total"] == 1
    assert waiting["items"][0]["reviewed_by"] == "inspector" and waiting["items"][0]["outcome"] == "fail"
    assert qw.get("handler_urban", "/quality/awaiting-reopen").status_code == 403
    seen_by_inspector = qw.get("inspector", f"/quality/orders/{upheld}").json()
    assert seen_by_inspector["inspections"][0]["may_reopen"] is False
    assert seen_by_inspector["reopen_by"] == "派单员、督办员、管理员"
    assert qw.get("supervisor", f"/quality/orders/{upheld}").json()["inspections"][0]["may_reopen"] is True
    inspection = waiting["items"][0]["id"]
    refused = qw.post("inspector", f"/quality/inspections/{inspection}/reopen", {"reason": "质检员想退回"})
    assert refused.status_code == 403 and "督办员" in refused.json()["message"] and "质检员" in refused.json()["message"]
    assert qw.get("supervisor", f"/orders/{upheld}").json()["status"] == "replied"  # nothing half-written
    assert qw.post("supervisor", f"/quality/inspections/{inspection}/reopen", {}).status_code == 200
    last = qw.get("supervisor", f"/orders/{upheld}/events").json()[-1]
    assert (last["action"], last["actor"], last["role"], last["from_status"], last["to_status"]) == \
        ("reopen", "supervisor", "supervisor", "replied", "dispatched")
    assert qw.get("supervisor", "/quality/awaiting-reopen").json()["total"] == 0
    after = qw.get("supervisor", f"/quality/orders/{upheld}").json()
    assert after["reopen_by"] == "" and after["inspections"][0]["may_reopen"] is False  # dispatched: no 重办 row


def test_a_passing_reply_cannot_be_sent_back_and_verdicts_measure_precision(qw: World):
    good, bad = open_order(qw), open_order(qw)
    reply(qw, good, GOOD_REPLY)
    reply(qw, bad, NON_ANSWER)
    good_id = next(i["id"] for i in qw.get("supervisor", f"/quality/orders/{good}").json()["inspections"])
    r = qw.post("supervisor", f"/quality/inspections/{good_id}/reopen", {})
    assert r.status_code == 409 and "不合格" in r.json()["message"]
    findings = qw.get("supervisor", f"/quality/orders/{bad}").json()["inspections"][0]["findings"]
    first, *rest = findings
    qw.post("inspector", f"/quality/findings/{first['id']}/verdict", {"verdict": "confirmed"})
    for f in rest:
        qw.post("inspector", f"/quality/findings/{f['id']}/verdict", {"verdict": "overridden", "note": "不同意"})
    table = {row["rule"]: row for row in qw.get("inspector", "/quality/precision").json()}
    assert table[first["rule"]]["precision"] == 1.0
    if rest:
        assert table[rest[0]["rule"]]["precision"] == 0.0
    bad_item = next(i for i in qw.get("inspector", "/quality/queue").json()["items"] if i["order"] == bad) \
        if any(i["order"] == bad for i in qw.get("inspector", "/quality/queue").json()["items"]) else None
    assert bad_item is None  # every finding judged: it has left the queue


def test_rollups_per_unit_and_operator_are_computed_in_the_database(qw: World):
    a, b = open_order(qw), open_order(qw)
    reply(qw, a, GOOD_REPLY)
    reply(qw, b, NON_ANSWER)
    qw.post("operator", f"/orders/{a}/call-record", {"transcript": GOOD_CALL})
    units = qw.get("supervisor", "/quality/rollup", params={"by": "unit", "record": "reply"}).json()
    assert units == [{"key": "URBAN", "count": 2, "mean_score": units[0]["mean_score"], "fails": 1, "reviews": 0,
                      "fail_rate": 0.5, "reopened": 0}]
    operators = qw.get("supervisor", "/quality/rollup", params={"by": "operator", "record": "call"}).json()
    assert operators[0]["key"] == "operator" and operators[0]["count"] == 1
    assert qw.get("supervisor", "/quality/rollup", params={"by": "weather"}).status_code == 422
    assert qw.get("supervisor", "/quality/rollup", params={"by": "day", "since": "2026/11/01"}).status_code == 422


def test_batch_import_is_all_or_nothing(qw: World):
    a, b = open_order(qw), open_order(qw)
    bad = {"items": [{"order": a, "transcript": GOOD_CALL},
                     {"order": b, "transcript": [{"speaker": "caller", "start": 5, "end": 2, "text": "喂"}]}]}
    r = qw.post("inspector", "/quality/calls/import", bad)
    assert r.status_code == 422 and "第 2 条" in r.json()["message"]
    r = qw.post("inspector", "/quality/calls/import", {"items": [{"order": a, "notes": "记录"}, {"order": "GD-X", "notes": "记录"}]})
    assert r.status_code == 404 and "第 2 条" in r.json()["message"]
    assert qw.get("inspector", f"/quality/orders/{a}").json()["call"] is None
    r = qw.post("inspector", "/quality/calls/import", {"items": [{"order": a, "transcript": GOOD_CALL},
                                                                  {"order": b, "notes": "来电反映占道摆摊"}]})
    assert r.status_code == 201 and r.json()["count"] == 2
    assert qw.post("inspector", "/quality/calls/import", {"items": []}).status_code == 422


def test_the_same_reply_to_a_different_matter_is_flagged_but_not_to_a_repeat_of_the_same(qw: World):
    first = open_order(qw)
    repeat = open_order(qw)  # the same appeal again: sharing its reply is right
    other = qw.post("operator", "/appeals", {**APPEAL, "text": "咨询一下灵活就业人员怎么缴纳医疗保险",
                                             "address": "东城区人社服务中心"}).json()["orders"][0]["id"]
    for number in (first, repeat):
        reply(qw, number, GOOD_REPLY)
    assert qw.act("dispatcher", other, "dispatch", unit="URBAN").status_code in (200, 409)
    reply(qw, other, GOOD_REPLY.replace("0000-12345678", "0000-99998888"))
    rules = {n: {f["rule"] for f in qw.get("supervisor", f"/quality/orders/{n}").json()["inspections"][0]["findings"]}
             for n in (repeat, other)}
    assert "reply.copy_paste" not in rules[repeat] and "reply.copy_paste" in rules[other]


def test_a_sampled_record_with_nothing_to_judge_is_marked_read_and_leaves_the_queue(qw: World):
    number = open_order(qw)
    rude = [GOOD_CALL[0] | {"text": "喂，请讲。"}, *GOOD_CALL[1:]]
    r = qw.post("operator", f"/orders/{number}/call-record", {"transcript": rude})
    inspection = r.json()["inspection"]
    assert r.json()["sampled"] is True  # a fail is always sampled
    assert qw.post("handler_urban", f"/quality/inspections/{inspection}/reviewed").status_code == 403
    r = qw.post("inspector", f"/quality/inspections/{inspection}/reviewed")
    assert r.status_code == 200 and r.json()["reviewed_by"] == "inspector"
    assert all(i["order"] != number for i in qw.get("inspector", "/quality/queue").json()["items"])
    assert qw.post("inspector", "/quality/inspections/424242/reviewed").status_code == 404
