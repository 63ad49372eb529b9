"""Fixtures for supervision tests: a city-like background index for the similarity tests."""

import pytest
from similarity_helpers import build_background


@pytest.fixture
def city_index():
    return build_background(3000)
