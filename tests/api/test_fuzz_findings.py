"""What the first schemathesis run found (tests/api/test_schemathesis.py), one behaviour each: the server
and its published schema now agree, and every refusal is a 4xx with a Chinese message."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.builders import World

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spec(world: World) -> dict:
    return world.client.get("/openapi.json").json()


def test_a_body_that_is_not_utf8_is_422_in_chinese_not_an_english_400(world: World):
    r = world.client.post("/api/v1/appeals", content=b"\xbd", headers={**world.as_("operator"),
                                                                       "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_input" and "UTF-8" in r.json()["message"]


def test_405_names_every_method_of_the_path(world: World):
    r = world.client.delete("/api/v1/surge", headers=world.as_("admin"))  # GET and POST /surge are two routes
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST" and "不支持" in r.json()["message"]
    r = world.client.patch("/api/v1/knowledge/entries/abc", headers=world.as_("admin"))
    assert r.status_code == 405 and r.headers["allow"] == "GET, PUT"


def test_the_knowledge_export_survives_a_control_character_and_says_its_type(world: World):
    entry = {"question": "公积金\x04怎么提取", "answer": "带身份证\x1f到服务大厅"}
    assert world.post("admin", "/knowledge/entries", entry).status_code == 201
    r = world.get("admin", "/knowledge/export")  # was a 500: openpyxl refuses C0 controls
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert "公积金怎么提取" in [c.value for c in sheet[2]]
    documented = spec(world)["paths"]["/api/v1/knowledge/export"]["get"]["responses"]["200"]["content"]
    assert list(documented) == [XLSX]


def test_the_access_log_export_documents_the_types_it_serves(world: World):
    content = spec(world)["paths"]["/api/v1/share/access-log/export"]["get"]["responses"]["200"]["content"]
    for fmt, media in (("csv", "text/csv"), ("jsonl", "application/x-ndjson")):
        r = world.get("admin", "/share/access-log/export", params={"format": fmt})
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media and media in content


def test_an_instant_in_a_query_is_iso_8601_not_a_unix_time(world: World):
    r = world.get("admin", "/share/access-log", params={"until": "0.5"})  # was read as 1970-01-01
    assert r.status_code == 422 and "ISO 8601" in r.json()["message"] and "截止时间" in r.json()["message"]
    assert world.get("admin", "/share/access-log", params={"until": "2026-11-23T09:30:00+08:00"}).status_code == 200


def test_an_analytics_date_is_yyyy_mm_dd_as_the_schema_says(world: World):
    r = world.get("supervisor", "/analytics/hotspots", params={"from": "20261101", "to": "2026-11-23"})
    assert r.status_code == 422 and "2019-11-05" in r.json()["message"]
    params = {p["name"]: p["schema"] for p in spec(world)["paths"]["/api/v1/analytics/hotspots"]["get"]["parameters"]}
    assert params["from"]["format"] == "date"


def test_public_only_is_true_or_false_not_zero(world: World):
    r = world.post("operator", "/knowledge/search", {"q": "公积金", "public_only": 0})
    assert r.status_code == 422 and "true 或 false" in r.json()["message"]


def test_the_idempotency_key_shape_is_in_the_schema_and_enforced(world: World):
    header = next(p for p in spec(world)["paths"]["/api/v1/appeals"]["post"]["parameters"]
                  if p["name"] == "Idempotency-Key")
    assert header["schema"]["anyOf"][0]["pattern"] == "^[!-~]{1,128}$"
    r = world.client.post("/api/v1/appeals", json={"channel": "phone", "text": "路灯坏了", "region": "148802001"},
                          headers={**world.as_("operator"), "Idempotency-Key": ""})
    assert r.status_code == 422 and "幂等键" in r.json()["message"]


def test_enumerated_parameters_say_their_values(world: World):
    paths = spec(world)["paths"]
    fmt = next(p for p in paths["/open311/v2/services.{fmt}"]["get"]["parameters"] if p["name"] == "fmt")
    assert fmt["schema"]["enum"] == ["json", "xml"]
    kind = next(p for p in paths["/api/v1/analytics/reports/{kind}"]["get"]["parameters"] if p["name"] == "kind")
    assert kind["schema"]["enum"] == ["weekly", "monthly", "quarterly", "street"]
    r = world.get("admin", "/share/access-log", params={"dataset": "nope"})
    assert r.status_code == 422 and "未知数据集" in r.json()["message"]


def test_a_nul_character_anywhere_in_a_request_is_422_and_nothing_is_written(world: World):
    """PostgreSQL cannot store U+0000 in text (the PostgreSQL schemathesis run found a 500 on `?name=%00`)."""
    before = world.get("operator", "/appeals").json()
    sent = [
        world.client.get("/api/v1/push/deliveries", params={"subscriber": "\x00"}, headers=world.as_("admin")),
        world.client.delete("/api/v1/push/subscribers/a%00b", headers=world.as_("admin")),
        world.post("operator", "/appeals", {"channel": "phone", "text": "路灯坏了\x00", "address": "幸福里"}),
        world.client.post("/api/v1/appeals", content=b'{"channel": "phone", "text": "\\\\\\u0000"}',
                          headers={**world.as_("operator"), "content-type": "application/json"}),
    ]
    for r in sent:
        assert r.status_code == 422 and "空字符" in r.json()["message"], r.text
    assert world.get("operator", "/appeals").json() == before


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(world: World):
    r = world.client.post("/api/v1/appeals", headers={**world.as_("operator"), "content-type": "application/json"},
                          content='{"channel": "phone", "text": "路径写成 C:\\\\u0000 了，路灯坏了", "address": "幸福里"}'.encode())
    assert r.status_code == 201, r.text


def test_a_value_the_database_refuses_is_422_not_500():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from sqlalchemy.exc import DataError

    from liandong.api import errors

    app = FastAPI()
    errors.install(app)

    @app.get("/boom")
    def boom():
        raise DataError("INSERT …", {}, Exception("value out of range"))

    r = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert r.status_code == 422 and r.json()["error"] == "invalid_input" and "未作任何修改" in r.json()["message"]
