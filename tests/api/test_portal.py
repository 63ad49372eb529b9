"""The citizen portal through its pages (TestClient): report, emergencies, uploads, follow, rate, publish."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from liandong.api.app import create_app
from liandong.appeals.tables import AppealRow
from liandong.demo.knowledge import load_demo_knowledge
from liandong.orders.tables import OrderEventRow, OrderRow
from liandong.portal.adapters import PhotoStore
from liandong.portal.tables import PhotoRow
from tests.builders import make_world
from tests.fakes import ScriptedRouter
from tests.portal_kit import csrf, jpeg_with_gps, report, use_memory_sms, verify_phone

PHONE, OTHER = "13800138000", "13900139000"


@pytest.fixture
def world(db_url, clock, tmp_path):
    w = make_world(db_url, clock, router=ScriptedRouter())
    w.sms = use_memory_sms(w.ctx)
    w.ctx.portal.photos = w.ctx.public_cases.photos = PhotoStore(tmp_path / "photos")
    w.photos_dir = tmp_path / "photos"
    yield w
    w.ctx.close()


def citizen(world, phone=PHONE) -> TestClient:
    client = TestClient(create_app(world.ctx), raise_server_exceptions=False)
    verify_phone(client, world.sms, phone)
    return client


def number_in(html: str) -> str:
    return html.split('id="order-number">', 1)[1].split("<", 1)[0]


def counts(world):
    with world.ctx.read() as s:
        return (s.scalar(select(func.count()).select_from(AppealRow)), s.scalar(select(func.count()).select_from(PhotoRow)),
                sum(1 for p in world.photos_dir.rglob("*") if p.is_file()) if world.photos_dir.exists() else 0)


def test_a_report_with_a_photo_goes_through_intake_and_shows_number_and_reply_date(world):
    client = citizen(world)
    r = report(client, photos=[("light.jpg", jpeg_with_gps(), "image/jpeg")], name="张三")
    assert r.status_code == 200, r.text[:800]
    number = number_in(r.text)
    assert "3 个工作日" in r.text and "2026年11月26日" in r.text  # Mon 10:00 + 3 working days
    with world.ctx.read() as s:
        order = s.scalar(select(OrderRow).where(OrderRow.number == number))
        appeal = s.get(AppealRow, order.appeal_id)
        photo = s.scalar(select(PhotoRow))
    assert appeal.channel == "web" and appeal.caller_phone == PHONE and appeal.caller_name == "张三"
    assert appeal.attachments[0]["sha256"] == photo.sha256 and order.unit  # routed and dispatched as usual
    stored = world.photos_dir / photo.sha256[:2] / f"{photo.sha256}.jpg"
    kept = Image.open(io.BytesIO(stored.read_bytes()))
    assert not dict(kept.getexif()) and not dict(kept.getexif().get_ifd(0x8825))  # GPS gone from the stored file
    assert __import__("hashlib").sha256(stored.read_bytes()).hexdigest() == photo.sha256


@pytest.mark.parametrize("files, message", [
    ([("big.jpg", b"\xff\xd8" + b"0" * (20 * 1024 * 1024), "image/jpeg")], "上传内容过大"),
    ([("notes.jpg", b"%PDF-1.7\n" + b"x" * 5000, "image/jpeg")], "不是有效的图片文件"),
    ([(f"p{i}.jpg", jpeg_with_gps(colour=c), "image/jpeg") for i, c in enumerate(("red", "blue", "green", "gray"))],
     "最多上传 3 张照片"),
])
def test_bad_uploads_are_refused_clearly_and_nothing_is_stored(world, files, message):
    client = citizen(world)
    before = counts(world)
    r = report(client, photos=files)
    assert r.status_code in (413, 422) and message in r.text
    assert counts(world) == before == (0, 0, 0)


def test_a_valid_photo_beside_a_bad_one_is_not_stored_either(world):
    client = citizen(world)
    r = report(client, photos=[("ok.jpg", jpeg_with_gps(), "image/jpeg"), ("bad.png", b"not a png", "image/png")])
    assert r.status_code == 422 and "bad.png" in r.text and "照片未保存" in r.text
    assert counts(world) == (0, 0, 0)


def test_an_emergency_is_told_to_call_110_and_reaches_the_110_desk_at_once(world):
    client = citizen(world)
    r = report(client, text="有人在店里持刀抢劫，快来人")
    assert r.status_code == 200 and "请立即拨打电话" in r.text and 'href="tel:110"' in r.text
    with world.ctx.read() as s:
        police = s.scalars(select(OrderRow).where(OrderRow.platform == "110")).all()
    assert len(police) == 1  # the desk sees it as any emergency (transferred, not queued)
    assert world.get("police", "/orders?platform=110").json()["total"] >= 1


def test_the_form_refuses_what_it_must(world):
    client = citizen(world)
    assert "请阅读并勾选" in report(client, consent="").text
    assert "至少 5 个字" in report(client, text="灯").text
    assert "未通过校验" in report(client, homepage="http://spam.example").text
    r = client.post("/portal/report", data={"csrf": "forged", "text": "小区门口的路灯坏了很久", "consent": "1"})
    assert r.status_code == 422 and "页面已过期" in r.text
    anonymous = TestClient(create_app(world.ctx))
    assert anonymous.get("/portal/report", follow_redirects=False).status_code == 303
    assert counts(world)[0] == 0


def test_bursts_meet_the_challenge_and_the_phone_limit(world):
    client = citizen(world)
    for i in range(3):
        assert report(client, text=f"第{i}处路灯不亮，请尽快维修").status_code == 200
    page = client.get("/portal/report").text
    assert "请计算" in page  # the fourth report from this address is challenged
    assert "验证问题" in report(client, text="又一处路灯不亮，请尽快维修").text
    token = page.split('name="challenge_token" value="', 1)[1].split('"', 1)[0]
    question = page.split("请计算：", 1)[1].split("等于", 1)[0]
    digits = "零一二三四五六七八九"
    answer = str(sum(digits.index(ch) for ch in question.split("加")))
    ok = report(client, text="又一处路灯不亮，请尽快维修", challenge_token=token, challenge_answer=answer)
    assert ok.status_code == 200, ok.text[:500]
    report(client, text="第六处路灯不亮，请尽快维修", challenge_token=token, challenge_answer=answer)
    refused = report(client, text="第七处路灯不亮，请尽快维修", challenge_token=token, challenge_answer=answer)
    assert refused.status_code == 422 and "提交诉求已达上限" in refused.text


def test_follow_reply_rate_and_reopen(world):
    client = citizen(world)
    number = number_in(report(client).text)
    page = client.get(f"/portal/case/{number}").text
    assert "已受理" in page and "城市管理" in page or "办理" in page
    token = csrf(client, f"/portal/case/{number}")
    assert client.post(f"/portal/case/{number}/note", data={"csrf": token, "text": "灯杆上有编号 A-17"}).status_code == 200
    world.act("handler_urban", number, "sign")
    world.act("handler_urban", number, "reply", note="已更换灯泡，路灯恢复照明")
    page = client.get(f"/portal/case/{number}").text
    assert "已答复" in page and "已更换灯泡" in page and "灯杆上有编号 A-17" in page
    r = client.post(f"/portal/case/{number}/rate", data={"csrf": token, "solved": "0", "satisfaction": "不满意",
                                                        "comment": "第二天又不亮了"})
    assert r.status_code == 200 and "重新办理" in r.text
    with world.ctx.read() as s:
        order = s.scalar(select(OrderRow).where(OrderRow.number == number))
        actions = [(e.action, e.role) for e in s.scalars(select(OrderEventRow).where(OrderEventRow.order_id == order.id)
                                                         .order_by(OrderEventRow.seq))]
    assert order.status == "dispatched" and order.unit == "URBAN"  # 重办: back to the same unit
    assert ("citizen_note", "system") in actions and ("visit", "citizen") in actions and actions[-1] == ("reopen", "system")
    world.act("handler_urban", number, "sign")
    world.act("handler_urban", number, "reply", note="已更换整套灯具")
    r = client.post(f"/portal/case/{number}/rate", data={"csrf": token, "solved": "1", "satisfaction": "基本满意"})
    assert "感谢您的评价" in r.text and "满意度：基本满意" in r.text
    with world.ctx.read() as s:
        order = s.scalar(select(OrderRow).where(OrderRow.number == number))
    assert (order.status, order.solved, order.satisfaction, order.satisfied) == ("visited", True, "basically_satisfied", True)
    assert "暂不能评价" in client.post(f"/portal/case/{number}/rate", data={
        "csrf": token, "solved": "1", "satisfaction": "满意"}).text


def test_a_rating_is_refused_before_the_reply_and_without_its_answers(world):
    client = citizen(world)
    number = number_in(report(client).text)
    token = csrf(client, f"/portal/case/{number}")
    assert "尚未答复" in client.post(f"/portal/case/{number}/rate", data={"csrf": token, "solved": "1",
                                                                        "satisfaction": "满意"}).text
    assert "请选择满意度" in client.post(f"/portal/case/{number}/rate", data={"csrf": token, "solved": "1",
                                                                          "satisfaction": "很好"}).text


def test_a_consultation_is_answered_from_the_public_knowledge_base_or_becomes_an_appeal(world):
    load_demo_knowledge(world.ctx)
    client = citizen(world)
    token = csrf(client, "/portal/ask")
    answered = client.post("/portal/ask", data={"csrf": token, "text": "办社保卡要带什么材料"}).text
    assert 'id="kb-answer"' in answered and "身份证原件" in answered and "仍要提交为诉求" in answered
    unknown = client.post("/portal/ask", data={"csrf": token, "text": "孩子上学怎么报名"}).text
    assert 'id="kb-none"' in unknown and "/portal/report?text=" in unknown
    form = client.get("/portal/report", params={"text": "孩子上学怎么报名"}).text
    assert "孩子上学怎么报名</textarea>" in form
    assert "请输入您要咨询的问题" in client.post("/portal/ask", data={"csrf": token, "text": ""}).text


def test_another_phone_sees_the_same_answer_as_for_an_unknown_number(world):
    mine = citizen(world)
    number = number_in(report(mine).text)
    other = citizen(world, OTHER)
    theirs = other.get(f"/portal/case/{number}")
    unknown = other.get("/portal/case/GD-NO-SUCH-1")
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.text.replace(number, "X") == unknown.text.replace("GD-NO-SUCH-1", "X")
    token = csrf(other, "/portal/follow")
    assert other.post(f"/portal/case/{number}/withdraw", data={"csrf": token, "reason": "不想办了"}).status_code == 404
    with world.ctx.read() as s:
        assert s.scalar(select(OrderRow.status).where(OrderRow.number == number)) != "cancelled"


def test_the_owner_withdraws_with_a_reason(world):
    client = citizen(world)
    number = number_in(report(client).text)
    token = csrf(client, f"/portal/case/{number}")
    assert "撤诉原因" in client.post(f"/portal/case/{number}/withdraw", data={"csrf": token, "reason": ""}).text
    r = client.post(f"/portal/case/{number}/withdraw", data={"csrf": token, "reason": "路灯已自行恢复"})
    assert "已撤诉" in r.text and "已撤销" in r.text


def test_guessing_numbers_is_rate_limited(world):
    client = citizen(world)
    codes = [client.get(f"/portal/case/GD-GUESS-{i}").status_code for i in range(31)]
    assert codes[:30] == [404] * 30 and codes[30] == 422


def test_a_published_case_shows_no_personal_data_and_only_approved_photos(world):
    client = citizen(world)
    text = "我叫张三，电话13800138000，幸福里小区3号楼门口路灯不亮"
    number = number_in(report(client, text=text, name="张三", photos=[("a.jpg", jpeg_with_gps(), "image/jpeg")]).text)
    world.act("handler_urban", number, "sign")
    world.act("handler_urban", number, "reply", note="已修复，联系电话13800138000的张三先生已确认")
    assert world.post("handler_water", "/portal/publications", {"order_number": number}).status_code == 403
    assert world.post("handler_urban", "/portal/publications", {"order_number": ""}).status_code == 422
    assert world.post("handler_urban", "/portal/publications", {"order_number": "GD-NONE"}).status_code == 404
    r = world.post("handler_urban", "/portal/publications", {"order_number": number, "with_photos": True})
    assert r.status_code == 201, r.text
    case_id = r.json()["id"]
    anonymous = TestClient(create_app(world.ctx))
    listing = anonymous.get("/portal/public", params={"category": "占道"}).text
    page = anonymous.get(f"/portal/public/{case_id}").text
    for gone in ("张三", "13800138000", "幸福里", "3号楼", PHONE[-4:]):
        assert gone not in page and gone not in listing
    assert "路灯不亮" in page and "已修复" in page
    sha = r.json() and page.split("/photo/", 1)[1].split('"', 1)[0]
    assert anonymous.get(f"/portal/public/{case_id}/photo/{sha}").headers["content-type"] == "image/jpeg"
    assert anonymous.get(f"/portal/public/{case_id}/photo/{'0' * 64}").status_code == 404
    assert "共 0 件" in anonymous.get("/portal/public", params={"street": "148803001"}).text


def test_the_publication_endpoint_refuses_bad_input_in_chinese_and_stores_nothing(world):
    client = citizen(world)
    number = number_in(report(client).text)
    cases = [
        ("handler_urban", {}, 422), ("handler_urban", {"order_number": 5}, 422),
        ("handler_urban", {"order_number": "G" * 41}, 422), ("handler_urban", {"order_number": number, "x": 1}, 422),
        ("handler_urban", {"order_number": number}, 409),  # not replied yet
        ("operator", {"order_number": number}, 403),
    ]
    for who, body, code in cases:
        r = world.post(who, "/portal/publications", body)
        assert r.status_code == code, (body, r.text)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["message"])
    assert world.client.post("/api/v1/portal/publications", json={"order_number": number}).status_code == 401
    assert "共 0 件" in TestClient(create_app(world.ctx)).get("/portal/public").text
    anonymous = TestClient(create_app(world.ctx))
    assert anonymous.get("/portal/public", params={"page": 0}).status_code == 422
    wrong = anonymous.get("/portal/public", params={"page": "abc"})
    assert wrong.status_code == 422 and "参数有误" in wrong.text and wrong.headers["content-type"].startswith("text/html")


def test_a_nul_character_in_a_multipart_field_is_refused_and_nothing_is_stored(world):
    client = citizen(world)
    r = report(client, text="路灯坏了\x00", photos=[("light.jpg", jpeg_with_gps(), "image/jpeg")])
    assert r.status_code == 422 and "空字符" in r.text
    assert counts(world) == (0, 0, 0)
