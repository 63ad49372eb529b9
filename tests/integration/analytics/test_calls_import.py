"""`liandong calls import` (话务数据导入): bad rows named by line and reason, nothing half-imported; the
imported calls give 人工接通率 (SQLite and PostgreSQL)."""

from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from liandong.analytics.calls import check_call
from liandong.analytics.kpis import load_kpis
from liandong.analytics.periods import parse_period
from liandong.analytics.service import Analytics
from liandong.analytics.tables import CallRow
from liandong.cli.main import app
from liandong.core.actors import Actor, Role
from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.regions.registry import CITIES_DIR, load_city
from liandong.storage.db import make_engine
from tests.analytics_kit import module_db

HEADER = "call_id,arrived_at,answered,wait_seconds,operator\n"
GOOD = HEADER + "c1,2019-11-11 09:00:00,是,12,OP1\nc2,2019/11/11 9:05:00,否,40,\nc3,2019-11-12 10:00,1,5,OP2\n"


@pytest.fixture(scope="module")
def db(template_db, tmp_path_factory):
    with module_db(template_db, tmp_path_factory) as url:
        e = make_engine(url)
        yield e, url
        e.dispose()


def _count(engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(CallRow))


def _import(url, path):
    return CliRunner().invoke(app, ["calls", "import", "--db", url, "--csv", str(path)])


def test_bad_rows_are_reported_by_line_and_reason_and_nothing_is_imported(db, tmp_path):
    engine, url = db
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "c1,2019-11-11 09:00:00,是,12,OP1\n"
                   ",2019-11-11 09:00:00,是,12,OP1\n"
                   "c3,昨天,是,12,OP1\n"
                   "c4,2019-11-11 09:00:00,也许,12,OP1\n"
                   "c5,2019-11-11 09:00:00,是,-3,OP1\n"
                   "c6,2019-11-11 09:00:00,是,12,\n"
                   "c1,2019-11-11 10:00:00,否,12,\n", encoding="utf-8")
    r = _import(url, bad)
    assert r.exit_code == 2, r.output
    for words in ("第3行：来电编号为空", "第4行：时间「昨天」无法识别", "第5行：是否人工接通「也许」应为 是/否",
                  "第6行：等待秒数「-3」", "第7行：人工接通的来电缺少话务员工号", "第8行：来电编号「c1」与第2行重复",
                  "共 6 个问题行，未导入任何行"):
        assert words in r.output
    assert _count(engine) == 0


def test_a_good_file_is_imported_once_and_gives_the_agent_answer_rate(db, tmp_path):
    engine, url = db
    good = tmp_path / "calls.csv"
    good.write_text(GOOD, encoding="utf-8")
    r = _import(url, good)
    assert r.exit_code == 0, r.output
    assert "已导入 3 通来电（人工接通 2 通" in r.output
    assert _count(engine) == 3
    r = _import(url, good)  # the same calls again: refused as a whole
    assert r.exit_code == 2 and "已导入过" in r.output and _count(engine) == 3
    analytics = Analytics(load_city("demo"), load_kpis(CITIES_DIR / "demo" / "kpis.yaml"))
    with Session(engine) as session:
        table = analytics.table(session, actor=Actor("a", Role.ADMIN), period=parse_period("2019-W46"), group="all",
                                as_of=datetime(2019, 11, 20, tzinfo=CST))
    f = table.total.figures["agent_answer_rate"]
    assert (f.numerator, f.denominator, f.available) == (2, 3, True)


def test_a_file_without_the_required_columns_is_refused(db, tmp_path):
    engine, url = db
    path = tmp_path / "wrong.csv"
    path.write_text("id,time\nc9,2019-11-11\n", encoding="utf-8")
    r = _import(url, path)
    assert r.exit_code == 2 and "话务文件缺少列：call_id（来电编号）" in r.output
    r = CliRunner().invoke(app, ["calls", "import", "--db", url, "--csv", str(tmp_path / "nowhere.csv")])
    assert r.exit_code == 2 and "无法读取文件" in r.output


def test_a_call_cannot_be_answered_and_abandoned():
    with pytest.raises(InvalidInput, match="既人工接通又放弃"):
        check_call(2, {"call_id": "x", "arrived_at": "2019-11-11 09:00", "answered": "是", "abandoned": "是",
                       "wait_seconds": "3", "operator": "OP1"})
    assert check_call(2, {"call_id": "x", "arrived_at": "2019-11-11 09:00", "answered": "放弃",
                          "wait_seconds": "30"}).abandoned is True
