"""Quality of the instrument (pure NumPy/SciPy): reliability and robustness of the ranking.

Following the OECD/JRC *Handbook on Constructing Composite Indicators* (2008): internal
consistency of each pillar with Cronbach's alpha, and an uncertainty analysis that re-computes
the index many times under alternative weights and aggregation methods and reports how much each
unit's rank moves.
"""

from dataclasses import dataclass

import numpy as np

from .scoring import Tree


@dataclass
class Alpha:
    alpha: float | None
    low: float | None
    high: float | None
    n: int          # assessments used (complete on the pillar's items)
    k: int          # items


def cronbach_alpha(X, confidence: float = 0.95) -> Alpha:
    """Cronbach's alpha of the columns (items) of X over its rows (respondents).

    Rows with a missing item are dropped (listwise); items nobody answered are dropped. The
    confidence interval is Feldt's (1965): (1 − α) / (1 − α̂) follows F(n − 1, (n − 1)(k − 1)).
    """
    from scipy import stats

    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError("X must be a 2-D array")
    X = X[:, ~np.isnan(X).all(axis=0)] if X.size else X
    X = X[~np.isnan(X).any(axis=1)] if X.size else X
    n, k = X.shape if X.size else (0, 0)
    if n < 3 or k < 2:
        return Alpha(None, None, None, n, k)
    item_var = X.var(axis=0, ddof=1).sum()
    total_var = X.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return Alpha(None, None, None, n, k)
    alpha = k / (k - 1) * (1 - item_var / total_var)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - confidence) / 2
    low = 1 - (1 - alpha) * stats.f.ppf(1 - tail, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)
    return Alpha(float(alpha), float(low), float(high), n, k)


def ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score; ties share the mean rank; NaN stays NaN."""
    from scipy.stats import rankdata

    out = np.full(values.shape, np.nan)
    ok = ~np.isnan(values)
    if ok.any():
        out[ok] = rankdata(-values[ok], method="average")
    return out


@dataclass
class Sensitivity:
    nominal_rank: np.ndarray      # per row
    median_rank: np.ndarray
    low_rank: np.ndarray          # 5th percentile
    high_rank: np.ndarray         # 95th percentile
    mean_shift: np.ndarray        # mean |rank − nominal rank|
    average_shift: float          # mean of mean_shift over units (handbook's R̄s)
    draws: int


def sensitivity(tree: Tree, X: np.ndarray, *, draws: int = 1000, seed: int = 2026,
                weight_spread: float = 0.5,
                methods: tuple[str, ...] = ("arithmetic", "geometric")) -> Sensitivity:
    """Monte Carlo over weights and aggregation methods.

    Each draw multiplies every weight (indicator, component, pillar) by an independent
    U(1 − spread, 1 + spread) factor and picks, for each level (component, pillar, overall), one
    method from ``methods``. Ranks are computed over the rows of X with an overall score.
    """
    rng = np.random.default_rng(seed)
    X = np.asarray(X, dtype=float)
    _c, _p, nominal = tree.run(X)
    nominal_rank = ranks(nominal)
    n = X.shape[0]
    all_ranks = np.empty((draws, n))
    nc, npl = len(tree.component_keys), len(tree.pillar_keys)
    lo, hi = 1 - weight_spread, 1 + weight_spread
    for d in range(draws):
        cm = methods[rng.integers(len(methods))]
        pm = methods[rng.integers(len(methods))]
        om = methods[rng.integers(len(methods))]
        _c, _p, overall = tree.run(
            X,
            indicator_weights=tree.indicator_weights * rng.uniform(lo, hi, len(
                tree.indicator_weights)),
            component_weights=tree.component_weights * rng.uniform(lo, hi, nc),
            pillar_weights=tree.pillar_weights * rng.uniform(lo, hi, npl),
            component_methods=[cm] * nc, pillar_methods=[pm] * npl, overall_method=om)
        all_ranks[d] = ranks(overall)
    ok = ~np.isnan(nominal_rank)
    median = np.full(n, np.nan)
    low = np.full(n, np.nan)
    high = np.full(n, np.nan)
    shift = np.full(n, np.nan)
    if ok.any():
        sub = all_ranks[:, ok]
        median[ok] = np.median(sub, axis=0)
        low[ok] = np.percentile(sub, 5, axis=0)
        high[ok] = np.percentile(sub, 95, axis=0)
        shift[ok] = np.abs(sub - nominal_rank[ok]).mean(axis=0)
    return Sensitivity(nominal_rank, median, low, high, shift,
                       float(np.nanmean(shift)) if ok.any() else float("nan"), draws)
