"""The learned detector overrules the item classifier's safety net and the fail-safe where it is sure there is
no emergency (danger_model.FLOORS): the off-110 class of dev-set misses found with CV predictions — a dog off
the lead that has bitten nobody (JC-A13 犬类伤人 at p=1.00), a shop that will not let tourists leave (不让走)."""

import pytest

from liandong.routing import policy
from liandong.routing.signals import detect
from liandong.routing.text import normalise


@pytest.fixture
def decide_with(router):
    def _decide(text, p):
        t = normalise(text)
        ranked = router._ranked(router.model.proba_of(router.model.transform([t])))[0]
        danger = {"110": p, "119": p, "120": p, "refer": 0.0, "joint": 0.5}
        return policy.decide(t, detect(t), policy.keyword_hits(router.index, t), ranked, router.index, "12345", danger=danger)

    return _decide


@pytest.mark.parametrize("text, cue", [
    ("我们楼有户人家的大狗老是不拴，在电梯里冲人叫，还没咬过谁", "安全网"),
    ("旅行社把我们拉到一家茶叶店，不买不让走", "熔断（兜底）"),
])
def test_a_sure_detector_keeps_a_guess_of_danger_off_110(decide_with, text, cue):
    assert decide_with(text, 0.6).services == ("110",)  # the detector unsure: the guess stands, as before
    low = decide_with(text, 0.05)
    assert low.services == ("12345",), low.reasons
    assert not any(r.startswith(cue) for r in low.reasons)


def test_without_a_detector_the_safety_net_still_acts(router):
    t = normalise("我们楼有户人家的大狗老是不拴，在电梯里冲人叫，还没咬过谁")
    ranked = router._ranked(router.model.proba_of(router.model.transform([t])))[0]
    d = policy.decide(t, detect(t), policy.keyword_hits(router.index, t), ranked, router.index, "12345", danger=None)
    assert "110" in d.services
