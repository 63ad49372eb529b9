"""The near-duplicate index: normalisation, features, windows, and recall on the labelled set."""

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from similarity_helpers import build_background, load_appeal_pairs

from liandong.core.clock import CST
from liandong.core.errors import InvalidInput
from liandong.supervision.similarity import (
    REPEAT_THRESHOLD,
    SimilarityIndex,
    analyse,
    batch_features,
    features,
    normalize,
)

TIPDM = Path(__file__).resolve().parents[4] / "shared" / "data" / "tipdm2020c" / "dev_raw.csv"
T0 = datetime(2026, 9, 30, 16, 0, tzinfo=CST)


PAIRS = load_appeal_pairs()


@pytest.fixture(scope="module")
def background():
    """5,000 synthetic appeals; the tests below add to it."""
    return build_background(5000)


def test_normalize_folds_transcriber_differences():
    a = normalize("市民来电反映：幸福里小区３号楼，从昨天开始停水！！请尽快处理。")
    b = normalize("您好，幸福里小区三号楼 从昨天开始没水了")
    assert "3栋" in a and "3栋" in b
    assert "市民" not in a and "您好" not in b and "请尽快处理" not in a
    content, places = analyse("金山街道幸福里小区三号楼停水")
    assert places == ("福里小区",)  # the key is two characters before the suffix
    assert "金山" not in content and "幸福里小区" in content


def test_place_keys_skip_streets_and_generic_bodies():
    content, places = analyse("东门街道解放路东段路灯坏了，行人走路很不安全，供水公司也不管")
    assert places == ("解放路",)
    assert "东门" not in content and "解放路" in content


def test_features_are_stable_and_typo_tolerant():
    f1, c1 = features(normalize("楼上装修噪音很大严重影响休息"))
    f2, _ = features(normalize("楼上装修燥音很大严重影响休息"))
    assert f1.dtype == np.uint32 and c1.dtype == np.uint8 and np.all(np.diff(f1.astype(np.int64)) > 0)
    shared = np.intersect1d(f1, f2).size
    assert shared == f1.size - 3  # one wrong character: two bigrams and one character lost
    assert features("")[0].size == 0


def test_batch_features_equal_one_by_one():
    texts = [normalize(t) for t in ("解放路路灯不亮", "", "幸福里小区3号楼停水", "a")]
    feats, counts, lens = batch_features(texts)
    assert lens.tolist() == [features(t)[0].size for t in texts]
    offsets = [0, *lens.cumsum().tolist()]
    for k, text in enumerate(texts):
        one_f, one_c = features(text)
        assert feats[offsets[k] : offsets[k + 1]].tolist() == one_f.tolist()
        assert counts[offsets[k] : offsets[k + 1]].tolist() == one_c.tolist()


def test_an_index_built_one_by_one_scores_as_one_built_at_once():
    texts = ["幸福里小区3号楼停水两天了", "解放路88号路灯不亮，晚上很黑", "幸福里小区三号楼又停水了", "和平广场晚上跳舞音响太吵"]
    appeals = [(f"a{i}", t, f"caller-{i % 2}", "东门街道", T0 - timedelta(hours=i)) for i, t in enumerate(texts)]
    one_by_one, at_once = SimilarityIndex(), SimilarityIndex()
    for a in appeals:
        one_by_one.add(*a)  # one at a time, as intake adds each appeal after its check
    at_once.add_many(appeals)
    query = "幸福里小区3号楼停水了，一直没来水"
    assert one_by_one.find_similar_in_region(query, "东门街道", T0) == at_once.find_similar_in_region(query, "东门街道", T0)
    assert {m.appeal_id for m in one_by_one.find_similar_in_region(query, "东门街道", T0)[:2]} == {"a0", "a2"}


def test_repeats_are_the_same_callers_earlier_appeals_in_the_window(background):
    index = background
    water = "幸福里小区3号楼从昨天下午开始停水，到现在还没来水，也没有接到停水通知"
    index.add("r1", water, "caller-A", "东门街道", T0 - timedelta(days=3))
    index.add("r2", "幸福里小区3号楼停水两天了，物业说是管道坏了，一直没人修", "caller-B", "东门街道", T0 - timedelta(days=2))
    index.add("r3", "幸福里小区门口新开的烧烤店油烟太大，晚上还很吵，影响休息", "caller-A", "东门街道", T0 - timedelta(days=1))
    index.add("r0", "幸福里小区3号楼又停水了，没有通知，做饭都没水", "caller-A", "东门街道", T0 - timedelta(days=45))
    found = index.find_repeats("市民来电反映：幸福里小区三号楼停水好几天了，一直没有恢复供水，也没有通知", "caller-A", T0)
    assert [m.appeal_id for m in found] == ["r1"]  # not B's, not the other matter, not outside 30 days
    assert found[0].score >= REPEAT_THRESHOLD and found[0].caller_key == "caller-A"
    assert found[0].at == T0 - timedelta(days=3)
    assert [m.appeal_id for m in index.find_repeats(water, "caller-A", T0, window_days=60)] == ["r1", "r0"]
    assert index.find_repeats(water, "nobody", T0) == []
    assert index.find_repeats(water, "caller-A", T0, exclude_id="r1", window_days=5) == []


