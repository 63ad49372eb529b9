"""The learned danger detector: city data validated on load; it adds an emergency service only where the rules
left none, always with review; single and batch routing agree."""

import json

import numpy as np
import pytest

from liandong.core.errors import ConfigError
from liandong.routing.calls import load_calls, read_calls
from liandong.routing.danger_model import THRESHOLDS, suspected
from liandong.routing.lists import load_city_routing
from liandong.routing.policy import decide
from liandong.routing.signals import detect
from liandong.routing.text import normalise

from .conftest import CASES


def _decide(router, text, danger):
    text = normalise(text)
    ranked = router._ranked(router.model.predict_proba([text]))[0]
    from liandong.routing.policy import keyword_hits
    return decide(text, detect(text), keyword_hits(router.index, text), ranked, router.index, "12345", danger=danger)


def test_a_bad_labelled_call_is_refused_with_file_and_line(tmp_path):
    path = tmp_path / "calls.jsonl"
    path.write_text('{"id": "a", "text": "路灯坏了", "gold": ["12345"]}\n{"id": "b", "text": "着火了", "gold": ["999"]}\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_calls(path)
    assert f"{path}:2" in str(err.value) and "gold" in str(err.value)
    path.write_text('{"id": "a", "text": "路灯坏了", "gold": [\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=":1"):
        read_calls(path)
    assert load_calls(tmp_path / "absent") == ()


def test_the_demo_city_trains_on_its_development_cases():
    city = load_city_routing("demo")
    assert len(city.calls) >= 1600
    assert {c.id for c in city.calls} >= {"b001", "r001"}


def test_thresholds_decide_which_services_are_suspected():
    below = {s: t - 0.01 for s, t in THRESHOLDS.items()}
    assert suspected({**below, "119": THRESHOLDS["119"]}) == ["119"]
    assert suspected(below) == []
    assert suspected({"110": THRESHOLDS["110"], "119": 0.0, "120": 0.95}) == ["110", "120"]
    assert suspected({}) == []


def test_the_detector_adds_its_service_with_review_where_the_rules_left_none(router):
    quiet = "小区门口的路灯坏了好几天了"
    plain = _decide(router, quiet, None)
    assert plain.services == ("12345",)
    d = _decide(router, quiet, {"110": 0.95, "119": 0.1, "120": 0.7})
    assert d.services == ("110", "120", "12345") and d.review
    assert any("模型研判" in r and "110" in r for r in d.reasons)


def test_the_detector_does_not_overrule_what_the_rules_judged(router):
    denied = _decide(router, "楼下没有人受伤，就是车刮了一下", {"110": 0.1, "119": 0.1, "120": 0.99})
    assert "120" not in denied.services  # a negated injury stays negated
    fire = _decide(router, "楼下饭店着火了", {"110": 0.99, "119": 0.1, "120": 0.1})
    assert "110" not in fire.services  # an emergency service is already there: nothing added


def test_one_appeal_and_a_batch_get_the_same_decisions(router):
    texts = [json.loads(line)["text"] for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    batch = router.route_many([{"text": t} for t in texts])
    assert [router.route(t) for t in texts] == batch


def test_the_single_row_is_the_matrix_row(router):
    model = router.model
    texts = [normalise(t) for t in ("小区门口的路灯坏了", "有人在铁轨上走", "完全无关")]
    x = model.transform(texts).toarray()
    for i, text in enumerate(texts):
        idx, vals = model.row(text)
        dense = np.zeros(x.shape[1])
        dense[idx] = vals
        assert np.abs(dense - x[i]).max() < 1e-6
        assert np.abs(router.danger.probabilities_row(idx, vals) - router.danger.probabilities(x[i : i + 1])[0]).max() < 1e-6


def test_a_guessed_department_matter_gives_way_to_the_emergency_service_added(router):
    guessed = _decide(router, "小区门口的路灯坏了好几天了", {"110": 0.1, "119": 0.1, "120": 0.95})
    assert "120" in guessed.services  # the lamp keyword names the matter: 12345 stays
    assert "12345" in guessed.services
    vague = _decide(router, "楼下那个老人不太对劲", {"110": 0.1, "119": 0.1, "120": 0.95})
    assert vague.services == ("120",) and vague.review
    assert any("转警/转急救" in r for r in vague.reasons)
