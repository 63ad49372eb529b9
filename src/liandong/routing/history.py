"""The category model `liandong model train` builds from a city's labelled history (历史诉求分类模型).

One function, so the CLI and `bench/tipdm_model.py` build exactly the same model. The defaults were chosen by
5-fold CV on the TipDM 2020 C messages (docs/routing.md, "Category model on the TipDM 2020 C messages"):
NB-SVM over words, character 1–2-grams and title features (the first ten words again), class-balanced;
pre-segmented training text is taken as its own tokens and raw text is segmented by jieba with its HMM, only
words seen in training kept. The routing model (`routing.router`) does not use this: it has its own analyzer.
"""

from __future__ import annotations

from liandong.routing.analyzer import Analyzer
from liandong.routing.classifier import TextClassifier

DEFAULTS = {"c": 3.0, "min_df": 3, "nb": True, "title_words": 10, "given_tokens": True, "hmm": True}


def fit_history(
    texts: list[str], labels: list[str], *, calibrate: bool = True, meta: dict | None = None,
    c: float = DEFAULTS["c"], min_df: int = DEFAULTS["min_df"], nb: bool = DEFAULTS["nb"],
    title_words: int = DEFAULTS["title_words"], given_tokens: bool = DEFAULTS["given_tokens"],
    hmm: bool = DEFAULTS["hmm"],
) -> TextClassifier:
    """Train on `texts` (raw or pre-segmented) and `labels`; `meta` is stored beside the model."""
    analyzer = Analyzer(None, char_max=2, known_only=True, given_tokens=given_tokens, hmm=hmm, title_words=title_words)
    return TextClassifier.fit(texts, labels, analyzer=analyzer, c=c, balanced=True, calibrate=calibrate,
                              min_df=min_df, nb=nb, meta=meta)
