"""Cross-validation of the learned danger detector (routing/danger_model.py): choose C and the thresholds.

    PYTHONPATH=src .venv/bin/python bench/danger_model.py [--calls DIR] [--c 16]
    PYTHONPATH=src .venv/bin/python bench/danger_model.py --joint [--c 4 16] [--pairs]

The labelled calls are split into 5 stratified folds; for each, the detector is trained on the other four (and
on the list items' examples) and scores the held-out calls, and the rules' decisions on them (with the detector
switched off) get the services the detector adds. Run with an older `src/` on PYTHONPATH (e.g. a worktree of
5f6beb9) and `--calls` pointing at this tree's `src/liandong/cities/demo/calls` to measure on rules that the
calls had not yet been used to tune — the figures in docs/routing.md. `--joint` runs the whole `policy.decide`
on each held-out call with its fold's probabilities (so every use of the detector is as shipped) and chooses the
JOINT output's C and its add/drop thresholds for 12345 beside an emergency service.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from liandong.routing import policy  # noqa: E402
from liandong.routing.calls import LabelledCall  # noqa: E402
from liandong.routing.danger_model import JOINT_C, REFER, TARGETS, DangerModel, list_examples  # noqa: E402
from liandong.routing.router import load_router  # noqa: E402
from liandong.routing.text import normalise  # noqa: E402

E = ("110", "119", "120")
CALLS = Path(__file__).resolve().parent.parent / "src" / "liandong" / "cities" / "demo" / "calls"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=Path, default=CALLS)
    ap.add_argument("--c", type=float, nargs="+", default=[1.0, 4.0, 16.0])
    ap.add_argument("--beside", type=float, nargs="+", default=[9.0], help="119/120 thresholds beside the rules' emergency service (9 = off)")
    ap.add_argument("--refer", action="store_true", help="the referral output (gold []): its threshold, not the services'")
    ap.add_argument("--keywords", action="store_true", help="with --refer: also where a keyword named a matter")
    ap.add_argument("--joint", action="store_true", help="the JOINT output (12345 beside an emergency service), whole policy")
    ap.add_argument("--off110", action="store_true", help="with --joint: the detector's floors under the safety net and the fail-safe")
    ap.add_argument("--pairs", action="store_true", help="with --joint: the commonest gold → decided pairs of the shipped setting")
    args = ap.parse_args()
    policy.LEARNED = False  # the rules' decisions alone (an older policy has no such switch: harmless)
    cases = [json.loads(line) for path in sorted(args.calls.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    router = load_router("demo")
    decisions = router.route_many([{"text": c["text"], "channel": c.get("channel", "12345")} for c in cases])
    vec = router.model.vectorizer
    x = vec.transform([normalise(c["text"]) for c in cases])
    calls = [LabelledCall(str(i), c.get("channel", "12345"), c["text"], frozenset(c["gold"])) for i, c in enumerate(cases)]
    examples = list_examples(router.city)
    xe = vec.transform([normalise(e.text) for e in examples])
    folds = Folds(x, calls, xe, examples)
    if args.refer:
        return refer_cv(args, cases, decisions, router, folds)
    if args.joint:
        from joint_cv import joint_cv  # noqa: PLC0415

        return joint_cv(args, cases, router, folds)
    needs = np.array([bool(set(c["gold"]) & set(E)) for c in cases])
    for c in args.c:
        probs = folds.probabilities(needs, c)
        print(f"C={c} rules alone: {score(cases, decisions, probs, {s: 9.0 for s in E})}")
        for t110 in (0.6, 0.7, 0.8, 0.9):
            for t in (0.5, 0.6, 0.7, 0.8):
                for b in args.beside:
                    tau = {"110": t110, "119": t, "120": t, "beside": b}
                    print(f"C={c} 110≥{t110} 119/120≥{t} beside≥{b}: {score(cases, decisions, probs, tau)}")


class Folds:
    """5 stratified folds: the detector (`DangerModel.fit`, as the router trains it) on the other four and the
    list items' examples, each held-out call's probability per target."""

    def __init__(self, x, calls, xe, examples) -> None:
        self.x, self.calls, self.xe, self.examples = x, calls, xe, examples

    def probabilities(self, strata, c: float, joint_c: float = JOINT_C) -> dict[str, np.ndarray]:
        probs = {t: np.zeros(len(self.calls)) for t in TARGETS}
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(self.x, strata):
            model = DangerModel.fit(sp.vstack([self.x[train], self.xe]), [self.calls[i] for i in train] + self.examples, c, joint_c)
            for j, p in enumerate(model.probabilities(self.x[test]).T):
                probs[TARGETS[j]][test] = p
        return probs


def refer_cv(args, cases, decisions, router, folds: Folds) -> None:
    """The referral output as `policy.decide` uses it: only where the rules chose a matter with no emergency
    service, no signal fired and no keyword named the matter; a referral then replaces the matter."""
    from liandong.routing.policy import keyword_hits
    from liandong.routing.signals import ACTIVE, detect

    texts = [normalise(c["text"]) for c in cases]
    open_ = np.array([bool(d.services) and not set(d.services) & set(E) and (args.keywords or not keyword_hits(router.index, t))
                      and not any(h.state == ACTIVE for h in detect(t)) for d, t in zip(decisions, texts)])
    refer = np.array([not c["gold"] for c in cases])
    print(f"calls {len(cases)}, referrals {refer.sum()}, open to a learned referral {open_.sum()} "
          f"(of which referrals {(open_ & refer).sum()})")
    for c in args.c:
        p = folds.probabilities(refer, c)[REFER]
        base = sum(set(d.services) == set(k["gold"]) for d, k in zip(decisions, cases))
        for t in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
            turned = open_ & (p >= t)
            right, wrong = int((turned & refer).sum()), int((turned & ~refer).sum())
            exact = base + right - sum(set(decisions[i].services) == set(cases[i]["gold"]) for i in np.flatnonzero(turned & ~refer))
            print(f"C={c} refer≥{t}: referred {int(turned.sum())}, right {right}, wrong {wrong}, "
                  f"exact {base / len(cases):.3f} → {exact / len(cases):.3f}")


def score(cases, decisions, probs, tau) -> dict:
    hit = need = exact = non_police = kept = added = 0
    for i, (case, d) in enumerate(zip(cases, decisions)):
        got = set(d.services)
        if not got & set(E):
            new = {s for s in E if probs[s][i] >= tau[s]}
        else:  # 119/120 beside an emergency service the rules chose
            new = {s for s in ("119", "120") if s not in got and probs[s][i] >= tau.get("beside", 9.0)}
        got |= new
        added += len(new)
        gold = set(case["gold"])
        exact += gold == got
        if gold & set(E):
            need += 1
            hit += bool(got & set(E))
        if "110" not in gold:
            non_police += 1
            kept += "110" not in got
    return {"emergency_hit": round(hit / need, 3), "exact": round(exact / len(cases), 3),
            "off_110": round(kept / non_police, 3), "added": added}


if __name__ == "__main__":
    main()
