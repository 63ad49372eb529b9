"""Fakes for Open311 tests: a consumer registry of two clients that records every read, and a router that
answers with real categories of the demo city's lists (Open311 publishes only those)."""

from __future__ import annotations

from dataclasses import dataclass, field

from liandong.core.errors import Unauthenticated
from liandong.open311.keys import Open311Client
from liandong.routing.decision import RoutingDecision

KEYS = {"key-civic": Open311Client("civic-app"), "key-east": Open311Client("east-app", region="148802")}


@dataclass
class FakeKeys:
    reads: list[dict] = field(default_factory=list)

    def authenticate(self, api_key, *, now):
        try:
            return KEYS[api_key]
        except KeyError:
            raise Unauthenticated("api_key 无效或已吊销") from None

    def record(self, client, *, method, filters, rows, now, source):
        self.reads.append({"client": client.name, "method": method, "filters": filters, "rows": rows})


_SCRIPT = {  # word → (code, name, group, services, function); first match wins
    "抢劫": ("JC-A21", "违法犯罪或其他报警事项", "突发事件类", ("110",), "public_security"),
    "路灯": ("JC-B34", "路灯故障", "公共设施类", ("12345",), "urban_management"),
    "井盖": ("JC-B33", "窨井盖缺少或破损", "公共设施类", ("12345",), "urban_management"),
}


class ListRouter:
    def route(self, text, channel="12345", region=None):
        code, name, group, services, function = next((v for k, v in _SCRIPT.items() if k in text), _SCRIPT["路灯"])
        return RoutingDecision(services=services, category_code=code, category_name=name, category_group=group,
                               category_list="110→12345", kind="求助", unit_function=function, level="一般",
                               confidence=0.95, reasons=["测试：按清单脚本分流"])

    def route_many(self, items):
        return [self.route(i["text"]) for i in items]


def module_db(template_db, tmp_path_factory):
    """A migrated database shared by one test module (the copy `db_url` makes per test, made once)."""
    import shutil
    import uuid

    from sqlalchemy import create_engine, text

    from tests.conftest import PG_URL, USE_PG

    if not USE_PG:
        path = tmp_path_factory.mktemp("mod") / "liandong.db"
        shutil.copy(template_db, path)
        yield f"sqlite:///{path}"
        return
    name = f"ld_m_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"'))
    yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
