from datetime import date, timedelta

import pytest

from liandong.app import Liandong
from liandong.config import Settings
from liandong.core.actors import Actor, Role
from liandong.core.errors import Conflict, Forbidden, NotFound
from liandong.knowledge.entry import Content, EntryState, ReviewAction, Visibility

UNIT = Actor("hrss", Role.HANDLER, unit="HRSS")
KADMIN = Actor("kadmin", Role.KNOWLEDGE_ADMIN)
FUND = Content("住房公积金怎么提取", "可凭身份证到市公积金中心或通过线上平台办理提取。", ("取公积金",), "《住房公积金管理条例》",
               "国务院令第262号", keywords=("公积金", "提取"), visibility=Visibility.PUBLIC)


@pytest.fixture
def ctx(db_url, clock):
    c = Liandong(Settings(database_url=db_url), clock=clock)
    yield c
    c.close()


def _draft(ctx, content=FUND, actor=UNIT):
    with ctx.write() as s:
        return ctx.knowledge.create(s, content, actor=actor, now=ctx.clock.now()).id


def _act(ctx, entry_id, action, actor=KADMIN, note=""):
    with ctx.write() as s:
        ctx.knowledge.act(s, entry_id, action, actor=actor, now=ctx.clock.now(), note=note)


def test_a_draft_is_found_only_once_approved_and_an_edit_keeps_the_served_version(ctx):
    entry_id = _draft(ctx)
    assert ctx.knowledge.search("公积金怎么提取") == []
    _act(ctx, entry_id, ReviewAction.SUBMIT, UNIT)
    _act(ctx, entry_id, ReviewAction.APPROVE)
    hit = ctx.knowledge.search("我想提取公积金")[0]
    assert (hit.entry_id, hit.version) == (entry_id, 1)
    with ctx.write() as s:
        ctx.knowledge.edit(s, entry_id, Content(FUND.question, "新口径：线上办理。", unit="HRSS"), actor=UNIT,
                           now=ctx.clock.now(), expected_version=1)
    hit = ctx.knowledge.search("我想提取公积金")[0]
    assert (hit.version, hit.answer) == (1, FUND.answer)
    _act(ctx, entry_id, ReviewAction.SUBMIT, UNIT)
    _act(ctx, entry_id, ReviewAction.APPROVE)
    assert ctx.knowledge.search("我想提取公积金")[0].version == 2
    with ctx.read() as s:
        assert ctx.knowledge.version(s, entry_id, 1).answer == FUND.answer  # what was read on a call stays readable
        assert [t.action for t in ctx.knowledge.trail(s, entry_id)] == \
            ["edit", "submit", "approve", "edit", "submit", "approve"]
    _act(ctx, entry_id, ReviewAction.WITHDRAW)
    assert ctx.knowledge.search("我想提取公积金") == []


def test_expired_entries_are_never_offered(ctx):
    day = ctx.clock.now().date()
    with ctx.write() as s:
        ctx.knowledge.create(s, Content("家电以旧换新补贴怎么领", "按活动规则领取。", expires_on=day,
                                        effective_from=day - timedelta(days=90)), actor=KADMIN, now=ctx.clock.now(),
                             publish=True)
    assert ctx.knowledge.search("以旧换新补贴怎么领") == []
    assert ctx.knowledge.search("以旧换新补贴怎么领", now=ctx.clock.now() - timedelta(days=1))


def test_duplicates_other_units_and_unknown_ids_are_refused(ctx):
    entry_id = _draft(ctx)
    with pytest.raises(Conflict, match="相同的标准问题"):
        _draft(ctx, Content(" 住房公积金，怎么提取？", "x"), KADMIN)
    with pytest.raises(Forbidden):
        _draft(ctx, Content("营业执照怎么办", "x", unit="HRSS"), Actor("samr", Role.HANDLER, unit="SAMR"))
    with pytest.raises(Forbidden):
        _act(ctx, entry_id, ReviewAction.SUBMIT, Actor("samr", Role.HANDLER, unit="SAMR"))
    with pytest.raises(NotFound):
        _act(ctx, "nope", ReviewAction.SUBMIT)
    with ctx.read() as s:
        assert ctx.knowledge.entry(s, entry_id).state == EntryState.DRAFT.value


