"""The fast TF-IDF matrix must be the vectorizer's, for every analyzer the project builds."""

import json

import numpy as np
import pytest

from liandong.routing.classifier import Analyzer, TextClassifier
from liandong.routing.features import FastTfidf

from .conftest import CASES

TEXTS = ["小区门口垃圾没人清理", "路灯坏了好几天", "楼上装修太吵了晚上还在施工", "井盖丢了很危险", "路灯不亮", "垃圾堆在楼道里",
         "施工噪音扰民", "井盖破损没人修", "垃圾桶满了", "半夜施工太吵"]
LABELS = ["环卫", "路灯", "噪音", "井盖", "路灯", "环卫", "噪音", "井盖", "环卫", "噪音"]
UNSEEN = ["路灯和井盖都坏了", "垃圾", "", "123abc", "完全无关的一句话", "施工施工施工吵吵吵"]


@pytest.mark.parametrize("analyzer", [
    Analyzer({"小区": 5, "门口": 5, "垃圾": 9, "路灯": 9, "井盖": 9, "施工": 9, "楼道": 3}, char_max=2),
    Analyzer({"垃圾": 9, "路灯": 9, "井盖": 9}, char_max=3, word_bigrams=True),
    Analyzer({"垃圾": 9, "路灯": 9}, char_max=1, known_only=True),
    Analyzer(None, char_max=2, known_only=True),
], ids=["words", "trigrams+pairs", "known-only", "jieba"])
def test_the_fast_matrix_is_the_vectorizers(analyzer):
    model = TextClassifier.fit(TEXTS, LABELS, analyzer=analyzer, calibrate=False)
    vec = model.vectorizer
    assert FastTfidf.supports(vec.analyzer, vec)
    fast = FastTfidf(vec.analyzer, vec).transform(TEXTS + UNSEEN)
    want = vec.transform(TEXTS + UNSEEN)
    assert fast.shape == want.shape and fast.dtype == want.dtype
    assert np.abs((fast - want).toarray()).max() < 1e-6
    assert model.predict(UNSEEN) == [str(c) for c in model.model.predict(want[len(TEXTS):])]


def test_the_city_model_scores_the_same_through_either_path(router):
    texts = [json.loads(line)["text"] for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    model = router.model
    fast = model.transform(texts)
    assert isinstance(model.__dict__["_tfidf"], FastTfidf)
    assert np.abs((fast - model.vectorizer.transform(texts)).toarray()).max() < 1e-6


def test_a_vectorizer_it_cannot_reproduce_is_used_as_it_is():
    model = TextClassifier.fit(TEXTS, LABELS, analyzer=Analyzer({"垃圾": 9}), calibrate=False)
    model.vectorizer.sublinear_tf = False
    assert not FastTfidf.supports(model.vectorizer.analyzer, model.vectorizer)
    assert np.allclose(model.transform(UNSEEN).toarray(), model.vectorizer.transform(UNSEEN).toarray())