def test_cluster_needs_enough_distinct_callers_in_region_and_window(background):
    index = background
    base = "滨江街道龙湾花园旁边工地夜间施工到凌晨，噪音扰民"
    for i, text in enumerate([base, "龙湾花园边上工地夜里施工太吵，凌晨还在打桩", "反映龙湾花园附近工地夜间施工噪音大"]):
        index.add(f"m{i}", text, f"mass-caller{i}", "滨江街道", T0 - timedelta(hours=10 * i))
    index.add("m-far", base, "mass-caller9", "滨江街道", T0 - timedelta(days=10))
    index.add("m-else", base, "mass-caller8", "鼓楼街道", T0)
    query = "龙湾花园旁边工地每天晚上施工到十二点多，噪音很大"
    cluster = index.find_cluster(query, "滨江街道", T0, window_hours=72, min_callers=3, caller_key="mass-caller5")
    assert {m.appeal_id for m in cluster} == {"m0", "m1", "m2"}
    assert index.find_cluster(query, "滨江街道", T0, window_hours=72, min_callers=5, caller_key="mass-caller5") == []
    assert index.find_cluster(query, "滨江街道", T0, window_hours=5, min_callers=2) == []
    repeats, similar = index.check(query, "mass-caller0", "滨江街道", T0)
    assert [m.appeal_id for m in repeats] == ["m0"] and {m.appeal_id for m in similar} == {"m0", "m1", "m2"}


def test_bad_arguments_are_refused(background):
    with pytest.raises(InvalidInput):
        background.add("bg1", "重复编号", "x", "y", T0)
    with pytest.raises(InvalidInput):
        background.add("", "无编号", "x", "y", T0)
    size = len(background)
    with pytest.raises(InvalidInput):
        background.add_many([("ok1", "解放路路灯不亮", "x", "y", T0), ("bad", "时间错误", "x", "y", "2026-09-30")])
    assert len(background) == size  # nothing of the refused chunk went in
    with pytest.raises(InvalidInput):
        background.find_repeats("停水", "x", T0, window_days=0)
    with pytest.raises(InvalidInput):
        background.find_cluster("停水", "y", T0, min_callers=1)
    with pytest.raises(InvalidInput):
        background.find_similar_in_region("停水", "y", T0, window_hours=float("nan"))


def test_back_filled_history_keeps_time_order():
    index = SimilarityIndex()
    index.add("late", "解放路路灯不亮", "c", "r", T0)
    index.add("early", "解放路路灯坏了", "c", "r", T0 - timedelta(days=2))
    assert [m.appeal_id for m in index.find_repeats("解放路东段路灯不亮", "c", T0 - timedelta(days=1))] == ["early"]
    assert index.calls_by("c", T0 - timedelta(days=3), T0) == 2
    assert len(index) == 2
    before = index.memory_bytes()
    index.compact()
    assert 0 < index.memory_bytes() < before
    index.add("later", "解放路东段路灯还是不亮", "c", "r", T0 + timedelta(days=1))  # still writable
    assert [m.appeal_id for m in index.find_repeats("解放路东段路灯不亮", "c", T0 + timedelta(days=1))][0] in {"later", "late"}


def test_recall_on_the_labelled_set_through_the_public_api(background):
    """Every positive pair: file A under a fresh caller, ask for repeats with B. Negatives: the same."""
    pairs = PAIRS.make_pairs(seed=2026, n=600)
    hits = {1: 0, 0: 0}
    totals = {1: 0, 0: 0}
    index = background
    for k, pair in enumerate(pairs):
        caller = f"pair-caller{k}"
        index.add(f"pair{k}", pair.a, caller, "评测街道", T0 - timedelta(days=1))
        found = index.find_repeats(pair.b, caller, T0)
        hits[pair.label] += bool(found)
        totals[pair.label] += 1
    recall = hits[1] / totals[1]
    false_rate = hits[0] / totals[0]
    assert totals[1] == 300 and totals[0] == 300
    assert recall >= 0.95, recall
    assert false_rate <= 0.03, false_rate


@pytest.mark.skipif(not TIPDM.is_file(), reason=f"real public messages not present at {TIPDM} (shared data, not in the repo)")
def test_recall_on_real_messages_retold():
    with TIPDM.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rng = random.Random(3)
    index = SimilarityIndex()
    for i, row in enumerate(rows):
        index.add(row["id"], row["text"], f"c{i}", "r", T0)

    sample = rng.sample(rows, 300)
    scores = np.array([index.similarity(r["text"], PAIRS.retell_real(rng, r["text"])) for r in sample])
    same_label = {}
    for row in rows:
        same_label.setdefault(row["label"], []).append(row)
    others = np.array([index.similarity(r["text"], rng.choice(same_label[r["label"]])["text"]) for r in sample])
    assert (scores >= REPEAT_THRESHOLD).mean() >= 0.95
    assert (others >= REPEAT_THRESHOLD).mean() <= 0.02