def test_usage_and_feedback_are_counted(ctx):
    entry_id = _draft(ctx)
    with ctx.write() as s:
        ctx.knowledge.record_use(s, entry_id, 1)
        ctx.knowledge.record_feedback(s, entry_id, solved=True)
        ctx.knowledge.record_feedback(s, entry_id, solved=False)
        with pytest.raises(NotFound):
            ctx.knowledge.record_use(s, entry_id, 9)
    with ctx.read() as s:
        e = ctx.knowledge.entry(s, entry_id)
        assert (e.usage_count, e.solved_count, e.unsolved_count) == (1, 1, 1)


def test_a_region_entry_comes_first_in_its_district(ctx):
    with ctx.write() as s:
        ctx.knowledge.create(s, FUND, actor=KADMIN, now=ctx.clock.now(), publish=True)
        east = ctx.knowledge.create(s, Content(FUND.question, "东城区可在区政务服务中心办理。", FUND.phrasings, region="148802", keywords=FUND.keywords),
                                    actor=KADMIN, now=ctx.clock.now(), publish=True).id
    assert ctx.knowledge.search("公积金提取", region="148802001")[0].entry_id == east
    assert ctx.knowledge.search("公积金提取", region="148803")[0].entry_id != east
    assert date.today()  # the clock, not the wall, decides validity: covered above


def test_warm_up_builds_the_knowledge_index_so_the_first_consultation_does_not_wait_for_it(ctx):
    entry_id = _draft(ctx)
    _act(ctx, entry_id, ReviewAction.SUBMIT, UNIT)
    _act(ctx, entry_id, ReviewAction.APPROVE)
    assert ctx.knowledge._index is None
    ctx.warm_up()
    built = ctx.knowledge._index
    assert built is not None and built is ctx.knowledge.index()  # searching reuses it, no rebuild
    assert ctx.knowledge.search("我想提取公积金")[0].question == FUND.question


def test_another_process_s_publish_is_rebuilt_in_the_background_while_searches_use_the_current_index(db_url, clock):
    a = Liandong(Settings(database_url=db_url), clock=clock)
    b = Liandong(Settings(database_url=db_url), clock=clock)
    try:
        assert b.knowledge.search("我想提取公积金") == []
        before = b.knowledge._index
        with a.write() as s:
            entry_id = a.knowledge.create(s, FUND, actor=KADMIN, now=a.clock.now(), publish=True).id
        assert a.knowledge.search("我想提取公积金")[0].entry_id == entry_id  # the writing process: at once
        b.knowledge.refresh_s = 0
        assert b.knowledge.search("我想提取公积金") == []  # stale: answered from the old index, not held up
        assert b.knowledge.wait_for_rebuild(60)
        assert b.knowledge._index is not before
        assert b.knowledge.search("我想提取公积金")[0].entry_id == entry_id
        assert b.knowledge.wait_for_rebuild(60)
    finally:
        b.knowledge.wait_for_rebuild(60)
        a.close()
        b.close()


def test_a_failed_background_rebuild_is_logged_and_retried_on_the_next_look(db_url, clock, caplog):
    a = Liandong(Settings(database_url=db_url), clock=clock)
    b = Liandong(Settings(database_url=db_url), clock=clock)
    try:
        b.knowledge.search("我想提取公积金")
        before = b.knowledge._index
        with a.write() as s:
            entry_id = a.knowledge.create(s, FUND, actor=KADMIN, now=a.clock.now(), publish=True).id
        b.knowledge.refresh_s = 0
        read = b.knowledge.read

        def broken():
            raise RuntimeError("数据库暂不可用")
        b.knowledge.read = broken
        assert b.knowledge.search("我想提取公积金") == []  # the failure never reaches the search
        assert b.knowledge.wait_for_rebuild(60)
        assert b.knowledge._index is before
        assert "knowledge index rebuild failed" in caplog.text
        b.knowledge.read = read
        assert b.knowledge.search("我想提取公积金") == []  # the next look starts the rebuild again
        assert b.knowledge.wait_for_rebuild(60)
        assert b.knowledge.search("我想提取公积金")[0].entry_id == entry_id
    finally:
        b.knowledge.wait_for_rebuild(60)
        a.close()
        b.close()


def test_this_process_s_publish_is_searchable_at_once_even_while_a_background_rebuild_runs(ctx):
    ctx.knowledge.search("我想提取公积金")
    ctx.knowledge.refresh_s = 0
    ctx.knowledge.search("我想提取公积金")  # starts a (no-change) background look
    with ctx.write() as s:
        entry_id = ctx.knowledge.create(s, FUND, actor=KADMIN, now=ctx.clock.now(), publish=True).id
    assert ctx.knowledge.search("我想提取公积金")[0].entry_id == entry_id
    assert ctx.knowledge.wait_for_rebuild(60)
