"""`model train` on pre-segmented messages, `model eval` on raw ones (TipDM 2020 C, in ../shared)."""

import csv
import json
import sys

import pytest
from typer.testing import CliRunner

from liandong.cli.model import app as model_app

from .conftest import REPO

_SHARED = [REPO.parent / "shared", REPO.parent.parent / "shared"]  # beside the checkout, or beside a worktree's parent
DATA = next((s for s in _SHARED if s.exists()), _SHARED[0]) / "data" / "tipdm2020c"


@pytest.mark.slow
def test_segmented_train_raw_eval(tmp_path):
    if not (DATA / "train_segmented.csv").exists():
        pytest.skip(f"TipDM data not found at {DATA} (the ../shared checkout is absent)")
    csv.field_size_limit(sys.maxsize)
    with open(DATA / "dev_raw.csv", encoding="utf-8") as fh:
        dev = list(csv.DictReader(fh))[:300]
    with open(DATA / "train_segmented.csv", encoding="utf-8") as fh:
        train = list(csv.DictReader(fh))[::3]  # a third, to keep the test short
    with open(tmp_path / "train.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["text", "label"])
        w.writeheader()
        w.writerows({"text": r["text"], "label": r["label"]} for r in train)
    runner = CliRunner()
    out = tmp_path / "model"
    r = runner.invoke(model_app, ["train", "--csv", str(tmp_path / "train.csv"), "--text-col", "text", "--label-col", "label", "--out", str(out)])
    assert r.exit_code == 0, r.output
    with open(tmp_path / "dev.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "text", "label"])
        w.writeheader()
        w.writerows(dev)
    r = runner.invoke(model_app, ["eval", "--model", str(out), "--csv", str(tmp_path / "dev.csv"), "--text-col", "text", "--label-col", "label", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["macro_f1"] >= 0.85


def _write(path, rows, fields):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


@pytest.mark.slow
def test_default_model_on_raw_dev_without_twins(tmp_path):
    """`model train` with its defaults on the whole training file minus the dev messages' segmented twins,
    `model eval --json` on the 740 raw dev messages: the floor reached on 2026-12-03 (docs/routing.md)."""
    if not (DATA / "train_segmented.csv").exists():
        pytest.skip(f"TipDM data not found at {DATA} (the ../shared checkout is absent)")
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from liandong.routing.text import content_chars

    csv.field_size_limit(sys.maxsize)
    with open(DATA / "dev_raw.csv", encoding="utf-8") as fh:
        dev = list(csv.DictReader(fh))
    with open(DATA / "train_segmented.csv", encoding="utf-8") as fh:
        train = list(csv.DictReader(fh))
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 2))  # twins as bench/tipdm_model.py finds them
    tm = vec.fit_transform([content_chars(r["text"]) for r in train])
    twins = set(np.asarray((vec.transform([content_chars(r["text"]) for r in dev]) @ tm.T).argmax(axis=1)).ravel().tolist())
    _write(tmp_path / "train.csv", [r for i, r in enumerate(train) if i not in twins], ["text", "label"])
    _write(tmp_path / "dev.csv", dev, ["id", "text", "label"])
    runner, out = CliRunner(), tmp_path / "model"
    r = runner.invoke(model_app, ["train", "--csv", str(tmp_path / "train.csv"), "--text-col", "text", "--label-col", "label", "--out", str(out)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(model_app, ["eval", "--model", str(out), "--csv", str(tmp_path / "dev.csv"), "--text-col", "text", "--label-col", "label", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["macro_f1"] >= 0.94  # 0.945 measured; the old default (plain SVM) scored 0.926
