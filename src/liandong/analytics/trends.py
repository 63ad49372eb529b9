"""Trend warnings (趋势预警), pure: a day's count of a series (category × street, or a desk's count of a
street) against the count expected from its own recent past.

Why a Poisson test, not EWMA or CUSUM: a category × street series counts a handful of appeals a day,
often 0–5. EWMA and CUSUM assume roughly normal noise around a level and need a tuned reference value
and threshold per series; on small integer counts they alarm on single stray appeals or, tuned down,
react days late. Counts of independent callers are close to Poisson, whose upper tail P(X ≥ x | λ) is
exact for small counts, so one significance level α sets the false-alarm rate of every series alike
(about α × days of alarms per series when nothing happens). The baseline is working-day aware: working
days are compared with the mean of the last `window` working days times the series' own weekday
profile (learnt over the last `weekday_window` working days: Mondays are busier), rest days (weekends, holidays) with
the mean of the rest days of the last `rest_window` calendar days — a Monday is not a surge because
Sunday was quiet. Days already flagged are left out of the baseline, so a surge does not teach the
detector that it is normal. To see a surge within one working day, the test also runs on the sum of the
day and the working day before it (a second chance with twice the evidence), each at α.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Callable, Sequence


@dataclass(frozen=True)
class TrendPolicy:  # 预警参数
    alpha: float = 0.005  # significance of one test (a day, or the day with the working day before)
    window: int = 30  # working days of baseline
    rest_window: int = 56  # calendar days over which rest days are averaged
    min_count: int = 4  # fewer appeals than this never make a 高发 (sparse series: see 新发)
    min_ratio: float = 1.5  # nor a count below 1.5 × expected
    floor: float = 0.3  # λ never below this (a series with no past: see 新发)
    min_history: int = 10  # days of baseline a series needs before 高发 is judged
    weekday_window: int = 60  # working days over which the weekday profile is learnt (Mondays busier)
    weekday_prior: float = 4.0
    new_k: int = 3  # 新发: k appeals in a day with none in the last `new_quiet` days
    new_quiet: int = 28


@dataclass(frozen=True)
class Flag:  # one day judged high
    day: date
    count: int
    expected: float
    p_value: float
    window_days: int  # 1: the day alone; 2: with the working day before


def poisson_sf(x: int, lam: float) -> float:
    """P(X ≥ x) for X ~ Poisson(λ)."""
    if x <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    log_term, cdf = -lam, 0.0
    for k in range(x):
        if k:
            log_term += math.log(lam) - math.log(k)
        cdf += math.exp(log_term)
    return max(0.0, 1.0 - cdf)


def detect_high(days: Sequence[date], counts: Sequence[int], is_working: Callable[[date], bool],
                policy: TrendPolicy = TrendPolicy(), judge_from: int = 0) -> list[Flag]:
    """The days from index `judge_from` on whose count is significantly above the working-day-aware
    baseline (高发). `days` are consecutive calendar days and `counts` their counts."""
    flags: list[Flag] = []
    flagged: set[int] = set()
    work_idx: list[int] = []
    for i, day in enumerate(days):
        working = is_working(day)
        lam = _baseline(i, days, counts, working, work_idx, flagged, is_working, policy)
        if working:
            work_idx.append(i)
        if i < judge_from or lam is None:
            continue
        x = counts[i]
        lam_used = max(lam, policy.floor)
        best: Flag | None = None
        if x >= policy.min_count and x >= policy.min_ratio * lam_used:
            p = poisson_sf(x, lam_used)
            if p < policy.alpha:
                best = Flag(day, x, lam_used, p, 1)
        prev = work_idx[-2] if working and len(work_idx) >= 2 else None
        if best is None and prev is not None and i - 1 not in flagged:
            lam_prev = _baseline(prev, days, counts, True, work_idx[:-2], flagged, is_working, policy)
            if lam_prev is not None:
                x2, lam2 = x + counts[prev], lam_used + max(lam_prev, policy.floor)
                if x2 >= 2 * policy.min_count and x2 >= policy.min_ratio * lam2 and x >= policy.min_ratio * lam_used:
                    p2 = poisson_sf(x2, lam2)
                    if p2 < policy.alpha:
                        best = Flag(day, x2, lam2, p2, 2)
        if best is not None:
            flags.append(best)
            flagged.add(i)
    return flags


def _baseline(i: int, days, counts, working: bool, work_idx: list[int], flagged: set[int], is_working,
              policy: TrendPolicy) -> float | None:
    if working:
        past = [j for j in work_idx[-policy.window:] if j not in flagged]
        if len(past) < policy.min_history:
            return None
        level = sum(counts[j] for j in past) / len(past)
        return level * _weekday_factor(days[i].weekday(), days, counts, work_idx, flagged, policy)
    else:
        past = [j for j in range(max(0, i - policy.rest_window), i)
                if not is_working(days[j]) and j not in flagged]
    if len(past) < (policy.min_history if working else max(2, policy.min_history // 4)):
        return None
    return sum(counts[j] for j in past) / len(past)


def _weekday_factor(weekday: int, days, counts, work_idx: list[int], flagged: set[int], policy: TrendPolicy) -> float:
    """How much busier this weekday is than the average working day (Mondays are), over the last
    `weekday_window` working days, shrunk towards 1 by `weekday_prior` pseudo-days."""
    past = [j for j in work_idx[-policy.weekday_window:] if j not in flagged]
    if not past:
        return 1.0
    mean = sum(counts[j] for j in past) / len(past)
    same = [counts[j] for j in past if days[j].weekday() == weekday]
    if mean <= 0:
        return 1.0
    m = policy.weekday_prior
    return (sum(same) + m * mean) / ((len(same) + m) * mean)


def detect_new(days: Sequence[date], counts: Sequence[int], policy: TrendPolicy = TrendPolicy(),
               judge_from: int = 0) -> list[Flag]:
    """新发: a day with at least k appeals of a series that had none in the `new_quiet` days before."""
    out = []
    for i in range(max(judge_from, policy.new_quiet), len(days)):
        if counts[i] >= policy.new_k and not any(counts[i - policy.new_quiet:i]):
            out.append(Flag(days[i], counts[i], 0.0, 0.0, 1))
    return out


def rising_together(a: Sequence[int], a_expected: float, b: Sequence[int], b_expected: float,
                    alpha: float = 0.01, min_ratio: float = 1.5) -> tuple[float, float] | None:
    """矛盾纠纷: two desks' counts of one place over the same days (12345 appeals and 110 orders), each
    significantly above its own expected count; the p-values, or None when they do not rise together."""
    xa, xb = sum(a), sum(b)
    la, lb = max(a_expected, 0.3), max(b_expected, 0.3)
    if xa < min_ratio * la or xb < min_ratio * lb:
        return None
    pa, pb = poisson_sf(xa, la), poisson_sf(xb, lb)
    return (pa, pb) if pa < alpha and pb < alpha else None
