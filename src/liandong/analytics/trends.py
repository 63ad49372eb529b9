"""Trend warnings (趋势预警), pure: a day's count of a series (category × street, or a desk's count of a
street) against the count expected from its own recent past.

Why a count test on the expected count, not EWMA or CUSUM: a category × street series counts a handful
of appeals a day, often 0–5. EWMA and CUSUM assume roughly normal noise around a level and need a tuned
reference value and threshold per series; on small integer counts they alarm on single stray appeals or,
tuned down, react days late (and a surge must be seen within one working day). The upper tail of the
count's distribution is exact for small counts, so one significance level sets the false-alarm rate of
every series alike. The distribution is Poisson widened by what is not Poisson (`_predictive`): the
expected count is itself estimated from a few weeks of a few appeals a day (its error is as large as the
day's noise on a quiet series), and day-to-day conditions vary a little (`dispersion`); both as a negative
binomial with the same mean and the summed variance. A plain Poisson test on an estimated mean alarms
more often than its α says, which is what kept the older detector's α low and its ×2 detection weak.

The baseline is working-day aware: working days are compared with the mean of the last `window` working
days times the series' own weekday profile (learnt over the last `weekday_window` working days: Mondays
are busier), rest days (weekends, holidays) with the mean of the rest days of the last `rest_window`
calendar days — a Monday is not a surge because Sunday was quiet. Days already flagged are left out of
the baseline, so a surge does not teach the detector that it is normal.

Two tests, so that a surge is seen within one working day: the day alone (at `alpha`: a jump that is
plain on its first day), and on a working day the window from the previous working day to this one,
rest days between included (at `alpha_window`: a surge that began on the previous working day has
there twice the evidence or more — a Friday's surge is judged on Monday with its weekend). The window
test asks that today is at least its expected count (still raised), so one odd day yesterday alone is
left to the one-day test. This is the likelihood-ratio test of a step that began on the previous working
day, i.e. a CUSUM over the two working days the target allows, with an exact tail instead of a tuned
threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Callable, Sequence


@dataclass(frozen=True)
class TrendPolicy:  # 预警参数
    alpha: float = 0.003  # significance of the day alone
    alpha_window: float = 0.02  # significance of the window from the previous working day to today
    dispersion: float = 0.01  # day-to-day variation beyond Poisson: variance + dispersion × mean²
    window: int = 30  # working days of baseline
    rest_window: int = 56  # calendar days over which rest days are averaged
    min_count: int = 4  # fewer appeals than this never make a 高发 (sparse series: see 新发)
    min_ratio: float = 1.5  # nor a count below 1.5 × expected
    today_ratio: float = 1.0  # the window test: today at least this × its expected count
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
    window_days: int  # 1: the day alone; 2 or more: from the previous working day to this one


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


def negbin_sf(x: int, mean: float, variance: float) -> float:
    """P(X ≥ x) for the negative binomial of this mean and variance (Poisson when variance ≤ mean)."""
    if x <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if variance <= mean * (1 + 1e-9):
        return poisson_sf(x, mean)
    r = mean * mean / (variance - mean)
    p = r / (r + mean)
    log_term, cdf = r * math.log(p), 0.0
    for k in range(x):
        if k:
            log_term += math.log((k - 1 + r) / k) + math.log(1 - p)
        cdf += math.exp(log_term)
    return max(0.0, 1.0 - cdf)


@dataclass(frozen=True)
class _Expected:  # a day's expected count and the evidence it rests on
    lam: float
    evidence: int  # the baseline's summed count: the estimate's relative variance is 1 / evidence
    working: bool


def _predictive(parts: list[_Expected], policy: TrendPolicy) -> tuple[float, float]:
    """Mean and variance of the summed count of these days when nothing happens: Poisson, plus the
    dispersion, plus the error of the estimated expected counts (one shared level for the working days,
    one for the rest days, so their errors add up within each before squaring)."""
    mean = sum(p.lam for p in parts)
    variance = mean + policy.dispersion * mean * mean
    for working in (True, False):
        same = [p for p in parts if p.working is working]
        if same:
            lam = sum(p.lam for p in same)
            variance += lam * lam / max(same[0].evidence, 1)
    return mean, variance


def detect_high(days: Sequence[date], counts: Sequence[int], is_working: Callable[[date], bool],
                policy: TrendPolicy = TrendPolicy(), judge_from: int = 0) -> list[Flag]:
    """The days from index `judge_from` on whose count is significantly above the working-day-aware
    baseline (高发). `days` are consecutive calendar days and `counts` their counts."""
    flags: list[Flag] = []
    flagged: set[int] = set()
    work_idx: list[int] = []
    expected: dict[int, _Expected] = {}
    for i, day in enumerate(days):
        working = is_working(day)
        base = _baseline(i, days, counts, working, work_idx, flagged, is_working, policy)
        if working:
            work_idx.append(i)
        if base is None:
            continue
        today = expected[i] = _Expected(max(base[0], policy.floor), base[1], working)
        if i < judge_from:
            continue
        x = counts[i]
        best: Flag | None = None
        if x >= policy.min_count and x >= policy.min_ratio * today.lam:
            p = negbin_sf(x, *_predictive([today], policy))
            if p < policy.alpha:
                best = Flag(day, x, today.lam, p, 1)
        back = range(work_idx[-2], i) if working and len(work_idx) >= 2 else range(0)
        if best is None and back and x >= policy.today_ratio * today.lam \
                and all(j in expected and j not in flagged for j in back):
            x2 = x + sum(counts[j] for j in back)
            mean, variance = _predictive([today, *(expected[j] for j in back)], policy)
            if x2 >= 2 * policy.min_count and x2 >= policy.min_ratio * mean:
                p2 = negbin_sf(x2, mean, variance)
                if p2 < policy.alpha_window:
                    best = Flag(day, x2, mean, p2, 1 + len(back))
        if best is not None:
            flags.append(best)
            flagged.add(i)
    return flags


def _baseline(i: int, days, counts, working: bool, work_idx: list[int], flagged: set[int], is_working,
              policy: TrendPolicy) -> tuple[float, int] | None:
    """(expected count, the baseline's summed count), or None while the series has too little past."""
    if working:
        past = [j for j in work_idx[-policy.window:] if j not in flagged]
        if len(past) < policy.min_history:
            return None
        total = sum(counts[j] for j in past)
        factor = _weekday_factor(days[i].weekday(), days, counts, work_idx, flagged, policy)
        return total / len(past) * factor, total
    past = [j for j in range(max(0, i - policy.rest_window), i) if not is_working(days[j]) and j not in flagged]
    if len(past) < max(2, policy.min_history // 4):
        return None
    total = sum(counts[j] for j in past)
    return total / len(past), total


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
