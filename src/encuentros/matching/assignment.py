"""Capacity-constrained assignment of demands (rows) to holders (columns), provably optimal.

Problem (many-to-one b-matching): ``scores[i][j]`` is how good it is to give demand ``i`` to
holder ``j`` (higher is better; ``None``/NaN = not allowed). Each demand gets at most one holder;
holder ``j`` takes at most ``capacities[j]`` demands. The objective is to **maximise the sum of
the scores of the assigned pairs**; a demand may stay unassigned (it then adds 0), so a pair with
a score of zero or less never improves the total and is never chosen.

Method: each holder is expanded into ``min(capacity, degree)`` identical slots and each demand
gets a private "unassigned" slot, which turns the problem into a full minimum-cost bipartite
matching (every row matched, costs ``C - score`` with ``C`` above every score, the private slot
costing ``C``). That problem is solved exactly by SciPy's LAPJVsp
(:func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching`), a shortest augmenting path
algorithm for sparse linear assignment. Minimising ``sum(C - s)`` over a matching that covers
every row is the same as maximising ``sum(s)`` over the real pairs, so the result is the optimum
of the stated objective, not an approximation.

No Django imports: this module is used by the opendata app, the benchmark and the CLI
(``python -m encuentros.matching assign --input FILE``, see :func:`main_assign`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

__all__ = ["Assignment", "AssignmentError", "solve", "solve_sparse", "main_assign"]


class AssignmentError(ValueError):
    """The input does not describe an assignment problem (shapes, capacities, values)."""


@dataclass(frozen=True)
class Assignment:
    columns: np.ndarray  # per row: the column index it got, or -1
    total: float  # sum of the scores of the assigned pairs

    def as_list(self) -> list[int]:
        return [int(c) for c in self.columns]

    def pairs(self) -> list[tuple[int, int]]:
        return [(int(i), int(j)) for i, j in enumerate(self.columns) if j >= 0]


def solve(scores, capacities) -> Assignment:
    """Solve a dense problem: ``scores`` is rows × columns with ``None`` (or NaN) = forbidden."""
    capacities = _capacities(capacities)
    n_cols = len(capacities)
    rows, cols, vals = [], [], []
    n_rows = 0
    for i, row in enumerate(scores):
        n_rows += 1
        if len(row) != n_cols:
            raise AssignmentError(
                f"row {i} has {len(row)} scores but there are {n_cols} capacities")
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                raise AssignmentError(f"score [{i}][{j}] is not a number: {value!r}")
            value = float(value)
            if math.isnan(value):
                continue
            if math.isinf(value):
                raise AssignmentError(f"score [{i}][{j}] is infinite")
            rows.append(i)
            cols.append(j)
            vals.append(value)
    return solve_sparse(n_rows, n_cols, np.asarray(rows, dtype=np.int64),
                        np.asarray(cols, dtype=np.int64), np.asarray(vals, dtype=float),
                        capacities)


def solve_sparse(n_rows: int, n_cols: int, rows, cols, values, capacities) -> Assignment:
    """Solve from allowed pairs given as three parallel arrays (row, column, score)."""
    capacities = _capacities(capacities)
    if len(capacities) != n_cols:
        raise AssignmentError(f"{len(capacities)} capacities for {n_cols} columns")
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    values = np.asarray(values, dtype=float)
    if not (len(rows) == len(cols) == len(values)):
        raise AssignmentError("rows, cols and values must have the same length")
    if len(rows) and (rows.min() < 0 or rows.max() >= n_rows or cols.min() < 0
                      or cols.max() >= n_cols):
        raise AssignmentError("a pair points outside the matrix")
    if not np.all(np.isfinite(values)):
        raise AssignmentError("scores must be finite numbers")
    result = np.full(n_rows, -1, dtype=np.int64)
    # Only pairs that can improve the total, at columns that can take someone.
    keep = (values > 0) & (capacities[cols] > 0)
    rows, cols, values = rows[keep], cols[keep], values[keep]
    if len(rows) == 0:
        return Assignment(result, 0.0)
    # A repeated pair keeps its best score.
    order = np.lexsort((-values, cols, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    rows, cols, values = rows[first], cols[first], values[first]

    # Slots: a column never needs more copies than it has candidate rows.
    degree = np.bincount(cols, minlength=n_cols)
    slots = np.minimum(capacities, degree)
    offset = np.zeros(n_cols + 1, dtype=np.int64)
    np.cumsum(slots, out=offset[1:])
    n_slots = int(offset[-1])
    reps = slots[cols]
    edge_rows = np.repeat(rows, reps)
    edge_base = np.repeat(offset[cols], reps)
    starts = np.repeat(np.cumsum(reps) - reps, reps)
    edge_cols = edge_base + (np.arange(len(edge_rows)) - starts)
    big = float(values.max()) + 1.0
    edge_cost = big - np.repeat(values, reps)  # > 0: LAPJVsp ignores zero-weight entries
    # Each row's private "unassigned" slot.
    all_rows = np.concatenate([edge_rows, np.arange(n_rows)])
    all_cols = np.concatenate([edge_cols, n_slots + np.arange(n_rows)])
    all_cost = np.concatenate([edge_cost, np.full(n_rows, big)])
    matrix = sp.csr_array((all_cost, (all_rows, all_cols)), shape=(n_rows, n_slots + n_rows))
    row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
    real = col_ind < n_slots
    slot_owner = np.repeat(np.arange(n_cols), slots)
    result[row_ind[real]] = slot_owner[col_ind[real]]
    return Assignment(result, _total(result, rows, cols, values))


def _total(assigned: np.ndarray, rows, cols, values) -> float:
    """Sum of the scores of the chosen pairs, from the original (deduplicated) values."""
    chosen = assigned[rows] == cols
    return float(values[chosen].sum())


def _capacities(capacities) -> np.ndarray:
    try:
        caps = np.asarray(list(capacities), dtype=float)
    except (TypeError, ValueError) as exc:
        raise AssignmentError("capacities must be a list of whole numbers") from exc
    if caps.ndim != 1:
        raise AssignmentError("capacities must be a flat list")
    if len(caps) and (np.any(~np.isfinite(caps)) or np.any(caps < 0)
                      or np.any(caps != np.round(caps))):
        raise AssignmentError("capacities must be whole numbers ≥ 0")
    return caps.astype(np.int64)


def total_of(scores, assignment: list[int]) -> float:
    """Score of a given assignment over a dense matrix (for checks and the organizer's edits)."""
    return float(sum(scores[i][j] for i, j in enumerate(assignment) if j is not None and j >= 0))


def main_assign(argv: list[str]) -> int:
    """``assign --input FILE``: JSON {"scores": [[...]], "capacities": [...]} → JSON result."""
    parser = argparse.ArgumentParser(
        prog="python -m encuentros.matching assign",
        description="Optimal capacity-constrained assignment. Input JSON: {\"scores\": [[...]], "
        "\"capacities\": [...]} (rows = demands, columns = holders, higher is better, null = not "
        "allowed). Prints {\"assignment\": [column or -1 per row], \"total\": score}.")
    parser.add_argument("--input", required=True,
                        help="JSON file, or - for standard input")
    args = parser.parse_args(argv)
    try:
        if args.input == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.input, encoding="utf-8") as fh:
                data = json.load(fh)
    except OSError as exc:
        print(f"error: cannot read {args.input}: {exc.strerror}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"error: {args.input} is not valid JSON: {exc}", file=sys.stderr)
        return 2
    if not isinstance(data, dict) or "scores" not in data or "capacities" not in data:
        print('error: the input must be an object with "scores" and "capacities"',
              file=sys.stderr)
        return 2
    scores, capacities = data["scores"], data["capacities"]
    if not isinstance(scores, list) or not all(isinstance(r, list) for r in scores):
        print('error: "scores" must be a list of rows', file=sys.stderr)
        return 2
    if not isinstance(capacities, list):
        print('error: "capacities" must be a list', file=sys.stderr)
        return 2
    try:
        result = solve(scores, capacities)
    except AssignmentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({"assignment": result.as_list(), "total": result.total}))
    return 0
