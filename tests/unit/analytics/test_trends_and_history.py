"""The Poisson trend test and the history file's rows, without a database."""

import math
from datetime import date, datetime, timedelta

import pytest

from liandong.analytics.history import check_row, named_place, parse_map, parse_time
from liandong.analytics.trends import TrendPolicy, detect_high, detect_new, poisson_sf, rising_together
from liandong.core.clock import CST
from liandong.core.errors import InvalidInput

START = date(2019, 9, 2)  # a Monday
DAYS = [START + timedelta(days=i) for i in range(70)]


def working(d: date) -> bool:
    return d.weekday() < 5


def test_poisson_tail_is_exact_for_small_counts():
    assert poisson_sf(0, 2.0) == 1.0
    assert poisson_sf(1, 2.0) == pytest.approx(1 - math.exp(-2))
    assert poisson_sf(3, 2.0) == pytest.approx(1 - math.exp(-2) * (1 + 2 + 2))


def test_a_surge_is_flagged_and_a_quiet_weekend_after_busy_weekdays_is_not():
    counts = [4 if working(d) else 1 for d in DAYS]
    counts[63] = 12  # a Monday in the tenth week
    flags = detect_high(DAYS, counts, working, judge_from=30)
    assert [f.day for f in flags] == [DAYS[63]]
    assert flags[0].count == 12 and flags[0].expected == pytest.approx(4.0) and flags[0].window_days == 1


def test_two_raised_days_are_caught_together_when_neither_alone_is_enough():
    counts = [6 if working(d) else 2 for d in DAYS]
    counts[64], counts[65] = 12, 12  # Tuesday and Wednesday: p 0.02 each alone, 0.001 together
    flags = detect_high(DAYS, counts, working, TrendPolicy(alpha=0.005), judge_from=30)
    assert flags and flags[0].day == DAYS[65] and flags[0].window_days == 2 and flags[0].count == 24


def test_a_flagged_day_does_not_raise_the_baseline():
    counts = [3 if working(d) else 1 for d in DAYS]
    for i in (50, 51, 52):
        counts[i] = 15  # Wed–Fri of a surge
    flags = detect_high(DAYS, counts, working, judge_from=30)
    assert [f.day for f in flags] == [DAYS[50], DAYS[51], DAYS[52]]
    assert all(f.expected == pytest.approx(3.0) for f in flags)


def test_new_matter_needs_k_in_a_day_after_four_quiet_weeks():
    counts = [0] * 70
    counts[40] = 1
    counts[69] = 3
    assert [f.day for f in detect_new(DAYS, counts)] == [DAYS[69]]
    counts[50] = 1
    assert detect_new(DAYS, counts) == []


def test_rising_together_needs_both_desks():
    assert rising_together([5, 6, 5], 3.0, [4, 4, 5], 3.0) is not None
    assert rising_together([5, 6, 5], 3.0, [1, 1, 1], 3.0) is None


def test_the_column_map_and_its_mistakes():
    assert parse_map("id=编号,text=内容,received_at=时间,subject=标题") == {
        "id": "编号", "text": "内容", "received_at": "时间", "subject": "标题"}
    with pytest.raises(InvalidInput, match="缺少必需字段：received_at"):
        parse_map("id=a,text=b")
    with pytest.raises(InvalidInput, match="字段「colour」未知"):
        parse_map("id=a,text=b,received_at=c,colour=d")
    with pytest.raises(InvalidInput, match="应写作 字段=列名"):
        parse_map("id=a,text")


@pytest.mark.parametrize("raw, expected", [
    ("2019/2/28 11:25:05", datetime(2019, 2, 28, 11, 25, 5, tzinfo=CST)),
    ("2019-11-02 08:00", datetime(2019, 11, 2, 8, 0, tzinfo=CST)),
    ("2019-11-02 08:00:01.000", datetime(2019, 11, 2, 8, 0, 1, tzinfo=CST)),
    ("2019年3月1日", datetime(2019, 3, 1, tzinfo=CST)),
])
def test_times_in_the_formats_a_citys_export_has(raw, expected):
    assert parse_time(raw) == expected


def test_a_bad_row_says_why():
    cols = {"id": "id", "text": "text", "received_at": "t"}
    with pytest.raises(InvalidInput, match="时间「昨天」无法识别"):
        check_row(3, {"id": "1", "text": "路灯坏了", "t": "昨天"}, cols)
    with pytest.raises(InvalidInput, match="编号为空"):
        check_row(3, {"id": "", "text": "路灯坏了", "t": "2019-01-01"}, cols)
    with pytest.raises(InvalidInput, match="诉求内容为空"):
        check_row(3, {"id": "9", "text": " ", "t": "2019-01-01"}, cols)
    item = check_row(3, {"id": " 9 ", "text": "路灯坏了", "t": "2019-01-01"}, cols)
    assert (item.external_id, item.line, item.likes) == ("9", 3, 0)


@pytest.mark.parametrize("subject, place", [
    ("A3区青青家园小区乐果果零食炒货公共通道摆放空调扰民", "A3区青青家园"),
    ("反映A7县春华镇金鼎村水泥路、自来水到户的问题", "A7县金鼎村"),
    ("A市A3区中海国际社区三期与四期中间空地夜间施工噪音扰民", "A3区中海国际社区"),
    ("A3区一米阳光婚纱艺术摄影是否合法纳税了？", "A3区"),
])
def test_the_place_the_words_name(subject, place):
    assert named_place(subject, "") == place


def test_the_tail_widens_with_the_baselines_own_error():
    from liandong.analytics.trends import negbin_sf

    assert negbin_sf(8, 4.0, 4.0) == pytest.approx(poisson_sf(8, 4.0))
    assert negbin_sf(8, 4.0, 6.0) > poisson_sf(8, 4.0)  # an expected count known less well: less surprising
    assert negbin_sf(0, 4.0, 6.0) == 1.0


def test_a_surge_from_friday_is_judged_on_monday_with_its_weekend():
    counts = [6 if working(d) else 2 for d in DAYS]
    fri, mon = 60, 63  # DAYS[60] is a Friday
    assert DAYS[fri].weekday() == 4 and DAYS[mon].weekday() == 0
    counts[fri], counts[fri + 1], counts[fri + 2], counts[mon] = 11, 4, 4, 11
    flags = detect_high(DAYS, counts, working, judge_from=30)
    assert [f.day for f in flags] == [DAYS[mon]]  # no day alone is enough; Friday to Monday together is
    assert flags[0].window_days == 4 and flags[0].count == 30
