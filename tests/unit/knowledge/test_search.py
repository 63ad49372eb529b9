from datetime import date

import pytest

from liandong.knowledge.search import IndexDoc, KnowledgeIndex
from liandong.knowledge.text import Segmenter, char_grams, pinyin_grams

DOCS = [
    IndexDoc("fund", 1, "住房公积金怎么提取", "凭身份证到公积金中心或线上办理。", ("取公积金",), ("公积金", "提取"),
             public=True),
    IndexDoc("fund-east", 2, "住房公积金怎么提取", "东城区：可在东城区政务服务中心3号窗口办理。", (), ("公积金", "提取"),
             region="148802"),
    IndexDoc("passport", 1, "护照怎么办理", "到出入境接待大厅办理。", ("办护照",), ("护照", "出入境")),
    IndexDoc("subsidy", 1, "2025年家电以旧换新补贴怎么领", "活动已结束。", (), ("以旧换新",), public=True,
             expires_on=date(2026, 1, 1)),
    IndexDoc("water", 1, "自来水费怎么交", "可通过营业厅或线上缴纳。", ("交水费",), ("水费",), public=True),
]
DAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def index():
    return KnowledgeIndex(DOCS, Segmenter(["公积金"]), city_region="148800", threshold=0.15)


def test_the_right_entry_comes_first_for_a_paraphrase_a_typo_and_a_homophone(index):
    for query in ("我想取一下公积金", "住房公基金怎么提", "公鸡金怎么取出来"):
        hits = index.search(query, now=DAY)
        assert hits and hits[0].entry_id == "fund", query


def test_a_question_nothing_answers_gets_no_answer(index):
    assert index.search("明天会不会下雨", now=DAY) == []
    assert index.search("   ", now=DAY) == []


def test_a_districts_own_wording_first_other_districts_never(index):
    assert index.search("公积金怎么提取", region="148802001", now=DAY)[0].entry_id == "fund-east"
    west = [h.entry_id for h in index.search("公积金怎么提取", region="148803", now=DAY)]
    assert "fund-east" not in west and west[0] == "fund"
    assert index.search("公积金怎么提取", now=DAY)[0].entry_id == "fund"


def test_expired_and_staff_only_entries_are_masked(index):
    assert index.search("家电以旧换新补贴", now=date(2025, 12, 1))[0].entry_id == "subsidy"
    assert all(h.entry_id != "subsidy" for h in index.search("家电以旧换新补贴怎么领", now=DAY))
    assert all(h.public for h in index.search("护照怎么办理", public_only=True, now=DAY))


def test_scores_are_fractions_and_the_limit_holds(index):
    hits = index.search("公积金 水费 护照", limit=2, now=DAY)
    assert len(hits) <= 2 and all(0 < h.score <= 1 for h in hits)


def test_views_of_the_text():
    assert char_grams("公积金") == ["公积", "积金"]
    assert pinyin_grams("知识") == pinyin_grams("资似")  # zh/z and sh/s folded


def test_callers_words_meet_the_standard_name_and_what_is_asked_is_read():
    from liandong.knowledge.speech import intents, subject

    assert "电动自行车" in subject("电瓶车上牌咋弄") and "欠薪" in subject("欠工资了")
    assert intents("景区乱收费") == () and "价格违法" in subject("景区乱收费")  # a name, not a fee question
    assert intents("老年人免费乘车卡咋办") == ("〈流程〉",)
    assert intents("个体户能交公积金吗") == ("〈条件〉",)  # weak: a yes-no "能…吗"
    assert intents("当天能拿到吗") == ("〈时限〉",)  # a phrase of an intent before the weak sign


def test_a_districts_short_wording_is_found_by_the_citywide_phrasings():
    docs = [IndexDoc("city", 1, "大件垃圾清运在哪里办理", "社区收运点。", ("旧家具扔哪",), ("大件垃圾",)),
            IndexDoc("east", 1, "大件垃圾清运在哪里办理", "东城区：街道环卫所预约。", (), (), region="148802")]
    index = KnowledgeIndex(docs, Segmenter(), city_region="148800")
    assert index.search("旧家具扔哪", region="148802", now=DAY)[0].entry_id == "east"
    assert index.search("旧家具扔哪", now=DAY)[0].entry_id == "city"


def test_a_question_about_an_entry_out_of_force_gets_no_answer(index):
    assert index.search("2025年家电以旧换新补贴怎么领", now=DAY) == []
    assert index.search("2025年家电以旧换新补贴怎么领", now=date(2025, 12, 1))[0].entry_id == "subsidy"


def test_years_counted_from_now_are_read_as_the_year_an_entry_is_dated():
    """去年 on 2026-11-23 is 2025: a question about last year's subsidy is about the expired 2025 entry."""
    from liandong.knowledge.speech import absolute_years

    assert absolute_years("去年冬天的补贴，前年的和今年的", 2026) == "2025年冬天的补贴，2024年的和2026年的"
    assert char_grams("2025年冬季") == ["2025", "年冬", "冬季"]  # digits apart from the Han run they precede
    assert pinyin_grams("2025年冬季") == pinyin_grams("年冬季")

