"""The scoring engine against hand-computed values (instrument SMALL in conftest.py).

Scores of the answers used below (civil society: t4 is for government only):
t1 "3" → 1, t2 "1" → 0.25, t3 "no" → 0 / "si" → 1, p1 "2" → 0.5, p2 "3" → 1.
Weights: t1 1, t2 3; components t_a 3, t_b 1; pillars transparency 1, participation 2.
"""

import copy

import pytest

from encuentros.openness import schema, scoring

CS = "civil_society"


def _scores(spec, raw: dict) -> dict:
    indicators = schema.indicator_map(spec)
    return {k: schema.answer_score(spec, indicators[k], v) for k, v in raw.items()}


def _with_method(spec, method):
    spec = copy.deepcopy(spec)
    spec["aggregation"]["overall"] = method
    for pillar in spec["pillars"]:
        pillar["aggregation"] = method
        for component in pillar["components"]:
            component["aggregation"] = method
    return spec


def test_weighted_arithmetic_mean_by_hand(small_spec):
    answers = _scores(small_spec, {"t1": "3", "t2": "1", "t3": "no", "p1": "2", "p2": "3"})
    r = scoring.score(small_spec, answers, CS)
    assert r.components["t_a"] == pytest.approx((1 * 1 + 3 * 0.25) / 4)       # 0.4375
    assert r.components["t_b"] == 0.0
    assert r.pillars["transparency"] == pytest.approx((3 * 0.4375 + 1 * 0) / 4)  # 0.328125
    assert r.pillars["participation"] == pytest.approx(0.75)
    assert r.overall == pytest.approx((1 * 0.328125 + 2 * 0.75) / 3)          # 0.609375
    assert r.coverage == 1.0
    assert r.counts == {"answered": 5, "na": 0, "dk": 0, "missing": 0, "other_sector": 1}


def test_weighted_geometric_mean_by_hand(small_spec):
    spec = _with_method(small_spec, "geometric")
    answers = _scores(spec, {"t1": "3", "t2": "1", "t3": "si", "p1": "2", "p2": "3"})
    r = scoring.score(spec, answers, CS)
    t_a = 1 ** 0.25 * 0.25 ** 0.75                       # 0.35355
    assert r.components["t_a"] == pytest.approx(t_a)
    assert r.pillars["transparency"] == pytest.approx(t_a ** 0.75 * 1 ** 0.25)  # 0.25**0.5625
    assert r.pillars["participation"] == pytest.approx((0.5 * 1) ** 0.5)
    assert r.overall == pytest.approx((0.25 ** 0.5625) ** (1 / 3) * (0.5 ** 0.5) ** (2 / 3))
    assert r.overall == pytest.approx(0.612027, abs=1e-6)  # exp(-0.490979)
    # A zero makes the geometric mean zero (no compensation).
    zero = scoring.score(spec, _scores(spec, {"t1": "3", "t2": "1", "t3": "no", "p1": "2",
                                              "p2": "3"}), CS)
    assert zero.components["t_b"] == 0.0 and zero.pillars["transparency"] == 0.0
    assert zero.overall == 0.0


def test_minimum_by_hand(small_spec):
    spec = _with_method(small_spec, "minimum")
    r = scoring.score(spec, _scores(spec, {"t1": "3", "t2": "1", "t3": "si", "p1": "2",
                                           "p2": "3"}), CS)
    assert r.components == {"t_a": 0.25, "t_b": 1.0, "p_a": 0.5}
    assert r.pillars == {"transparency": 0.25, "participation": 0.5}
    assert r.overall == 0.25


def test_methods_mixed_per_level(small_spec):
    spec = copy.deepcopy(small_spec)
    spec["pillars"][0]["components"][0]["aggregation"] = "minimum"   # t_a
    spec["pillars"][0]["aggregation"] = "geometric"                  # transparency
    r = scoring.score(spec, _scores(spec, {"t1": "3", "t2": "1", "t3": "si", "p1": "2",
                                           "p2": "3"}), CS)
    assert r.components["t_a"] == 0.25
    assert r.pillars["transparency"] == pytest.approx(0.25 ** 0.75 * 1 ** 0.25)
    assert r.overall == pytest.approx((0.25 ** 0.75 + 2 * 0.75) / 3)


def test_not_applicable_is_left_out_not_zero(small_spec):
    r = scoring.score(small_spec, _scores(small_spec, {"t1": "3", "t2": "na", "t3": "no",
                                                        "p1": "2", "p2": "3"}), CS)
    assert r.components["t_a"] == 1.0                  # only t1; t2 is not a zero
    assert r.pillars["transparency"] == pytest.approx((3 * 1 + 1 * 0) / 4)
    assert r.coverage == 1.0                           # N/A is not missing information
    assert r.counts["na"] == 1


