"""Helpers for the similarity tests (a uniquely named module: `conftest` is ambiguous across test folders)."""

import importlib.util
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

from liandong.core.clock import CST
from liandong.supervision.similarity import SimilarityIndex

ROOT = Path(__file__).resolve().parents[3]
T0 = datetime(2026, 9, 30, 16, 0, tzinfo=CST)


def load_appeal_pairs():
    """tests/data/appeal_pairs.py, loaded by path (tests/ is not a package)."""
    name = "liandong_tests_appeal_pairs"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "data" / "appeal_pairs.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def build_background(count: int, seed: int = 11) -> SimilarityIndex:
    """An index of synthetic appeals long before T0, so that document frequencies look like a city's."""
    pairs = load_appeal_pairs()
    rng = random.Random(seed)
    streets = pairs.many_streets(40)
    start = T0 - timedelta(days=200)
    index = SimilarityIndex()
    index.add_many(
        (f"bg{i}", text, f"bg-caller{i % 1700}", street, start + timedelta(minutes=37 * i))
        for i, (street, text) in enumerate(pairs.synthetic_appeal(rng, streets) for _ in range(count))
    )
    return index
