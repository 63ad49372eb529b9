"""The text classifier (文本分类模型): jieba words + character n-grams, TF-IDF, calibrated linear SVM.

With `nb=True` the SVM is an NB-SVM (Wang & Manning 2012): each class's one-vs-rest SVM sees the TF-IDF
features scaled by that class's naive-Bayes log-count ratio. The scaled SVM folds back into one weight matrix
(`w_k * r_k`), so prediction costs exactly what a plain linear SVM costs.

The same pipeline serves the routing model (trained on the shipped corpus) and `liandong model train`
(trained on a city's labelled history). Text is reduced to Chinese characters, digits and letters
first, so raw messages and pre-segmented, stop-word-stripped ones look alike to it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from liandong.routing.analyzer import Analyzer, domain_dictionary
from liandong.routing.features import FastTfidf

__all__ = ["Analyzer", "LinearModel", "TextClassifier", "domain_dictionary", "fingerprint", "fit_nbsvm", "log_count_ratios"]
MODEL_FILE = "model.pkl"
META_FILE = "meta.json"
_NB_MAX_ITER = 5000  # the scaled features converge slower than liblinear's default 1000 allows on long messages


def log_count_ratios(x, y: np.ndarray, classes: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Per class k, r_k = log((p_k/|p_k|) / (q_k/|q_k|)): p_k, q_k = alpha + documents in / outside k having each feature."""
    xb = sp.csr_matrix(x, copy=True)
    xb.data[:] = 1.0
    df = np.vstack([np.asarray(xb[y == k].sum(axis=0)).ravel() for k in classes])
    p = alpha + df
    q = alpha + (df.sum(axis=0) - df)
    return np.log(p / p.sum(axis=1, keepdims=True)) - np.log(q / q.sum(axis=1, keepdims=True))


