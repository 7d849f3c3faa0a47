"""Pre/post analysis of Likert answers (pure functions over plain data; no ORM).

For each item, overall and per sector: answers before and after, the people who answered both
(paired), mean before and after, the mean paired change with a seeded bootstrap 95% interval,
the Wilcoxon signed-rank test on the paired changes (zeros dropped, as Wilcoxon did; exact
p-value for small samples, normal approximation otherwise — SciPy's choice), and the
matched-pairs rank-biserial correlation as effect size (Kerby 2014: share of favourable minus
unfavourable rank sums). Groups with fewer than MIN_GROUP answers are suppressed: their numbers
are never returned, only the fact that they were hidden.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

MIN_GROUP = 5
BOOTSTRAP = 2000


@dataclass
class ItemResult:
    key: str
    group: str  # "all" or a sector
    suppressed: bool
    n_pre: int
    n_post: int
    n_paired: int
    mean_pre: float | None = None
    mean_post: float | None = None
    change: float | None = None  # mean of post − pre over paired people
    ci_low: float | None = None
    ci_high: float | None = None
    wilcoxon_w: float | None = None
    p_value: float | None = None
    rank_biserial: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def rank_biserial(diffs: np.ndarray) -> float | None:
    """Matched-pairs rank-biserial correlation of paired differences (zeros dropped)."""
    d = diffs[diffs != 0]
    if len(d) == 0:
        return None
    ranks = stats.rankdata(np.abs(d))
    plus, minus = ranks[d > 0].sum(), ranks[d < 0].sum()
    return float((plus - minus) / (plus + minus))


def bootstrap_ci(diffs: np.ndarray, seed: int = 0, level: float = 0.95):
    if len(diffs) < 2:
        return None, None
    rng = np.random.default_rng(seed)
    samples = rng.choice(diffs, size=(BOOTSTRAP, len(diffs)), replace=True).mean(axis=1)
    alpha = (1 - level) / 2
    return float(np.quantile(samples, alpha)), float(np.quantile(samples, 1 - alpha))


def compare(key: str, group: str, pre: dict, post: dict, *, seed: int = 0) -> ItemResult:
    """pre/post: {respondent: value}. Paired = respondents present in both."""
    n_pre, n_post = len(pre), len(post)
    paired = sorted(set(pre) & set(post))
    result = ItemResult(key, group, False, n_pre, n_post, len(paired))
    if max(n_pre, n_post) < MIN_GROUP:
        return _suppress(result)
    # A side with fewer than MIN_GROUP answers keeps its count but not its values.
    if n_pre >= MIN_GROUP:
        result.mean_pre = round(float(np.mean(list(pre.values()))), 3)
    if n_post >= MIN_GROUP:
        result.mean_post = round(float(np.mean(list(post.values()))), 3)
    if len(paired) >= MIN_GROUP:
        diffs = np.array([post[r] - pre[r] for r in paired], dtype=float)
        result.change = round(float(diffs.mean()), 3)
        low, high = bootstrap_ci(diffs, seed)
        result.ci_low = round(low, 3) if low is not None else None
        result.ci_high = round(high, 3) if high is not None else None
        if np.any(diffs != 0):
            test = stats.wilcoxon(diffs, zero_method="wilcox")
            result.wilcoxon_w = float(test.statistic)
            result.p_value = round(float(test.pvalue), 4)
        rb = rank_biserial(diffs)
        result.rank_biserial = round(rb, 3) if rb is not None else None
    return result


def _suppress(result: ItemResult) -> ItemResult:
    """Hide every number of a small group (even the counts would identify people)."""
    return ItemResult(result.key, result.group, True, 0, 0, 0)


def analyse(keys: list[str], pre: dict, post: dict, sectors: dict, *, seed: int = 0):
    """pre/post: {key: {respondent: value}}; sectors: {respondent: sector}.
    Returns {"all": [ItemResult per key], sector: [...]} with small groups suppressed."""
    out = {"all": [compare(k, "all", pre.get(k, {}), post.get(k, {}), seed=seed)
                   for k in keys]}
    for sector in sorted({s for s in sectors.values() if s}):
        def only(d, sector=sector):
            return {r: v for r, v in d.items() if sectors.get(r) == sector}

        out[sector] = [compare(k, sector, only(pre.get(k, {})), only(post.get(k, {})),
                               seed=seed) for k in keys]
    return out


def response_rate(responses: int, eligible: int) -> float | None:
    return round(responses / eligible, 3) if eligible else None
