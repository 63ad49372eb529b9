"""`bench/danger_model.py --joint`: 5-fold CV of the JOINT output (12345 beside an emergency service).

Unlike the other modes, which add the detector's services to the rules' decisions by a simplified copy of the
policy, this runs `policy.decide` itself on each held-out call with its fold's probabilities: the JOINT step
comes after every other use of the detector (services added, 12345 dropped beside a model-added service, the
conventions), so only the whole policy measures it honestly. Rows: rules alone, the shipped detector without
JOINT, then C × add × drop; with `--off110`, the floors below which the detector overrules the item
classifier's safety net and the fail-safe (danger_model.FLOORS), each varied with the other as shipped.
"""

from __future__ import annotations

from collections import Counter

from liandong.core.types import desk_of
from liandong.routing import danger_model, policy
from liandong.routing.danger_model import TARGETS
from liandong.routing.policy import keyword_hits
from liandong.routing.signals import detect
from liandong.routing.text import normalise, validate

E = frozenset({"110", "119", "120"})
ADD = (0.5, 0.6, 0.7, 0.8, 0.9)
DROP = (0.05, 0.1, 0.2, 0.3, 0.4)
FLOOR = (0.0, 0.02, 0.05, 0.1, 0.2, 0.3)


def joint_cv(args, cases, router, folds) -> None:
    texts, desks = [], []
    for c in cases:
        clean, chan = validate(c["text"], c.get("channel", "12345"))
        texts.append(normalise(clean))
        desks.append(desk_of(chan))
    ranked = router._ranked(router.model.proba_of(router.model.transform(texts)))
    hits = [detect(t) for t in texts]
    kws = [keyword_hits(router.index, t) for t in texts]
    needs = [bool(set(c["gold"]) & E) for c in cases]

    def run(probs, learned: bool, joint: bool, add: float = danger_model.JOINT_ADD, drop: float = danger_model.JOINT_DROP) -> list[set[str]]:
        policy.LEARNED, policy.LEARNED_JOINT, danger_model.JOINT_ADD, danger_model.JOINT_DROP = learned, joint, add, drop
        return [set(policy.decide(t, h, k, r, router.index, d, danger={g: float(probs[g][i]) for g in TARGETS}).services)
                for i, (t, h, k, r, d) in enumerate(zip(texts, hits, kws, ranked, desks))]

    if args.off110:
        probs = folds.probabilities(needs, 16.0, danger_model.JOINT_C)
        base = run(probs, True, True)
        shipped = dict(danger_model.FLOORS)
        for key in shipped:
            for floor in FLOOR:
                danger_model.FLOORS.update(shipped, **{key: floor})
                print(f"floor {key}={floor}: {score(cases, run(probs, True, True), base)}")
        danger_model.FLOORS.update(shipped)
        return pairs(cases, base) if args.pairs else None
    for c in args.c:
        probs = folds.probabilities(needs, 16.0, c)
        if c == args.c[0]:
            print(f"rules alone: {score(cases, run(probs, False, False))}")
            base = run(probs, True, False)
            print(f"detector, no JOINT: {score(cases, base)}")
        for add in ADD:
            for drop in DROP:
                print(f"JOINT C={c} add≥{add} drop≤{drop}: {score(cases, run(probs, True, True, add, drop), base)}")
    if args.pairs:
        pairs(cases, run(probs, True, True))


def score(cases, got: list[set[str]], base: list[set[str]] | None = None) -> dict:
    need = hit = exact = non_police = kept = missed = extra = 0
    for case, g in zip(cases, got):
        gold = set(case["gold"])
        exact += gold == g
        if gold & E:
            need += 1
            hit += bool(g & E)
            missed += "12345" in gold and "12345" not in g
            extra += "12345" in g and "12345" not in gold
        if "110" not in gold:
            non_police += 1
            kept += "110" not in g
    out = {"emergency_hit": round(hit / need, 3), "exact": round(exact / len(cases), 3),
           "off_110": round(kept / non_police, 3), "12345_missed": missed, "12345_extra": extra}
    if base is not None:
        out["changed"] = sum(a != b for a, b in zip(got, base))
    return out


def pairs(cases, got: list[set[str]]) -> None:
    """The commonest exact-set errors, gold → decided, and the off-110 ones (110 sent, not in gold)."""
    wrong = Counter(("+".join(sorted(case["gold"])) or "[]", "+".join(sorted(g)) or "[]")
                    for case, g in zip(cases, got) if set(case["gold"]) != g)
    for (gold, g), n in wrong.most_common(25):
        print(f"{n:4d}  {gold} → {g}")