class LinearModel:  # 线性模型（NB-SVM 折叠后的权重）
    """Scores `x @ coef_.T + intercept_`; what `fit_nbsvm` returns (the same attributes as LinearSVC's)."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, classes: np.ndarray) -> None:
        self.coef_, self.intercept_, self.classes_ = coef, intercept, classes

    def decision_function(self, x) -> np.ndarray:
        return np.asarray(x @ self.coef_.T) + self.intercept_

    def predict(self, x) -> np.ndarray:
        return self.classes_[self.decision_function(x).argmax(axis=1)]


def fit_nbsvm(x, y, c: float, balanced: bool = False, alpha: float = 1.0) -> LinearModel:
    """One-vs-rest NB-SVM: for each class an SVM on `x` scaled by its log-count ratios, folded back into one matrix."""
    y = np.asarray(y)
    classes = np.unique(y)
    if len(classes) < 3:  # two classes: one ratio vector, the plain binary case
        return LinearSVC(C=c, class_weight="balanced" if balanced else None).fit(x, y)
    r = log_count_ratios(x, y, classes, alpha)
    coef, intercept = np.empty((len(classes), x.shape[1]), dtype=np.float32), np.empty(len(classes))
    for i, k in enumerate(classes):
        svm = LinearSVC(C=c, class_weight="balanced" if balanced else None, max_iter=_NB_MAX_ITER).fit(
            x @ sp.diags(r[i]), (y == k).astype(int))
        coef[i] = svm.coef_.ravel() * r[i]
        intercept[i] = svm.intercept_[0]
    return LinearModel(coef, intercept, classes)


class TextClassifier:  # 文本分类器
    def __init__(self, vectorizer: TfidfVectorizer, model, labels: list[str], temperature: float = 1.0, meta: dict | None = None) -> None:
        self.vectorizer = vectorizer
        self.model = model
        self.labels = labels
        self.temperature = temperature
        self.meta = meta or {}

    @classmethod
    def fit(
        cls, texts: list[str], labels: list[str], *, analyzer: Analyzer | None = None, c: float = 0.5,
        calibrate: bool = True, balanced: bool = False, meta: dict | None = None, nb: bool = False, min_df: int = 1,
    ) -> TextClassifier:
        """`nb`: NB-SVM instead of a plain linear SVM; `min_df`: drop features seen in fewer training texts."""
        analyzer = analyzer or Analyzer()
        analyzer.learn(texts)
        vec = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=min_df, dtype=np.float32)
        x = vec.fit_transform(texts)

        def train(xs, ys):
            if nb:
                return fit_nbsvm(xs, ys, c, balanced)
            return LinearSVC(C=c, class_weight="balanced" if balanced else None).fit(xs, ys)

        model = train(x, labels)
        temperature = _fit_temperature(x, np.asarray(labels), train) if calibrate else 1.0
        return cls(vec, model, [str(k) for k in model.classes_], temperature, meta)

    def _fast_tfidf(self) -> FastTfidf | bool:
        fast = self.__dict__.get("_tfidf")
        if fast is None:
            vec = self.vectorizer
            fast = self._tfidf = FastTfidf(vec.analyzer, vec) if FastTfidf.supports(vec.analyzer, vec) else False
        return fast

    def _linear_parts(self) -> tuple[np.ndarray, np.ndarray] | bool:
        """(coefficients features × classes, intercepts) of a multi-class linear model, else False."""
        linear = self.__dict__.get("_linear")
        if linear is None:
            coef = getattr(self.model, "coef_", None)
            linear = self._linear = (np.ascontiguousarray(coef.T), self.model.intercept_) if coef is not None and coef.shape[0] > 1 else False
        return linear

    def transform(self, texts: list[str]):
        """The TF-IDF matrix of `texts`: the vectorizer's, built by `features.FastTfidf` where it can."""
        fast = self._fast_tfidf()
        return fast.transform(texts) if fast else self.vectorizer.transform(texts)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """One text's TF-IDF row as (columns, values), where `features.FastTfidf` applies; else None."""
        fast = self._fast_tfidf()
        return fast.row(text) if fast else None

    def proba_of(self, x) -> np.ndarray:
        """Probabilities from the features `transform` gave (so a caller can reuse them); the linear scores are
        computed here, as scikit-learn's `decision_function` does, without its per-call input checks."""
        linear = self._linear_parts()
        if not linear:
            return _softmax(self.model.decision_function(x), self.temperature)
        coef_t, intercept = linear
        return _softmax(np.asarray(x @ coef_t) + intercept, self.temperature)

    def proba_row(self, idx: np.ndarray, vals: np.ndarray) -> np.ndarray:
        """Probabilities for one row given as (columns, values)."""
        linear = self._linear_parts()
        if not linear:
            return self.proba_of(sp.csr_matrix((vals, idx, [0, len(idx)]), shape=(1, len(self.vectorizer.idf_))))[0]
        coef_t, intercept = linear
        return _softmax((vals @ coef_t[idx] + intercept)[None, :], self.temperature)[0]

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return self.proba_of(self.transform(texts))

    def proba_one(self, text: str) -> np.ndarray:
        """`predict_proba([text])[0]` without building a sparse matrix (one appeal in well under a millisecond)."""
        row = self.row(text)
        return self.proba_row(*row) if row is not None else self.predict_proba([text])[0]

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_tfidf", None)
        state.pop("_linear", None)
        return state

    def predict(self, texts: list[str]) -> list[str]:
        x = self.transform(texts)
        return [str(c) for c in self.model.predict(x)]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f".{MODEL_FILE}.{os.getpid()}"
        with open(tmp, "wb") as fh:
            pickle.dump({"vectorizer": self.vectorizer, "model": self.model, "labels": self.labels, "temperature": self.temperature}, fh, protocol=5)
        os.replace(tmp, directory / MODEL_FILE)
        (directory / META_FILE).write_text(json.dumps(self.meta | {"labels": self.labels, "temperature": self.temperature}, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> TextClassifier:
        with open(directory / MODEL_FILE, "rb") as fh:
            data = pickle.load(fh)  # noqa: S301 — our own file, written by save()
        meta_path = directory / META_FILE
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        return cls(data["vectorizer"], data["model"], data["labels"], data.get("temperature", 1.0), meta)


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    if scores.ndim == 1:  # two classes
        scores = np.stack([-scores, scores], axis=1)
    z = scores * temperature
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def _fit_temperature(x, y: np.ndarray, train, seed: int = 0) -> float:
    """Calibrate: the softmax temperature that best predicts a held-out fifth (least log-loss)."""
    rng = np.random.default_rng(seed)
    held = rng.random(len(y)) < 0.2
    if held.sum() < 10 or len(set(y[~held])) < len(set(y)):
        return 1.0
    svm = train(x[~held], y[~held])
    scores = svm.decision_function(x[held])
    idx = {k: i for i, k in enumerate(svm.classes_)}
    truth = np.array([idx[k] for k in y[held]])
    best, best_loss = 1.0, np.inf
    for t in (0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30):
        p = _softmax(scores, t)
        loss = -np.mean(np.log(p[np.arange(len(truth)), truth] + 1e-12))
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


def fingerprint(*parts: object) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(json.dumps(p, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
    return h.hexdigest()[:16]
