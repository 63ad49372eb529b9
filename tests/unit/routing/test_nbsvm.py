"""NB-SVM and min_df in the text classifier (small data, real fitting)."""

import numpy as np
import scipy.sparse as sp
from sklearn.svm import LinearSVC

from liandong.routing.classifier import Analyzer, TextClassifier, fit_nbsvm, log_count_ratios

TEXTS = ["路灯不亮晚上很黑", "路灯坏了没人修", "小区路灯一直不亮",
         "噪音扰民睡不着", "工地夜间施工噪音", "广场舞噪音太大",
         "拖欠工资不发", "工资被拖欠三个月", "老板拖欠农民工工资"]
LABELS = ["城乡建设"] * 3 + ["环境保护"] * 3 + ["劳动和社会保障"] * 3


def test_log_count_ratios_favour_the_class_that_has_the_feature():
    # feature 0 only in class a, feature 1 in every document, feature 2 only in class b
    x = sp.csr_matrix(np.array([[1, 1, 0], [2, 1, 0], [0, 1, 3], [0, 1, 1]], dtype=float))
    y = np.array(["a", "a", "b", "b"])
    r = log_count_ratios(x, y, np.array(["a", "b"]))
    assert r[0, 0] > 0 > r[0, 2]  # for a: feature 0 speaks for, feature 2 against
    assert r[1, 2] > 0 > r[1, 0]
    assert abs(r[0, 1]) < 1e-9  # present everywhere: no evidence (counts are binarised: 2 and 3 count once)
    np.testing.assert_allclose(r[0, 0], np.log((3 / 6) / (1 / 6)))  # alpha 1: p=(3,3,1)/7, q=(1,3,3)/7


def test_nbsvm_folds_into_one_matrix_equal_to_the_scaled_svms():
    rng = np.random.default_rng(0)
    x = sp.csr_matrix(rng.random((30, 12)) * (rng.random((30, 12)) < 0.4))
    y = np.array(["a", "b", "c"] * 10)
    m = fit_nbsvm(x, y, c=1.0)
    r = log_count_ratios(x, y, np.array(["a", "b", "c"]))
    for i, k in enumerate(["a", "b", "c"]):
        svm = LinearSVC(C=1.0).fit(x @ sp.diags(r[i]), (y == k).astype(int))
        np.testing.assert_allclose(m.decision_function(x)[:, i], svm.decision_function(x @ sp.diags(r[i])), rtol=1e-4, atol=1e-5)


def test_text_classifier_with_nb_and_min_df():
    m = TextClassifier.fit(TEXTS, LABELS, analyzer=Analyzer(None, known_only=True), nb=True, min_df=2, c=3.0,
                           balanced=True, calibrate=False)
    assert m.predict(["晚上路灯不亮", "工地噪音吵", "工资拖欠了"]) == ["城乡建设", "环境保护", "劳动和社会保障"]
    vocab = m.vectorizer.vocabulary_
    assert "w:路灯" in vocab and "w:广场舞" not in vocab  # 广场舞 is in one text only: min_df=2 drops it
    p = m.predict_proba(["小区路灯坏了"])[0]
    np.testing.assert_allclose(m.proba_one("小区路灯坏了"), p, rtol=1e-5)  # the fast path reads the folded matrix
