import io

import pytest
from openpyxl import Workbook, load_workbook

from liandong.auth import service as auth


@pytest.fixture
def kw(world):
    with world.ctx.write() as s:
        auth.add_user(s, world.ctx.city, name="kadmin", role="knowledge_admin", platform="12345", unit=None, region=None,
                      now=world.ctx.clock.now())
        world.tokens["kadmin"] = auth.issue_token(s, "kadmin", world.ctx.clock.now())
    return world


ENTRY = {"question": "营业执照怎么办理", "answer": "可在政务服务中心市场监管窗口或全程电子化平台办理。",
         "phrasings": ["办执照"], "keywords": ["营业执照"], "unit": "SAMR", "visibility": "public"}


def _xlsx(rows, headers=("标准问题", "答复口径", "关键词", "公开范围")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "事项"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_draft_review_publish_and_search(kw):
    r = kw.post("handler_samr", "/knowledge/entries", json=ENTRY)
    assert r.status_code == 201 and r.json()["state"] == "draft" and r.json()["allowed_actions"] == ["edit", "submit"]
    entry_id = r.json()["entry_id"]
    assert kw.post("handler_samr", f"/knowledge/entries/{entry_id}/actions", json={"action": "approve"}).status_code == 409
    assert kw.post("handler_samr", f"/knowledge/entries/{entry_id}/actions", json={"action": "submit"}).status_code == 200
    r = kw.post("handler_samr", f"/knowledge/entries/{entry_id}/actions", json={"action": "approve"})
    assert r.status_code == 403 and "知识库管理员" in r.json()["message"]
    assert kw.post("kadmin", f"/knowledge/entries/{entry_id}/actions", json={"action": "approve"}).json()["served_version"] == 1
    hits = kw.get("operator", "/knowledge/search", params={"q": "我想办个营业执照"}).json()
    assert hits[0]["entry_id"] == entry_id and set(hits[0]) == {"entry_id", "version", "question", "answer", "score"}
    r = kw.client.put(f"/api/v1/knowledge/entries/{entry_id}", headers=kw.as_("handler_samr"),
                      json={**ENTRY, "answer": "新口径", "expected_version": 1})
    assert r.json()["latest_version"] == 2 and r.json()["served_version"] == 1
    assert kw.get("operator", f"/knowledge/entries/{entry_id}/versions/1").json()["answer"] == ENTRY["answer"]
    assert [v["version"] for v in kw.get("operator", f"/knowledge/entries/{entry_id}/versions").json()] == [1, 2]


def test_bad_input_gets_a_clear_chinese_4xx(kw):
    assert kw.get("operator", "/knowledge/search", params={"q": "  "}).json()["message"] == "检索内容不能为空"
    r = kw.post("operator", "/knowledge/search", json={"q": "问" * 10240})
    assert r.status_code == 422 and "不能超过" in r.json()["message"]
    assert kw.get("operator", "/knowledge/search", params={"q": "户口", "region": "999999"}).status_code == 422
    assert kw.get("operator", "/knowledge/search", params={"q": "户口", "limit": "x"}).status_code == 422
    assert kw.get("operator", "/knowledge/entries/nope").status_code == 404
    assert kw.post("kadmin", "/knowledge/entries", json={**ENTRY, "question": ""}).status_code == 422
    assert kw.post("kadmin", "/knowledge/entries", json={**ENTRY, "unit": "NOPE"}).status_code == 404
    assert kw.post("handler_urban", "/knowledge/entries", json=ENTRY).status_code == 403  # another unit's entry
    assert kw.post("operator", "/knowledge/entries", json=ENTRY).status_code == 403
    assert kw.post("kadmin", "/knowledge/entries", json=ENTRY).status_code == 201
    r = kw.post("kadmin", "/knowledge/entries", json={**ENTRY, "question": "营业执照，怎么办理？"})
    assert r.status_code == 409 and "相同的标准问题" in r.json()["message"]
    assert kw.client.get("/api/v1/knowledge/search?q=x").status_code == 401


def test_xlsx_import_is_all_or_nothing_and_export_round_trips(kw):
    headers = {**kw.as_("kadmin"), "Content-Type": "application/octet-stream"}
    bad = _xlsx([("社保卡怎么补办", "带身份证到人社大厅。", "社保卡", "公开"), ("", "没有问题", "", ""),
                 ("社保卡 怎么补办", "重复", "", "内部"), ("低保怎么申请", "到街道申请。", "", "保密")])
    r = kw.client.post("/api/v1/knowledge/import?publish=true", content=bad, headers=headers)
    assert r.status_code == 422
    problems = r.json()["details"]["problems"]
    assert [(p["sheet"], p["row"]) for p in problems] == [("事项", 3), ("事项", 4), ("事项", 5)]
    assert "标准问题不能为空" in problems[0]["reason"] and "重复" in problems[1]["reason"] and "公开范围" in problems[2]["reason"]
    assert kw.get("operator", "/knowledge/search", params={"q": "社保卡怎么补办"}).json() == []
    r = kw.client.post("/api/v1/knowledge/import", content=_xlsx([("a", "b")], headers=("问题", "答案")), headers=headers)
    assert r.status_code == 422 and "缺少必填列" in r.json()["message"]
    assert kw.client.post("/api/v1/knowledge/import", content=b"not a workbook", headers=headers).status_code == 422
    good = _xlsx([("社保卡怎么补办", "带身份证到人社大厅。", "社保卡", "公开"), ("低保怎么申请", "到街道申请。", "低保", "内部")])
    assert kw.client.post("/api/v1/knowledge/import?publish=true", content=good, headers=headers).json() == \
        {"created": 2, "updated": 0}
    assert kw.get("operator", "/knowledge/search", params={"q": "社保卡丢了怎么补"}).json()[0]["question"] == "社保卡怎么补办"
    assert kw.get("operator", "/knowledge/search", params={"q": "低保怎么申请", "public_only": "true"}).json() == []
    r = kw.get("kadmin", "/knowledge/export")
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["低保怎么申请", "社保卡怎么补办"]
    assert kw.get("operator", "/knowledge/export").status_code == 403


def test_a_workbook_larger_than_the_default_body_limit_is_imported_and_one_over_20_mb_refused_in_chinese(kw):
    """The import route takes workbooks up to 20 MB (the API's 256 KB body limit is for JSON)."""
    import random

    rng = random.Random(12)
    notes = ["".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(12000)) for _ in range(20)]
    rows = [(f"第{i}号事项怎么办理", "到政务服务中心综合窗口办理。", "", "公开", notes[i]) for i in range(20)]
    data = _xlsx(rows, headers=("标准问题", "答复口径", "关键词", "公开范围", "备注"))
    assert len(data) > 256 * 1024
    headers = {**kw.as_("kadmin"), "Content-Type": "application/octet-stream"}
    r = kw.client.post("/api/v1/knowledge/import?publish=true", content=data, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"created": 20, "updated": 0}
    r = kw.client.post("/api/v1/knowledge/import", content=b"x" * (20 * 1024 * 1024 + 1), headers=headers)
    assert r.status_code == 413
    assert r.json()["message"] == "文件不能超过 20 MB"
    assert kw.get("operator", "/knowledge/search", params={"q": "第7号事项怎么办理"}).json()[0]["question"] == "第7号事项怎么办理"
