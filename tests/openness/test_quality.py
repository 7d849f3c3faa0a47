"""Cronbach's alpha against independent computations, and the Monte Carlo sensitivity."""

import numpy as np
import pytest

from encuentros.openness import quality, schema, scoring


def test_alpha_hand_computed_example():
    # Items: var 1 and 1; totals 2, 5, 5 → var 3; α = 2/1 · (1 − 2/3) = 2/3.
    a = quality.cronbach_alpha([[1, 1], [2, 3], [3, 2]])
    assert a.alpha == pytest.approx(2 / 3)
    assert (a.n, a.k) == (3, 2)
    # Identical items are perfectly consistent.
    assert quality.cronbach_alpha([[1, 1, 1], [2, 2, 2], [4, 4, 4], [3, 3, 3]]).alpha == \
        pytest.approx(1.0)


def _simulated(n=200, k=6, seed=7):
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 1))
    return latent + rng.normal(scale=1.0, size=(n, k)) * rng.uniform(0.5, 1.5, size=k)


def test_alpha_matches_covariance_and_correlation_formulas():
    X = _simulated()
    k = X.shape[1]
    C = np.cov(X, rowvar=False)
    by_covariance = k / (k - 1) * (1 - np.trace(C) / C.sum())
    assert quality.cronbach_alpha(X).alpha == pytest.approx(by_covariance, rel=1e-12)
    # Standardized alpha (z-scored items) equals k·r̄ / (1 + (k − 1)·r̄), r̄ = mean correlation.
    Z = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
    R = np.corrcoef(X, rowvar=False)
    rbar = (R.sum() - k) / (k * (k - 1))
    assert quality.cronbach_alpha(Z).alpha == pytest.approx(k * rbar / (1 + (k - 1) * rbar))


def test_feldt_interval_agrees_with_a_seeded_bootstrap():
    X = _simulated()
    a = quality.cronbach_alpha(X)
    assert a.low < a.alpha < a.high
    rng = np.random.default_rng(11)
    boot = [quality.cronbach_alpha(X[rng.integers(0, len(X), len(X))]).alpha
            for _ in range(1000)]
    low, high = np.percentile(boot, [2.5, 97.5])
    assert a.low == pytest.approx(low, abs=0.03) and a.high == pytest.approx(high, abs=0.03)
    wide = quality.cronbach_alpha(X[:20])
    assert wide.high - wide.low > a.high - a.low    # fewer respondents, wider interval


def test_alpha_needs_data_and_drops_incomplete_rows():
    assert quality.cronbach_alpha([[1, 2], [2, 3]]).alpha is None    # n < 3
    assert quality.cronbach_alpha([[1], [2], [3]]).alpha is None     # k < 2
    X = [[1, 1], [2, 3], [3, 2], [np.nan, 5]]
    assert quality.cronbach_alpha(X).alpha == pytest.approx(2 / 3)
    assert quality.cronbach_alpha(X).n == 3


def test_sensitivity_dominant_unit_is_stable_and_fragile_unit_moves(small_spec):
    tree = scoring.compile_spec(small_spec)
    keys = tree.indicator_keys            # t1 t2 t3 t4 p1 p2
    assert keys == ["t1", "t2", "t3", "t4", "p1", "p2"]
    X = np.array([
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],        # dominant
        [1.0, 1.0, 0.0, 1.0, 0.9, 0.9],        # one zero: good with means, bad geometric
        [0.6, 0.6, 0.6, 0.6, 0.6, 0.6],        # steady middle
        [0.1, 0.1, 0.1, 0.1, 0.1, 0.1],        # always last
    ])
    s = quality.sensitivity(tree, X, draws=400, seed=3)
    assert list(s.nominal_rank) == [1, 2, 3, 4]
    assert s.mean_shift[0] == 0 and s.median_rank[0] == 1
    assert s.high_rank[3] == 4 and s.low_rank[3] >= 3
    # The unit with a zero is 2nd with arithmetic means but last when a geometric mean is drawn.
    assert s.low_rank[1] == 2 and s.high_rank[1] == 4
    assert s.mean_shift[1] > 0
    again = quality.sensitivity(tree, X, draws=400, seed=3)
    assert np.array_equal(again.mean_shift, s.mean_shift)    # seeded: reproducible


def test_ranks_ties_and_missing():
    r = quality.ranks(np.array([0.5, np.nan, 0.9, 0.5]))
    assert r[0] == r[3] == 2.5 and r[2] == 1 and np.isnan(r[1])


def test_small_spec_fixture_is_consistent(small_spec):
    assert schema.indicator_map(small_spec)["t4"]["sectors"] == ["government"]
