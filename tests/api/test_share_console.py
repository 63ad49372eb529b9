"""The console's 数据访问留痕 page: administrators only, filtered, exported; refusals in Chinese."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders import World
from tests.console_kit import give_passwords, sign_in
from tests.share_kit import add_consumer, consumer_get, open_appeal


def test_admins_see_filter_and_export_the_access_log(world: World):
    open_appeal(world)
    key = add_consumer(world, "回访中心", kind="ops_centre", datasets="orders", unmasked="caller_phone", purpose="回访")
    consumer_get(world, key, "/share/datasets/orders")
    consumer_get(world, key, "/share/datasets/orders", unmasked="caller_phone", purpose="满意度回访")
    give_passwords(world.ctx, "admin", "supervisor")
    supervisor = TestClient(world.client.app)
    assert sign_in(supervisor, "supervisor").status_code == 303
    refused = supervisor.get("/console/share/access-log")
    assert refused.status_code == 403 and "管理员" in refused.text
    assert sign_in(world.client, "admin").status_code == 303
    page = world.client.get("/console/share/access-log")
    assert page.status_code == 200 and page.text.count("回访中心") == 2 and "未脱敏：caller_phone" in page.text
    assert "数据访问留痕" in world.client.get("/console/").text
    only = world.client.get("/console/share/access-log", params={"unmasked": "1"})
    assert only.text.count("<td>回访中心</td>") == 1 and "满意度回访" in only.text
    csv = world.client.get("/console/share/access-log/export.csv", params={"consumer": "回访中心"})
    assert csv.status_code == 200 and csv.text.count("回访中心") == 2
    bad = world.client.get("/console/share/access-log", params={"date_from": "yesterday"})
    assert bad.status_code == 422 and "格式错误" in bad.text
    assert world.client.get("/console/share/access-log", params={"dataset": "secrets"}).status_code == 422
    assert world.client.get("/console/share/access-log", params={"consumer": "x" * 65}).status_code == 422
