"""The router (分流引擎): loads a city's lists and model once, then routes appeals.

The model is trained at first use from the shipped corpus and cached under `var/models/` (or
`$LIANDONG_VAR_DIR/models/`), keyed by a hash of the corpus, the library versions and the pipeline
version; a fresh clone needs no manual step, and later loads only unpickle (well under a second).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import jieba
import numpy as np
import sklearn

from liandong.core.types import desk_of
from liandong.routing.classifier import MODEL_FILE, Analyzer, TextClassifier, domain_dictionary, fingerprint
from liandong.routing.corpus import build_corpus
from liandong.routing.danger_model import C as DANGER_C, JOINT_C, TARGETS as DANGER_TARGETS, DangerModel, features_of_calls, training_calls
from liandong.routing.decision import RoutingDecision
from liandong.routing.lists import CityRouting, load_city_routing
from liandong.routing.policy import CityIndex, build_index, decide, keyword_hits
from liandong.routing.signals import detect
from liandong.routing.text import normalise, validate

PIPELINE_VERSION = 6
T = TypeVar("T")
TOP_K = 5


def var_dir() -> Path:
    return Path(os.environ.get("LIANDONG_VAR_DIR") or Path.cwd() / "var")


def corpus_items(city: CityRouting):
    return [it for it in city.items if not (it.signals and "+" in it.direction)]


def train_city_model(city: CityRouting) -> TextClassifier:
    texts, labels = build_corpus(corpus_items(city), phrasings=city.phrasings)
    words = domain_dictionary(texts, [k for it in city.items for k in it.keywords])
    return TextClassifier.fit(texts, labels, analyzer=Analyzer(words, char_max=2), c=0.5, calibrate=True)


def _once(path: Path, lock: Path, load: Callable[[], T], train: Callable[[], T]) -> T:
    """`load()` if `path` exists, else `train()` under the file lock `lock`: one process trains, the others wait
    for it, then load what it saved."""
    if path.exists():
        return load()
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        return load() if path.exists() else train()


def city_model(city: CityRouting) -> TextClassifier:
    """The cached model for this city's corpus, trained (once, under a file lock) if absent."""
    texts, labels = build_corpus(corpus_items(city), phrasings=city.phrasings)
    key = fingerprint(texts, labels, sklearn.__version__, jieba.__version__, PIPELINE_VERSION)
    directory = var_dir() / "models" / f"routing-{city.city}-{key}"

    def train() -> TextClassifier:
        model = train_city_model(city)
        model.meta = {"city": city.city, "corpus_key": key, "examples": len(texts)}
        model.save(directory)
        return model

    return _once(directory / MODEL_FILE, directory.parent / f".{directory.name}.lock", lambda: TextClassifier.load(directory), train)


def danger_model(city: CityRouting, model: TextClassifier) -> DangerModel | None:
    """The learned danger detector for the city's labelled calls over this model's features, cached like the model."""
    if not city.calls:
        return None
    calls = training_calls(city)
    key = fingerprint(model.meta.get("corpus_key"), [(c.text, sorted(c.gold), c.weight) for c in calls], DANGER_C, JOINT_C, DANGER_TARGETS,
                      PIPELINE_VERSION)
    path = var_dir() / "models" / f"danger-{city.city}-{key}.npz"

    def train() -> DangerModel | None:
        found = DangerModel.fit(features_of_calls(model, calls), calls)
        if found is not None:
            tmp = path.with_name(f".{path.stem}.{os.getpid()}.npz")
            found.save(tmp)
            os.replace(tmp, path)
        return found

    return _once(path, path.with_name(f".{path.stem}.lock"), lambda: DangerModel.load(path), train)


class Router:  # 分流引擎
    def __init__(self, city: CityRouting, model: TextClassifier, danger: DangerModel | None = None) -> None:
        self.city = city
        self.model = model
        self.danger = danger
        self.index: CityIndex = build_index(city.items, city.review_below)
        self._label_list = [str(c) for c in model.labels]
        model.predict_proba(["预热"])  # builds the tokenizer now, not on the first appeal

    def _ranked(self, probs: np.ndarray) -> list[list[tuple[str, float]]]:
        """Per row of `probs` (appeals × items) its TOP_K items, best first, as (code, probability)."""
        k = min(TOP_K, probs.shape[1])
        top = np.argpartition(-probs, k - 1, axis=1)[:, :k]
        rows = np.arange(len(probs))[:, None]
        top = top[rows, np.argsort(-probs[rows, top], axis=1, kind="stable")]
        labels = self._label_list
        return [[(labels[i], p) for i, p in zip(idx, ps)] for idx, ps in zip(top.tolist(), probs[rows, top].tolist())]

    def route(self, text: str, channel: str = "12345", region: str | None = None) -> RoutingDecision:
        """Route one appeal; raises InvalidInput for empty, oversized, non-Chinese text or unknown channel."""
        return self.route_many([{"text": text, "channel": channel, "region": region}])[0]

    def route_many(self, items: Iterable[dict | tuple]) -> list[RoutingDecision]:
        """Route many appeals at once (one model call); items are dicts (text, channel) or (text, channel) tuples.

        Invalid input raises for the first bad item; callers that need per-item errors route one by one.
        """
        prepared = []
        for item in items:
            if isinstance(item, dict):
                text, channel = item.get("text"), item.get("channel", "12345")
            else:
                text, channel = (item[0], item[1] if len(item) > 1 else "12345")
            clean, chan = validate(text, channel)
            prepared.append((normalise(clean), desk_of(chan)))
        if not prepared:
            return []
        row = self.model.row(prepared[0][0]) if len(prepared) == 1 else None
        if row is not None:  # one appeal: no sparse matrix, no scikit-learn call (latency)
            probs = self.model.proba_row(*row)[None, :]
            danger = [self.danger.probabilities_row(*row).tolist()] if self.danger else [None]
        else:
            x = self.model.transform([t for t, _ in prepared])
            probs = self.model.proba_of(x)
            danger = self.danger.probabilities(x).tolist() if self.danger else [None] * len(prepared)
        return [decide(text, detect(text), keyword_hits(self.index, text), ranked, self.index, desk,
                       danger=dict(zip(DANGER_TARGETS, d)) if d is not None else None)
                for (text, desk), ranked, d in zip(prepared, self._ranked(probs), danger)]


@lru_cache(maxsize=8)
def load_router(city: str = "demo") -> Router:
    """The router for a city, cached per city: lists validated, model loaded (or trained once)."""
    routing = load_city_routing(city)
    model = city_model(routing)
    return Router(routing, model, danger_model(routing, model))
