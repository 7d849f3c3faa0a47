"""The scoring engine: pure functions over a spec (schema.parse) and plain dicts/NumPy arrays.

Scores run 0–1 at every level: indicator → component → pillar → overall. Each level combines
the one below with the method the instrument names for it (weighted arithmetic mean, weighted
geometric mean, or minimum). Weights are relative: they are normalized over the children that
have a score.

Missing information is never a zero:

* "na" (not applicable) and indicators that do not apply to the organization's sector are left
  out of the instrument for that organization: they do not count in scores, coverage or
  maturity.
* "dk" (don't know) and unanswered questions are left out of scores too, but they lower the
  coverage and they are not "met" for the maturity level.
* A component, pillar or overall score with no scored child is None (unknown), not 0.

The same compiled tree scores one assessment or thousands at once (rows of a matrix), which the
sensitivity analysis (quality.py) relies on.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .schema import DONT_KNOW, NOT_APPLICABLE, applies, indicators

# Maturity levels: 0 = not even the initial practices are all met, 1 initial … 5 optimized.


def aggregate(X: np.ndarray, w: np.ndarray, method: str) -> np.ndarray:
    """Combine the columns of X (rows = assessments) with weights w; NaN cells are left out.

    A row with no scored cell gives NaN. The geometric mean of a row with a zero is 0.
    """
    X = np.asarray(X, dtype=float)
    mask = ~np.isnan(X)
    W = np.where(mask, np.asarray(w, dtype=float), 0.0)
    wsum = W.sum(axis=1)
    ok = wsum > 0
    out = np.full(X.shape[0], np.nan)
    if method == "arithmetic":
        num = (np.where(mask, X, 0.0) * W).sum(axis=1)
        out[ok] = num[ok] / wsum[ok]
    elif method == "geometric":
        safe = np.where(mask & (X > 0), X, 1.0)
        has_zero = (mask & (X <= 0)).any(axis=1)
        logs = (np.log(safe) * W).sum(axis=1)
        geo = np.exp(logs / np.where(ok, wsum, 1.0))
        geo[has_zero] = 0.0
        out[ok] = geo[ok]
    elif method == "minimum":
        low = np.where(mask & (W > 0), X, np.inf).min(axis=1)
        out[ok] = low[ok]
    else:
        raise ValueError(f"unknown aggregation method {method!r}")
    return out


@dataclass
class Tree:
    """A compiled instrument: index arrays for fast, repeated aggregation."""

    indicator_keys: list[str]
    indicator_weights: np.ndarray
    component_keys: list[str]
    component_of: list[np.ndarray]         # per component: indices into indicators
    component_methods: list[str]
    component_weights: np.ndarray
    pillar_keys: list[str]
    pillar_of: list[np.ndarray]            # per pillar: indices into components
    pillar_methods: list[str]
    pillar_weights: np.ndarray
    overall_method: str
    levels: np.ndarray                     # maturity level of each indicator
    indicator_pillar: np.ndarray           # pillar index of each indicator
    sectors: list[list[str]] = field(default_factory=list)

    def run(self, X: np.ndarray, *, indicator_weights=None, component_weights=None,
            pillar_weights=None, component_methods=None, pillar_methods=None,
            overall_method=None):
        """Scores of every row of X (n × indicators): (components, pillars, overall)."""
        iw = self.indicator_weights if indicator_weights is None else indicator_weights
        cw = self.component_weights if component_weights is None else component_weights
        pw = self.pillar_weights if pillar_weights is None else pillar_weights
        cm = component_methods or self.component_methods
        pm = pillar_methods or self.pillar_methods
        n = X.shape[0]
        C = np.empty((n, len(self.component_keys)))
        for j, idx in enumerate(self.component_of):
            C[:, j] = aggregate(X[:, idx], iw[idx], cm[j])
        P = np.empty((n, len(self.pillar_keys)))
        for j, idx in enumerate(self.pillar_of):
            P[:, j] = aggregate(C[:, idx], cw[idx], pm[j])
        overall = aggregate(P, pw, overall_method or self.overall_method)
        return C, P, overall


def compile_spec(spec: dict) -> Tree:
    ind_keys, ind_w, levels, ind_pillar, sectors = [], [], [], [], []
    comp_keys, comp_of, comp_m, comp_w = [], [], [], []
    pil_keys, pil_of, pil_m, pil_w = [], [], [], []
    for p_i, pillar in enumerate(spec["pillars"]):
        comps = []
        for component in pillar["components"]:
            idx = []
            for indicator in component["indicators"]:
                idx.append(len(ind_keys))
                ind_keys.append(indicator["key"])
                ind_w.append(indicator["weight"])
                levels.append(indicator["level"])
                ind_pillar.append(p_i)
                sectors.append(indicator["sectors"])
            comps.append(len(comp_keys))
            comp_keys.append(component["key"])
            comp_of.append(np.array(idx, dtype=int))
            comp_m.append(component["aggregation"])
            comp_w.append(component["weight"])
        pil_keys.append(pillar["key"])
        pil_of.append(np.array(comps, dtype=int))
        pil_m.append(pillar["aggregation"])
        pil_w.append(pillar["weight"])
    return Tree(ind_keys, np.array(ind_w, float), comp_keys, comp_of, comp_m,
                np.array(comp_w, float), pil_keys, pil_of, pil_m, np.array(pil_w, float),
                spec["aggregation"]["overall"], np.array(levels, int), np.array(ind_pillar, int),
                sectors)


@dataclass
class Result:
    indicators: dict[str, float | None]
    components: dict[str, float | None]
    pillars: dict[str, float | None]
    overall: float | None
    levels: dict[str, int]
    coverage: float | None          # scored / applicable (N/A excluded)
    counts: dict[str, int]          # answered, na, dk, missing, not_applicable_to_sector

    def as_dict(self) -> dict:
        return {"overall": self.overall, "pillars": self.pillars,
                "components": self.components, "levels": self.levels,
                "coverage": self.coverage, "counts": self.counts}


def _none(x) -> float | None:
    return None if x is None or np.isnan(x) else float(x)


def row(tree: Tree, answers: Mapping[str, object], sector: str | None = None) -> np.ndarray:
    """One matrix row: scores in 0–1, NaN for N/A, don't know, missing or other sectors."""
    out = np.full(len(tree.indicator_keys), np.nan)
    for j, key in enumerate(tree.indicator_keys):
        value = answers.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and (
                sector is None or sector in tree.sectors[j]):
            out[j] = float(value)
    return out


