"""A transcript from the telephone system: accepted as turns, or refused with a Chinese message naming the turn."""

import pytest

from liandong.core.errors import InvalidInput
from liandong.quality.model import Speaker, parse_transcript


def turn(speaker="operator", start=0.0, end=1.0, text="您好"):
    return {"speaker": speaker, "start": start, "end": end, "text": text}


def test_a_good_transcript_becomes_turns_and_speakers_may_overlap_each_other():
    turns = parse_transcript([turn(end=3), turn("caller", 2.5, 6, "我要投诉"), turn(start=6, end=8, text="请讲")])
    assert [t.speaker for t in turns] == [Speaker.OPERATOR, Speaker.CALLER, Speaker.OPERATOR]
    assert turns[1].start == 2.5


@pytest.mark.parametrize("raw, message", [
    ([turn(speaker="robot")], "说话人「robot」未知"),
    ([turn(start=-1)], "不能为负数"),
    ([turn(start=5, end=3)], "结束时间 3 秒早于开始时间 5 秒"),
    ([turn(end=5), turn(start=4, end=6)], "与同一说话人（话务员）的上一段时间重叠"),
    ([turn(text="  ")], "文字不能为空"),
    ([turn(start="3")], "必须是数字"),
    ([turn(start=None)], "要么都有，要么都没有"),
    ([turn(), {"speaker": "caller", "text": "喂"}], "要么都有时间"),
    ("not a list", "必须是列表"),
    ([turn() | {"volume": 3}], "未知字段"),
])
def test_bad_transcripts_are_refused_with_the_reason(raw, message):
    with pytest.raises(InvalidInput, match=message):
        parse_transcript(raw)


def test_untimed_transcripts_are_accepted():
    turns = parse_transcript([{"speaker": "operator", "text": "您好"}, {"speaker": "caller", "text": "喂"}])
    assert turns[0].start is None