def test_dont_know_is_left_out_but_lowers_coverage_and_maturity(small_spec):
    na = scoring.score(small_spec, _scores(small_spec, {"t1": "3", "t2": "3", "t3": "na",
                                                         "p1": "3", "p2": "3"}), CS)
    dk = scoring.score(small_spec, _scores(small_spec, {"t1": "3", "t2": "3", "t3": "dk",
                                                         "p1": "3", "p2": "3"}), CS)
    assert na.pillars == dk.pillars and na.overall == dk.overall == 1.0
    assert na.components["t_b"] is None and dk.components["t_b"] is None
    assert na.coverage == 1.0 and dk.coverage == pytest.approx(4 / 5)
    assert na.levels["transparency"] == 2   # t3 (level 1) out of the instrument: levels 1–2 met
    assert dk.levels["transparency"] == 0   # an unknown level-1 practice is not met


def test_nothing_scored_is_unknown_not_zero(small_spec):
    r = scoring.score(small_spec, {"t1": "dk", "t2": "na", "p1": 0.5}, CS)
    assert r.pillars["transparency"] is None and r.components["t_b"] is None
    assert r.overall == 0.5                 # weights renormalized over the known pillar
    empty = scoring.score(small_spec, {}, CS)
    assert empty.overall is None and empty.coverage == 0.0


def test_sector_filters_indicators(small_spec):
    raw = {"t1": "3", "t2": "3", "t3": "si", "t4": "0", "p1": "3", "p2": "3"}
    civil = scoring.score(small_spec, _scores(small_spec, raw), CS)
    gov = scoring.score(small_spec, _scores(small_spec, raw), "government")
    assert civil.components["t_b"] == 1.0              # t4 is ignored outside government
    assert gov.components["t_b"] == 0.5
    assert civil.levels["transparency"] == 2 and gov.levels["transparency"] == 2


def test_maturity_is_cumulative(small_spec):
    # threshold 0.6: p1 (level 1) at 0.5 is not met, so p2 (level 2) met does not count.
    r = scoring.score(small_spec, _scores(small_spec, {"t1": "3", "t2": "3", "t3": "no",
                                                        "p1": "2", "p2": "3"}), CS)
    assert r.levels == {"transparency": 0, "participation": 0}
    gov = scoring.score(small_spec, _scores(small_spec, {
        "t1": "3", "t2": "3", "t3": "si", "t4": "3", "p1": "3", "p2": "2"}), "government")
    assert gov.levels == {"transparency": 3, "participation": 1}


def test_sector_aggregates_weigh_each_sector_equally():
    sectors, eco = scoring.by_sector([("government", 0.2), ("government", 0.4),
                                      ("government", 0.6), ("civil_society", 0.8),
                                      ("academia", None)])
    assert sectors == {"government": pytest.approx(0.4), "civil_society": 0.8, "academia": None}
    assert eco == pytest.approx(0.6)         # not the pooled mean 0.5


def test_metrica_de_gobierno_abierto_chihuahua_2017():
    """Published sub-indices of Chihuahua (2017) → published index 0.38."""
    path = "src/encuentros/openness/instruments/metrica-gobierno-abierto.yaml"
    from pathlib import Path

    from encuentros.openness import services

    spec = schema.parse((services.INSTRUMENTS_DIR / Path(path).name).read_text("utf-8"))
    answers = _scores(spec, {"tg": "0.43", "tc": "0.57", "pg": "0.22", "pc": "0.29"})
    r = scoring.score(spec, answers, "government")
    assert r.pillars["transparency"] == pytest.approx(0.50)
    assert r.pillars["participation"] == pytest.approx(0.255)
    assert round(r.overall, 2) == 0.38


def test_aggregate_handles_rows_independently():
    import numpy as np

    X = np.array([[1.0, np.nan], [0.0, 0.5], [np.nan, np.nan]])
    w = np.array([1.0, 1.0])
    assert np.allclose(scoring.aggregate(X, w, "arithmetic")[:2], [1.0, 0.25])
    assert np.isnan(scoring.aggregate(X, w, "arithmetic")[2])
    assert np.allclose(scoring.aggregate(X, w, "geometric")[:2], [1.0, 0.0])
    assert np.allclose(scoring.aggregate(X, w, "minimum")[:2], [1.0, 0.0])
    with pytest.raises(ValueError):
        scoring.aggregate(X, w, "median")