def score(spec: dict, answers: Mapping[str, object], sector: str | None = None,
          tree: Tree | None = None) -> Result:
    """Score one assessment. ``answers`` maps indicator key → score in 0–1, "na", "dk" or None.

    Indicators that do not apply to ``sector`` are ignored whatever their answer.
    """
    tree = tree or compile_spec(spec)
    X = row(tree, answers, sector)[None, :]
    C, P, overall = tree.run(X)
    counts = {"answered": 0, "na": 0, "dk": 0, "missing": 0, "other_sector": 0}
    threshold = spec["maturity_threshold"]
    # Maturity: highest level L (among levels that have applicable indicators) such that every
    # applicable indicator of level ≤ L is met. Don't know / missing are not met.
    per_level: dict[int, dict[int, bool]] = {}
    for pillar_i, (_p, _c, indicator) in zip(tree.indicator_pillar, indicators(spec),
                                             strict=True):
        value = answers.get(indicator["key"])
        if not applies(indicator, sector):
            counts["other_sector"] += 1
            continue
        if value == NOT_APPLICABLE:
            counts["na"] += 1
            continue
        if value == DONT_KNOW:
            counts["dk"] += 1
            met = False
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            counts["answered"] += 1
            met = float(value) >= threshold - 1e-9
        else:
            counts["missing"] += 1
            met = False
        levels = per_level.setdefault(int(pillar_i), {})
        levels[indicator["level"]] = levels.get(indicator["level"], True) and met
    maturity = {}
    for p_i, key in enumerate(tree.pillar_keys):
        reached = 0
        for level, all_met in sorted(per_level.get(p_i, {}).items()):
            if not all_met:
                break
            reached = level
        maturity[key] = reached
    applicable = counts["answered"] + counts["dk"] + counts["missing"]
    return Result(
        indicators={k: _none(v) for k, v in zip(tree.indicator_keys, X[0], strict=True)},
        components={k: _none(v) for k, v in zip(tree.component_keys, C[0], strict=True)},
        pillars={k: _none(v) for k, v in zip(tree.pillar_keys, P[0], strict=True)},
        overall=_none(overall[0]),
        levels=maturity,
        coverage=(counts["answered"] / applicable) if applicable else None,
        counts=counts,
    )


def mean(values: Sequence[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def by_sector(rows: Sequence[tuple[str, float | None]]) -> tuple[dict[str, float | None], float
                                                                   | None]:
    """Mean score of each sector, and the ecosystem score: the mean of the sector means.

    Every sector weighs the same in the ecosystem score, however many organizations it has.
    """
    groups: dict[str, list[float | None]] = {}
    for sector, value in rows:
        groups.setdefault(sector, []).append(value)
    sectors = {sector: mean(values) for sector, values in groups.items()}
    return sectors, mean(list(sectors.values()))
