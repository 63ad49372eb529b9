"""Figures for `liandong model train|eval` on the TipDM 2020 C messages (../shared/data/tipdm2020c).

    PYTHONPATH=src .venv/bin/python bench/tipdm_model.py [--c 3] [--min-df 3] [--no-nb] [--title-words 10]
        [--resegment] [--no-hmm]

The model is built by `routing.history.fit_history`, as `liandong model train` builds it; the defaults are its.

1. 5-fold stratified cross-validation macro-F1 on `train_segmented.csv` (pre-segmented, stop words removed);
2. raw text: `dev_raw.csv` messages also occur (segmented) in the training file, so their twins are found
   (nearest neighbour on character bigrams) and removed from training; the model is then scored on the raw
   messages, and on their segmented twins for comparison.
The data stays in ../shared; nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from liandong.routing.history import DEFAULTS, fit_history
from liandong.routing.text import content_chars

_REPO = Path(__file__).resolve().parents[1]
_SHARED = [_REPO.parent / "shared", _REPO.parent.parent / "shared"]  # beside the checkout, or beside a worktree's parent
DATA = next((s for s in _SHARED if s.exists()), _SHARED[0]) / "data" / "tipdm2020c"
csv.field_size_limit(sys.maxsize)


OPTS = dict(DEFAULTS)


def fit(texts, labels):
    return fit_history(texts, labels, calibrate=False, **OPTS)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--c", type=float, default=OPTS["c"])
    ap.add_argument("--min-df", type=int, default=OPTS["min_df"])
    ap.add_argument("--nb", action=argparse.BooleanOptionalAction, default=OPTS["nb"])
    ap.add_argument("--title-words", type=int, default=OPTS["title_words"])
    ap.add_argument("--resegment", dest="given_tokens", action="store_false", default=OPTS["given_tokens"],
                    help="re-segment pre-segmented training text with jieba instead of keeping its tokens")
    ap.add_argument("--hmm", action=argparse.BooleanOptionalAction, default=OPTS["hmm"])
    args = ap.parse_args()
    OPTS.update(c=args.c, min_df=args.min_df, nb=args.nb, title_words=args.title_words, given_tokens=args.given_tokens,
                hmm=args.hmm)
    if not DATA.exists():
        sys.exit(f"no data at {DATA}")
    train = list(csv.DictReader(open(DATA / "train_segmented.csv", encoding="utf-8")))
    dev = list(csv.DictReader(open(DATA / "dev_raw.csv", encoding="utf-8")))
    x, y = [r["text"] for r in train], [r["label"] for r in train]
    t0 = time.time()
    folds = []
    for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
        m = fit([x[i] for i in a], [y[i] for i in a])
        folds.append(f1_score([y[i] for i in b], m.predict([x[i] for i in b]), average="macro"))
    print(f"cv folds: {[round(f, 4) for f in folds]}", file=sys.stderr, flush=True)
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 2))
    train_m = vec.fit_transform([content_chars(t) for t in x])
    sims = vec.transform([content_chars(r["text"]) for r in dev]) @ train_m.T
    twins = np.asarray(sims.argmax(axis=1)).ravel()
    drop = set(twins.tolist())
    m = fit([t for i, t in enumerate(x) if i not in drop], [lab for i, lab in enumerate(y) if i not in drop])
    gold = [r["label"] for r in dev]
    raw = m.predict([r["text"] for r in dev])
    seg = m.predict([x[i] for i in twins])
    print(json.dumps({
        "cv_macro_f1": round(float(np.mean(folds)), 4), "cv_folds": [round(f, 4) for f in folds],
        "dev_raw_heldout_macro_f1": round(f1_score(gold, raw, average="macro"), 4),
        "dev_raw_heldout_accuracy": round(accuracy_score(gold, raw), 4),
        "dev_twins_segmented_macro_f1": round(f1_score(gold, seg, average="macro"), 4),
        "twin_label_agreement": float(np.mean([y[i] == g for i, g in zip(twins, gold)])),
        "train_rows_without_twins": len(x) - len(drop), "options": OPTS, "seconds": round(time.time() - t0, 1),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
