"""Analyzer options for pre-segmented training text and raw test text (TipDM-style training)."""

import pickle

from liandong.routing.analyzer import Analyzer, given_tokens_of
from liandong.routing.history import fit_history

SEGMENTED = ["小区 路灯 不亮 晚上 很黑", "路灯 坏 没人 修", "小区 路灯 一直 不亮",
             "噪音 扰民 睡不着", "工地 夜间 施工 噪音", "广场舞 噪音 太 大",
             "拖欠 工资 不发", "工资 拖欠 三个月", "老板 拖欠 农民工 工资"]
LABELS = ["城乡建设"] * 3 + ["环境保护"] * 3 + ["劳动和社会保障"] * 3


def test_given_tokens_only_for_segmented_text():
    assert given_tokens_of("小区 路灯 不亮 晚上") == ["小区", "路灯", "不亮", "晚上"]
    assert given_tokens_of("小区的路灯一直不亮，晚上很黑。 请尽快 修理一下吧") is None  # raw text with spaces
    assert given_tokens_of("路灯 不亮") is None  # too short to tell
    assert given_tokens_of("J2 区 南塔 办事处") == ["j2", "区", "南塔", "办事处"]


def test_known_vocabulary_is_the_given_tokens_and_drops_stop_words_of_raw_text():
    a = Analyzer(None, known_only=True, given_tokens=True, hmm=True)
    a.learn(SEGMENTED)
    assert "的" not in a.known and "路灯" in a.known
    words = a.segment("我们小区的路灯一直不亮了，晚上很黑！")
    assert "的" not in words and "了" not in words and "路灯" in words
    assert a.segment("小区 路灯 不亮 晚上 很黑") == ["小区", "路灯", "不亮", "晚上", "很黑"]  # kept, not re-segmented


def test_title_features_are_the_first_words():
    a = Analyzer(None, known_only=True, given_tokens=True, title_words=2)
    a.learn(SEGMENTED)
    feats = a("小区 路灯 不亮 晚上 很黑")
    assert "t:小区" in feats and "t:路灯" in feats and "t:不亮" not in feats
    assert "tc:区路" in feats and "tc:路不" not in feats


def test_old_pickles_keep_the_old_behaviour():
    state = {"words": None, "char_max": 2, "word_bigrams": False, "known_only": True, "known": frozenset({"路灯"})}
    a = Analyzer.__new__(Analyzer)
    a.__setstate__(state)
    assert (a.given_tokens, a.hmm, a.title_words) == (False, False, 0)
    b = pickle.loads(pickle.dumps(Analyzer(None, given_tokens=True, hmm=True, title_words=5)))
    assert (b.given_tokens, b.hmm, b.title_words) == (True, True, 5)


def test_fit_history_on_segmented_scores_raw():
    m = fit_history(SEGMENTED, LABELS, calibrate=False, min_df=1)
    assert m.predict(["晚上小区的路灯不亮了", "工地夜间施工的噪音太吵", "老板拖欠了我的工资"]) == ["城乡建设", "环境保护", "劳动和社会保障"]
