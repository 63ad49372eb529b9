"""The learned danger detector (人身危险模型研判): which emergency services a call may need, from the city's
labelled calls, for what the rules miss — and whether neither platform takes the call (引导解释).

The rules (`lexicon.py`, `danger.py`, `failsafe.py`) know the phrasings they were shown; on calls nobody has
read they send about 84 % of emergencies to an emergency service (docs/routing.md). Here one logistic
regression per service (110, 119, 120) is trained on the city's labelled calls (`calls.py`) over the routing
model's own features (words and character n-grams), so it costs a sparse dot product per appeal. Where the
decision has no emergency service and the detector's probability for one reaches its threshold, the service is
added and the decision goes to review (`policy.decide`). A fourth regression learns the calls neither platform
takes (gold []): where no rule fired, no keyword named a matter and it is sure, the caller is referred. A fifth
(JOINT) is trained only on the calls that need an emergency service and learns whether 12345 must act beside it
(a department, utility or regulator: a gas pipe, a lift, a slope, a dispute to mediate) — the commonest exact-set
difference the rules left. C and the thresholds were chosen by 5-fold cross-validation on the labelled calls
(bench/danger_model.py), not on the blind set.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from liandong.routing.calls import LabelledCall
from liandong.routing.text import normalise

SERVICES = ("110", "119", "120")
EMERGENCY = frozenset(SERVICES)
LIST_WEIGHT = 3.0  # a list item's example is the city's word; a call is one author's reading of the seeds
REFER = "refer"  # 引导解释: neither platform takes the call (gold [])
JOINT = "joint"  # 12345 acts beside the emergency service (learned only on calls that need one)
TARGETS = SERVICES + (REFER, JOINT)
C = 16.0
JOINT_C = 16.0
THRESHOLDS = {"110": 0.7, "119": 0.5, "120": 0.5}  # 110 higher: a needless police dispatch costs the offload
BESIDE_THRESHOLD = 0.7  # 119/120 added beside an emergency service the rules chose (CV: exact 0.786 → 0.795)
REFER_THRESHOLD = 0.8  # high: a matter referred away by mistake costs the caller (bench/danger_model.py --refer)
FLOORS = {"safety_net": 0.2, "failsafe": 0.2}  # below these the detector overrules an emergency guess (CV, --joint --off110)
JOINT_ADD, JOINT_DROP = 0.8, 0.3  # 12345 added beside / dropped from an emergency decision (CV: exact 0.855 → 0.863, --joint)


def wanted(call: LabelledCall, target: str) -> bool:
    if target == JOINT:
        return "12345" in call.gold
    return not call.gold if target == REFER else target in call.gold


def trains(call: LabelledCall, target: str) -> bool:
    """JOINT asks a question only of calls that need an emergency service; the other targets learn from all."""
    return target != JOINT or bool(call.gold & EMERGENCY)


class DangerModel:  # 人身危险模型
    def __init__(self, coef: np.ndarray, intercept: np.ndarray) -> None:
        self.coef_t = np.ascontiguousarray(coef.T)  # features × services
        self.intercept = intercept

    @classmethod
    def fit(cls, x, calls: tuple[LabelledCall, ...] | list[LabelledCall], c: float = C,
            joint_c: float = JOINT_C) -> DangerModel | None:
        """`x`: the routing model's features of the calls' normalised texts. None when a service has no example."""
        coef, intercept = [], []
        for target in TARGETS:
            rows = np.flatnonzero([trains(call, target) for call in calls])
            y = np.array([wanted(calls[i], target) for i in rows])
            if y.all() or not y.any():
                return None
            lr = LogisticRegression(C=joint_c if target == JOINT else c, max_iter=5000, class_weight="balanced").fit(
                x[rows], y, sample_weight=np.array([calls[i].weight for i in rows]))
            coef.append(lr.coef_[0])
            intercept.append(lr.intercept_[0])
        return cls(np.array(coef), np.array(intercept))

    def probabilities(self, x) -> np.ndarray:
        """appeals × TARGETS: the probability that each service must act, and that neither platform takes it."""
        return 1.0 / (1.0 + np.exp(-(np.asarray(x @ self.coef_t) + self.intercept)))

    def probabilities_row(self, idx: np.ndarray, vals: np.ndarray) -> np.ndarray:
        """The same for one appeal's row given as (columns, values)."""
        return 1.0 / (1.0 + np.exp(-(vals @ self.coef_t[idx] + self.intercept)))

    def save(self, path) -> None:
        np.savez(path, coef_t=self.coef_t, intercept=self.intercept)

    @classmethod
    def load(cls, path) -> DangerModel:
        data = np.load(path)
        return cls(data["coef_t"].T, data["intercept"])


def training_calls(city) -> list[LabelledCall]:
    """The city's labelled calls, and its list items' own examples (`list_examples`)."""
    return list(city.calls) + list_examples(city)


def list_examples(city) -> list[LabelledCall]:
    """The list items' own examples labelled with the item's services — the city's word on what each matter
    needs (配电箱门坏了电线露在外面 is a power repair, not a fire engine)."""
    return [LabelledCall(f"{it.code}#{i}", "12345", ex, frozenset(it.services), LIST_WEIGHT)
            for it in city.items for i, ex in enumerate(it.examples)]


def features_of_calls(model, calls) -> object:
    return model.transform([normalise(call.text) for call in calls])


def doubts(danger: dict[str, float] | None, services, floor_key: str) -> bool:
    """Whether the detector, where the city has one, gives every emergency service of `services` less than the
    floor `floor_key` names: the item classifier's safety net or the fail-safe's cue then stands alone against it
    (遛狗不拴绳，没咬人 → JC-A13 犬类伤人 at p=1.00, p110 = 0.08). The floors were chosen by CV (--off110)."""
    floor = FLOORS[floor_key]
    wanted_ = [danger.get(s, 0.0) for s in services if s in EMERGENCY] if danger else []
    return bool(wanted_) and max(wanted_) < floor


def suspected(probabilities: dict[str, float], thresholds: dict[str, float] = THRESHOLDS) -> list[str]:
    """The services whose probability reaches its threshold, in order."""
    return [s for s in SERVICES if probabilities.get(s, 0.0) >= thresholds[s]]
