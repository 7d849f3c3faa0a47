"""Pre/post statistics checked by hand and against independent formulas."""

import numpy as np
import pytest
from scipy import stats

from encuentros.evaluation import analysis as A


def test_rank_biserial_by_hand():
    # diffs 1, 2, −1, 3, 0 → zero dropped; |d| ranks: 1→1.5, 2→3, 1→1.5, 3→4
    # favourable 1.5 + 3 + 4 = 8.5, unfavourable 1.5 → (8.5 − 1.5) / 10 = 0.7
    assert A.rank_biserial(np.array([1, 2, -1, 3, 0])) == pytest.approx(0.7)
    assert A.rank_biserial(np.array([0, 0])) is None


def test_rank_biserial_matches_the_wilcoxon_statistic():
    rng = np.random.default_rng(3)
    d = rng.integers(-2, 4, size=40).astype(float)
    nz = d[d != 0]
    n = len(nz)
    w_minus = stats.wilcoxon(nz, alternative="greater").statistic  # sum of positive ranks
    total = n * (n + 1) / 2
    # r = (W+ − W−) / total, with W+ + W− = total
    assert A.rank_biserial(d) == pytest.approx((2 * w_minus - total) / total)


def test_compare_pairs_means_change_and_test():
    pre = {f"r{i}": v for i, v in enumerate([2, 3, 3, 2, 4, 3, 2, 3])}
    post = {f"r{i}": v for i, v in enumerate([3, 4, 3, 4, 4, 4, 3, 4])}
    post["late"] = 5  # answered only after: counts in the post mean, not in the change
    r = A.compare("trust", "all", pre, post)
    assert (r.n_pre, r.n_post, r.n_paired) == (8, 9, 8)
    assert r.mean_pre == pytest.approx(np.mean([2, 3, 3, 2, 4, 3, 2, 3]), abs=1e-3)
    assert r.mean_post == pytest.approx(np.mean([3, 4, 3, 4, 4, 4, 3, 4, 5]), abs=1e-3)
    diffs = np.array([1, 1, 0, 2, 0, 1, 1, 1])
    assert r.change == pytest.approx(diffs.mean(), abs=1e-3)
    ref = stats.wilcoxon(diffs, zero_method="wilcox")
    assert r.p_value == pytest.approx(ref.pvalue, abs=1e-4)
    assert r.rank_biserial == pytest.approx(1.0)
    assert r.ci_low <= r.change <= r.ci_high


def test_small_groups_are_suppressed_entirely():
    pre = {f"r{i}": 3 for i in range(4)}
    post = {f"r{i}": 4 for i in range(4)}
    r = A.compare("trust", "academia", pre, post)
    assert r.suppressed and r.n_pre == r.n_post == r.n_paired == 0 and r.mean_pre is None
    # one side large, the other small: the small side's values are hidden
    pre = {f"r{i}": 3 for i in range(10)}
    r = A.compare("trust", "all", pre, {"r1": 5, "r2": 5})
    assert not r.suppressed and r.mean_pre == 3 and r.mean_post is None and r.change is None


def test_analyse_splits_by_sector():
    pre = {"trust": {f"g{i}": 2 for i in range(6)} | {f"c{i}": 3 for i in range(3)}}
    post = {"trust": {f"g{i}": 4 for i in range(6)} | {f"c{i}": 4 for i in range(3)}}
    sectors = {f"g{i}": "government" for i in range(6)} | {f"c{i}": "civil_society"
                                                            for i in range(3)}
    out = A.analyse(["trust"], pre, post, sectors)
    assert out["all"][0].n_paired == 9
    assert out["government"][0].change == 2
    assert out["civil_society"][0].suppressed
