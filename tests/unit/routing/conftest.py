from pathlib import Path

import pytest

from liandong.routing.router import load_router

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
CASES = REPO / "src" / "liandong" / "cities" / "demo" / "calls" / "routing_cases.jsonl"  # development cases
BLIND = REPO / "tests" / "data"  # the blind sets: never trained or tuned on


@pytest.fixture(scope="session")
def router():
    return load_router("demo")


@pytest.fixture
def route(router):
    def _route(text: str, channel: str = "12345"):
        return router.route(text, channel)

    return _route
