"""History import (历史诉求导入): routed, placed, own ids kept, nothing half-imported; hotspots over it."""

import json
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from liandong.analytics.history import parse_map
from liandong.analytics.history_service import HistoryImport
from liandong.analytics.hotspots import ranked_hotspots
from liandong.analytics.tables import HistoryRow
from liandong.cli.main import app
from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.orders.tables import OrderRow
from liandong.regions.places import load_gazetteer
from liandong.regions.registry import CITIES_DIR, load_city
from liandong.storage.db import make_engine
from tests.analytics_kit import module_db
from tests.fakes import ScriptedRouter

COLUMNS = parse_map("id=编号,text=内容,received_at=时间,subject=标题,likes=赞")
NOW = datetime(2020, 1, 10, 9, tzinfo=CST)


def rows(*extra):
    good = [
        (2, {"编号": "h1", "内容": "A2区丽发新城小区旁搅拌站夜里噪音扰民", "时间": "2019/3/1 22:05:00", "标题": "丽发新城搅拌站扰民", "赞": "3"}),
        (3, {"编号": "h2", "内容": "丽发新城小区搅拌站粉尘大", "时间": "2019-03-02 08:00", "标题": "A2区丽发新城搅拌站", "赞": "0"}),
        (4, {"编号": "h3", "内容": "丽发新城搅拌站还在夜间施工", "时间": "2019年3月5日", "标题": "", "赞": ""}),
        (5, {"编号": "h4", "内容": "东门街道幸福里小区门口路灯不亮", "时间": "2019-03-03 19:00:00", "标题": "", "赞": "1"}),
    ]
    return good + list(extra)


@pytest.fixture(scope="module")
def engine(template_db, tmp_path_factory):
    with module_db(template_db, tmp_path_factory) as url:
        e = make_engine(url)
        yield e, url
        e.dispose()


@pytest.fixture(scope="module")
def importer():
    return HistoryImport(ScriptedRouter(), load_gazetteer(CITIES_DIR / "demo" / "places.yaml", load_city("demo")))


def test_bad_rows_are_named_with_line_and_reason_and_nothing_is_imported(engine, importer):
    bad_rows = rows((6, {"编号": "h1", "内容": "重复", "时间": "2019-03-04", "标题": "", "赞": ""}),
                    (7, {"编号": "h9", "内容": "路灯坏了", "时间": "上周", "标题": "", "赞": ""}),
                    (9, {"编号": "h10", "内容": "abc only", "时间": "2019-03-04", "标题": "", "赞": "x"}))
    ready, bad = importer.prepare(bad_rows, COLUMNS)
    assert [(b.line, b.reason) for b in bad] == [
        (6, "编号「h1」与第2行重复"), (7, "时间「上周」无法识别"), (9, "点赞数「x」不是整数")]
    assert len(ready) == 4


def test_rows_are_routed_placed_and_kept_with_their_own_ids(engine, importer):
    e, _ = engine
    ready, bad = importer.prepare(rows(), COLUMNS)
    assert bad == []
    with Session(e) as session:
        assert importer.store(session, ready, source="export.csv", now=NOW) == 4
        session.commit()
    with Session(e) as session:
        stored = {r.external_id: r for r in session.scalars(select(HistoryRow))}
        assert stored["h1"].place == "A2区丽发新城" and stored["h1"].likes == 3
        assert stored["h1"].category_name == "占道经营"  # the (scripted) router's category
        assert stored["h4"].region and stored["h4"].region.startswith("148802001")  # the gazetteer's 东门街道
        assert session.scalar(select(func.count()).select_from(OrderRow)) == 0  # no order opened or dispatched
        with pytest.raises(InvalidInput, match="已从「export.csv」导入过"):
            importer.store(session, ready, source="export.csv", now=NOW)


def test_hotspots_rank_the_place_with_its_appeals_ids(engine):
    e, _ = engine
    with Session(e) as session:
        spots = ranked_hotspots(session, load_city("demo"), start=datetime(2019, 3, 1, tzinfo=CST),
                                end=datetime(2019, 4, 1, tzinfo=CST))
    assert spots[0].place == "A2区丽发新城" and spots[0].count == 3 and sorted(spots[0].appeal_ids) == ["h1", "h2", "h3"]
    assert spots[0].heat == pytest.approx(3 + 2 * 1.386, abs=0.1) and spots[0].rank == 1


def test_the_hotspots_command_prints_json_and_refuses_bad_dates(engine):
    _, url = engine
    runner = CliRunner()
    r = runner.invoke(app, ["hotspots", "--db", url, "--from", "2019-03-01", "--to", "2019-03-31", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert set(out[0]) == {"rank", "heat", "place", "category", "description", "first_at", "last_at", "count",
                           "appeal_ids"}
    r = runner.invoke(app, ["hotspots", "--db", url, "--from", "2019-03-31", "--to", "2019-03-01"])
    assert r.exit_code == 2 and "截止日期早于起始日期" in r.output
    r = runner.invoke(app, ["history", "import", "--db", url, "--csv", "nowhere.csv", "--map", "id=a,text=b"])
    assert r.exit_code == 2 and "缺少必需字段" in r.output
