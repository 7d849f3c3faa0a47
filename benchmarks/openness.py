"""Benchmark of the openness scoring engine and its quality analysis (encuentros.openness).

Run: PYTHONPATH=src .venv/bin/python benchmarks/openness.py [--quick]

Synthetic answers to the default instrument (latent openness per pillar + noise, some "not
applicable"), for growing numbers of organizations. For each size it prints the time to score
every assessment one by one (scoring.score) and all at once (Tree.run on the matrix) — checking
that both agree —, Cronbach's alpha per pillar, and the Monte Carlo sensitivity analysis
(weights ×U(0.5, 1.5), arithmetic/geometric at each level) with its average rank shift.
"""

import argparse
import os
import sys
import time

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encuentros.settings")
import django  # noqa: E402

django.setup()

from encuentros.openness import quality, schema, scoring, services  # noqa: E402


def population(spec, tree, n, seed):
    rng = np.random.default_rng(seed)
    ability = rng.uniform(0.1, 0.9, size=(n, len(tree.pillar_keys)))
    X = ability[:, tree.indicator_pillar] - 0.1 * (tree.levels - 1) + rng.normal(0, 0.15, (
        n, len(tree.indicator_keys)))
    X = np.clip(np.round(X * 3) / 3, 0, 1)          # a 4-point scale
    X[rng.random(X.shape) < 0.04] = np.nan           # not applicable
    return X


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    spec = schema.parse((services.INSTRUMENTS_DIR / "apertura-organizacional.yaml")
                        .read_text("utf-8"))
    tree = scoring.compile_spec(spec)
    sizes = [50, 200] if args.quick else [50, 200, 1000, 5000]
    draws = 200 if args.quick else 1000
    print(f"{'orgs':>6} {'score 1×1 ms/org':>17} {'matrix ms':>10} {'agree':>6} "
          f"{'alpha ms':>9} {'alpha range':>14} {'MC draws':>9} {'MC s':>7} {'avg shift':>10}")
    ok = True
    for n in sizes:
        X = population(spec, tree, n, seed=n)
        t = time.perf_counter()
        one = []
        for row in X:
            answers = {k: (float(v) if not np.isnan(v) else "na")
                       for k, v in zip(tree.indicator_keys, row, strict=True)}
            one.append(scoring.score(spec, answers, None, tree=tree).overall)
        t_one = (time.perf_counter() - t) / n * 1000
        t = time.perf_counter()
        _c, _p, overall = tree.run(X)
        t_matrix = (time.perf_counter() - t) * 1000
        agree = np.allclose(np.array(one, dtype=float), overall, equal_nan=True)
        ok &= agree
        t = time.perf_counter()
        alphas = [quality.cronbach_alpha(X[:, tree.indicator_pillar == p]).alpha
                  for p in range(len(tree.pillar_keys))]
        t_alpha = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        s = quality.sensitivity(tree, X, draws=draws, seed=1)
        t_mc = time.perf_counter() - t
        valid = [a for a in alphas if a is not None]
        span = f"{min(valid):.2f}–{max(valid):.2f}" if valid else "—"
        print(f"{n:>6} {t_one:>17.3f} {t_matrix:>10.2f} {str(agree):>6} {t_alpha:>9.2f} "
              f"{span:>14} {draws:>9} {t_mc:>7.2f} {s.average_shift:>10.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
