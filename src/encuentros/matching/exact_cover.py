"""Knuth's Algorithm X for exact cover, with secondary columns and a node budget.

Used to build resolvable designs: the parallel classes of a finite geometry, a resolution of a
design into rounds, or a base round developed by a cyclic group. Pure Python, no Django.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence


class BudgetExceeded(Exception):
    """The search visited more nodes than allowed without finishing."""


def exact_cover(primary: Iterable[Hashable], rows: Mapping[Hashable, Sequence[Hashable]], *,
                secondary: Iterable[Hashable] = (), seed: int | None = None,
                max_nodes: int | None = None) -> Iterator[list]:
    """Yield lists of row ids that cover every primary column exactly once and every secondary
    column at most once. Rows are tried in sorted order, or shuffled when ``seed`` is given.
    Raises BudgetExceeded after ``max_nodes`` search nodes."""
    primary = list(primary)
    columns: dict = {c: set() for c in primary}
    for c in secondary:
        columns.setdefault(c, set())
    for r, cols in rows.items():
        for c in cols:
            if c not in columns:
                raise KeyError(f"row {r!r} uses unknown column {c!r}")
            columns[c].add(r)
    required = set(primary)
    rng = random.Random(seed) if seed is not None else None
    solution: list = []
    nodes = [0]

    def select(r):
        removed = []
        for j in rows[r]:
            for i in columns[j]:
                for k in rows[i]:
                    if k != j:
                        columns[k].discard(i)
            removed.append((j, columns.pop(j)))
        return removed

    def deselect(r, removed):
        for j, rows_j in reversed(removed):
            columns[j] = rows_j
            for i in rows_j:
                for k in rows[i]:
                    if k != j:
                        columns[k].add(i)

    def solve():
        nodes[0] += 1
        if max_nodes is not None and nodes[0] > max_nodes:
            raise BudgetExceeded
        open_primary = [c for c in required if c in columns]
        if not open_primary:
            yield list(solution)
            return
        col = min(open_primary, key=lambda c: len(columns[c]))
        candidates = list(columns[col])
        if rng is not None:
            rng.shuffle(candidates)
        else:
            candidates.sort(key=repr)
        for r in candidates:
            solution.append(r)
            removed = select(r)
            yield from solve()
            deselect(r, removed)
            solution.pop()

    yield from solve()


def first_cover(primary, rows, **kwargs) -> list | None:
    """The first exact cover, or None if there is none (or the budget runs out)."""
    try:
        return next(exact_cover(primary, rows, **kwargs), None)
    except BudgetExceeded:
        return None
