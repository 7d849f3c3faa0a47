"""Benchmark of the optimal demand → holder assignment (encuentros.matching.assignment).

Run: PYTHONPATH=src .venv/bin/python benchmarks/assignment.py [--quick]

Each instance is sparse (a fixed number of allowed holders per demand) with capacities 1–10.
The solver's total is compared with an independent optimum:
  * the linear-programming relaxation of the b-matching, solved by HiGHS (scipy.optimize.linprog);
    the constraint matrix of a bipartite b-matching is totally unimodular, so the LP optimum is the
    integer optimum;
  * for the small instance also scipy.optimize.linear_sum_assignment on the expanded dense matrix
    (forbidden pairs get a prohibitive cost, plus one "unassigned" column per demand).
"""

import argparse
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment, linprog

from encuentros.matching.assignment import solve_sparse

TOL = 1e-6


def instance(n, m, per_row, seed):
    rng = np.random.default_rng(seed)
    per_row = min(per_row, m)
    rows = np.repeat(np.arange(n), per_row)
    # per_row distinct holders per demand, drawn without replacement row by row (vectorised)
    cols = np.argsort(rng.random((n, m)), axis=1)[:, :per_row].ravel() if m <= 4000 else \
        np.concatenate([rng.choice(m, per_row, replace=False) for _ in range(n)])
    values = np.round(rng.random(n * per_row), 4)
    caps = rng.integers(1, 11, m)
    return rows, cols, values, caps


def lp_optimum(n, m, rows, cols, values, caps):
    e = len(rows)
    a_row = sp.csr_array((np.ones(e), (rows, np.arange(e))), shape=(n, e))
    a_col = sp.csr_array((np.ones(e), (cols, np.arange(e))), shape=(m, e))
    res = linprog(-values, A_ub=sp.vstack([a_row, a_col]),
                  b_ub=np.concatenate([np.ones(n), caps]), bounds=(0, 1), method="highs")
    assert res.status == 0, res.message
    return -res.fun


def dense_optimum(n, m, rows, cols, values, caps):
    slot_owner = np.repeat(np.arange(m), caps)
    dense = np.full((n, m), np.nan)
    dense[rows, cols] = values
    forbidden = 1e9
    expanded = dense[:, slot_owner]
    cost = np.where(np.isnan(expanded), forbidden, -expanded)
    cost = np.hstack([cost, np.where(np.eye(n, dtype=bool), 0.0, forbidden)])
    r, c = linear_sum_assignment(cost)
    return float(-cost[r, c][cost[r, c] < forbidden / 2].sum())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the large instance")
    args = parser.parse_args(argv)
    cases = [("small", 300, 60, 10, True), ("scarce", 1000, 50, 10, True),
             ("medium", 2000, 400, 50, False)]
    if not args.quick:
        cases.append(("target", 10_000, 2_000, 50, False))
    header = (f"{'instance':<8} {'demands':>8} {'holders':>8} {'pairs':>9} {'solver s':>9} "
              f"{'assigned':>9} {'solver total':>14} {'reference':>14} {'ref s':>7} "
              f"{'reference method':<28} {'equal':>5}")
    print(header)
    print("-" * len(header))
    ok = True
    for name, n, m, per_row, dense in cases:
        rows, cols, values, caps = instance(n, m, per_row, seed=n + m)
        t0 = time.perf_counter()
        result = solve_sparse(n, m, rows, cols, values, caps)
        solver_s = time.perf_counter() - t0
        # Feasibility of the solver's answer.
        assigned = result.columns
        used = np.bincount(assigned[assigned >= 0], minlength=m)
        assert np.all(used <= caps), "capacity exceeded"
        allowed = set(zip(rows.tolist(), cols.tolist(), strict=True))
        assert all((i, j) in allowed for i, j in result.pairs()), "forbidden pair used"
        t0 = time.perf_counter()
        if dense:
            reference, method = dense_optimum(n, m, rows, cols, values, caps), \
                "linear_sum_assignment dense"
        else:
            reference, method = lp_optimum(n, m, rows, cols, values, caps), "HiGHS LP (TU)"
        ref_s = time.perf_counter() - t0
        equal = abs(result.total - reference) <= TOL * max(1.0, abs(reference))
        ok &= equal
        print(f"{name:<8} {n:>8} {m:>8} {len(rows):>9} {solver_s:>9.3f} "
              f"{int((assigned >= 0).sum()):>9} {result.total:>14.4f} {reference:>14.4f} "
              f"{ref_s:>7.2f} {method:<28} {'yes' if equal else 'NO':>5}")
        if name == "target":
            print(f"\ntarget < 2 s: {'met' if solver_s < 2 else 'NOT met'} ({solver_s:.3f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
