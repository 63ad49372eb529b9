"""A city's hand-written phrasings (corpus.yaml): validated on load with file and line."""

import pytest

from liandong.core.errors import ConfigError
from liandong.routing.corpus import build_corpus
from liandong.routing.lists import load_city_routing
from liandong.routing.phrasings import load_phrasings


def test_phrasings_load_per_item_without_repeats(tmp_path):
    path = tmp_path / "corpus.yaml"
    path.write_text("items:\n  JC-A03:\n    - 路口那个灯不亮了\n    - 路口那个灯不亮了\n    - 红灯一直不变\n", encoding="utf-8")
    assert load_phrasings(path, {"JC-A03"}) == {"JC-A03": ("路口那个灯不亮了", "红灯一直不变")}


def test_an_unknown_item_code_is_refused_with_its_line(tmp_path):
    path = tmp_path / "corpus.yaml"
    path.write_text("items:\n  JC-A03:\n    - 灯坏了\n  JC-Z9:\n    - 什么\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_phrasings(path, {"JC-A03"})
    assert "JC-Z9" in str(err.value) and err.value.line == 4


@pytest.mark.parametrize("body", ["items: []\n", "items:\n  JC-A03: []\n", "items:\n  JC-A03:\n    - ''\n"])
def test_an_empty_or_malformed_file_is_refused(tmp_path, body):
    path = tmp_path / "corpus.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_phrasings(path, {"JC-A03"})


def test_a_missing_file_means_no_phrasings(tmp_path):
    assert load_phrasings(tmp_path / "corpus.yaml", {"JC-A03"}) == {}


def test_phrasings_enter_the_training_corpus_under_their_item():
    city = load_city_routing("demo")
    item = next(it for it in city.items if it.code == "JC-A03")
    texts, labels = build_corpus([item], phrasings={"JC-A03": ("那个十字路口的灯从早上就不亮了",)})
    mine = [lab for t, lab in zip(texts, labels) if "那个十字路口的灯从早上就不亮了" in t]
    assert mine == ["JC-A03", "JC-A03"]
