"""401 without a valid token; 403 where the role, unit or region does not cover the request."""

import pytest

from liandong.auth import service as auth
from tests.builders import DEMO_USERS, World

APPEAL = {"channel": "phone", "text": "占道经营，堵路了", "region": "148802001"}
ENDPOINTS = [("get", "/orders"), ("get", "/orders/GD-1"), ("get", "/orders/GD-1/events"), ("post", "/appeals"),
             ("post", "/orders/GD-1/actions"), ("get", "/schemas/appeal"), ("get", "/me"), ("post", "/route"),
             ("get", "/units")]


@pytest.mark.parametrize("method,path", ENDPOINTS)
@pytest.mark.parametrize("header", [None, "Bearer ld_not-a-real-token", "Basic dXNlcjpwYXNz"])
def test_every_endpoint_needs_a_valid_token(world: World, method, path, header):
    headers = {"Authorization": header} if header else {}
    r = getattr(world.client, method)(f"/api/v1{path}", headers=headers, **({"json": {}} if method == "post" else {}))
    assert r.status_code == 401
    assert "令牌" in r.json()["message"]


def test_revoked_token_is_refused(world: World):
    assert world.get("operator", "/me").status_code == 200  # now in the token cache
    with world.ctx.write() as s:
        auth.revoke_tokens(s, "operator", world.ctx.clock.now())
    world.ctx.token_cache.clear()  # what the revoking process does; other processes follow within the TTL
    assert world.get("operator", "/me").status_code == 401


def test_token_cache_entries_expire():
    cache = auth.TokenCache(ttl=-1)
    cache.put("k", object(), "12345")
    assert cache.get("k") is None


@pytest.mark.parametrize("name,role,platform,unit,region", DEMO_USERS)
def test_who_may_take_appeals(world: World, name, role, platform, unit, region):
    r = world.post(name, "/appeals", APPEAL)
    if role in ("operator", "dispatcher", "police", "admin"):
        assert r.status_code == 201
    else:
        assert r.status_code == 403 and "角色" in r.json()["message"]


def test_each_role_sees_its_own_scope(world: World):
    work = world.post("operator", "/appeals", APPEAL).json()["orders"][0]["id"]
    police = world.post("police", "/appeals", {**APPEAL, "channel": "110", "text": "有人抢劫"}).json()["orders"][0]["id"]
    visible = {name: {i["id"] for i in world.get(name, "/orders").json()["items"]} for name, *_ in DEMO_USERS}
    assert visible["admin"] >= {work, police}
    assert work in visible["operator"] and police not in visible["operator"]
    assert police in visible["police"] and work not in visible["police"]
    assert police in visible["police_east"] and visible["handler_urban"] == {work}
    assert visible["handler_water"] == set() and visible["handler_street"] == set()
    assert visible["dispatcher_west"] == set()  # 东城区 order, 西湖区 dispatcher
    assert world.get("police", f"/orders/{work}").status_code == 403
    assert world.get("operator", f"/orders/{police}").status_code == 403


def test_tokens_are_stored_only_as_digests(world: World):
    from sqlalchemy import select

    from liandong.auth.tables import TokenRow

    with world.ctx.read() as s:
        digests = set(s.scalars(select(TokenRow.digest)))
    assert world.tokens["operator"] not in digests
    assert auth.digest(world.tokens["operator"]) in digests
