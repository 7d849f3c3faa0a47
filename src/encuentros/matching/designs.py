"""Resolvable designs beyond the closed formulas of ``rotations``.

* Line packings of the projective space PG(3, q) (q = 2, 3): 15 people in tables of 3 for 7
  rounds (Kirkman's schoolgirls) and 40 people in tables of 4 for 13 rounds (a resolvable
  BIBD(40, 4, 1)).
* The Hermitian unital of order 3 in PG(2, 9), resolved into parallel classes: 28 people in
  tables of 4 for 9 rounds (a resolvable BIBD(28, 4, 1)).
* Cyclic starters: people Z_m × {p levels}; some rounds are orbits of one table under the shifts
  x → x + 1 (one person per level), the others are the m shifts of one base round. Found by exact
  cover over the orbits of pairs. This gives Kirkman and nearly-Kirkman triple systems (5-3-7,
  6-3-8, 7-3-10, 8-3-11, 10-3-14) and, with the pairs {x, x + m/2} of a level left as the holes,
  8-4-10 (Aguado's 32 golfers) and 9-4-11.
* Stored schedules (``designs.json``), e.g. found by this engine's search and kept.

Every schedule is checked (partitions, table sizes, no pair twice) by ``rotations.constructions``
before use, so a wrong entry is ignored, never trusted.
"""

import itertools
import json
from functools import lru_cache
from pathlib import Path

from .exact_cover import BudgetExceeded, exact_cover, first_cover

DESIGNS_FILE = Path(__file__).with_name("designs.json")
STARTER_BUDGET = 200_000  # exact-cover nodes before a cyclic starter search gives up


@lru_cache(maxsize=1)
def _designs() -> dict:
    if not DESIGNS_FILE.exists():
        return {}
    with DESIGNS_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def stored_design(g: int, p: int):
    """(method name, rounds) for g tables of p people, or None."""
    entry = _designs().get(f"{g}-{p}")
    if entry is None:
        return None
    return f"stored resolvable design ({entry['source']})", entry["rounds"]


def _resolve(n_points: int, blocks: list[tuple[int, ...]], seed=None):
    """Split the blocks of a design into parallel classes (rounds), or None."""
    rows = {i: list(b) for i, b in enumerate(blocks)}
    try:
        classes = list(exact_cover(range(n_points), rows, max_nodes=500_000))
    except BudgetExceeded:
        return None
    class_rows = {i: c for i, c in enumerate(classes)}
    sol = first_cover(range(len(blocks)), class_rows, seed=seed, max_nodes=500_000)
    if sol is None:
        return None
    return [[list(blocks[b]) for b in class_rows[c]] for c in sorted(sol)]


@lru_cache(maxsize=4)
def projective_packing(q: int):
    """Rounds = spreads of a packing of PG(3, q) (q prime): (q⁴−1)/(q−1) people, tables of
    q + 1, q² + q + 1 rounds."""
    vecs = [v for v in itertools.product(range(q), repeat=4) if any(v)]
    points = [v for v in vecs if v[next(i for i, c in enumerate(v) if c)] == 1]
    index = {v: i for i, v in enumerate(points)}

    def norm(v):
        f = next(c for c in v if c % q)
        inv = pow(f, -1, q)
        return tuple((c * inv) % q for c in v)

    lines = set()
    for a, b in itertools.combinations(range(len(points)), 2):
        u, v = points[a], points[b]
        line = {index[norm(w)] for s in range(q) for t in range(q)
                if any(w := tuple((s * x + t * y) % q for x, y in zip(u, v, strict=True)))}
        lines.add(tuple(sorted(line)))
    return _resolve(len(points), sorted(lines), seed=1)


@lru_cache(maxsize=1)
def hermitian_unital_3():
    """The Hermitian unital x⁴ + y⁴ + z⁴ = 0 of PG(2, 9): 28 points, blocks of 4, resolved."""
    from .rotations import GF

    f = GF(9)
    add, mul = f.add, f.mul

    def power(x, e):
        r = 1
        for _ in range(e):
            r = mul[r, x]
        return r

    points = [v for v in itertools.product(range(9), repeat=3)
              if any(v) and v[next(i for i, c in enumerate(v) if c)] == 1]
    unital = [v for v in points
              if add[add[power(v[0], 4), power(v[1], 4)], power(v[2], 4)] == 0]
    blocks = set()
    for a in points:  # lines of PG(2, 9), by their coordinates
        on = tuple(i for i, v in enumerate(unital)
                   if add[add[mul[a[0], v[0]], mul[a[1], v[1]]], mul[a[2], v[2]]] == 0)
        if len(on) == 4:
            blocks.add(on)
    return _resolve(len(unital), sorted(blocks), seed=0)


def cyclic_starter(m: int, p: int, rounds: int, budget: int = STARTER_BUDGET,
                   seed: int | None = None):
    """m tables of p, people (x, level) = level·m + x with x in Z_m and p levels.

    ``rounds − m`` rounds are orbits of a table with one person per level; the other m rounds
    are the shifts of one base round. Each orbit of cross-level pairs is covered exactly once,
    each orbit of same-level pairs at most once; pairs {x, x + m/2} are never covered (holes).
    Returns the rounds, or None if no starter is found within the budget.
    """
    a = rounds - m
    if a < 0 or m < 2 or p < 2:
        return None
    people = [(x, lv) for lv in range(p) for x in range(m)]

    def orbit(u, v):
        (x, i), (y, j) = u, v
        if i == j:
            d = (y - x) % m
            d = min(d, m - d)
            return None if 2 * d == m else ("same", i, d)
        if i > j:
            (x, i), (y, j) = (y, j), (x, i)
        return ("cross", i, j, (y - x) % m)

    rows = {}
    for offsets in itertools.product(range(m), repeat=p - 1):
        table = [(0, 0)] + [(o, lv + 1) for lv, o in enumerate(offsets)]
        orbs = [orbit(u, v) for u, v in itertools.combinations(table, 2)]
        for slot in range(a):
            rows[("orbit", slot, offsets)] = orbs + [("slot", slot)]
    for table in itertools.combinations(people, p):
        orbs = [orbit(u, v) for u, v in itertools.combinations(table, 2)]
        if None in orbs or len(set(orbs)) < len(orbs):
            continue
        rows[("base", table)] = orbs + [("point", u) for u in table]
    cross = [("cross", i, j, d) for i, j in itertools.combinations(range(p), 2)
             for d in range(m)]
    same = [("same", lv, d) for lv in range(p) for d in range(1, m // 2 + 1) if 2 * d != m]
    primary = cross + [("point", u) for u in people] + [("slot", s) for s in range(a)]
    try:
        sol = first_cover(primary, rows, secondary=same, max_nodes=budget, seed=seed)
    except BudgetExceeded:  # pragma: no cover - first_cover already turns it into None
        sol = None
    if sol is None:
        return None
    schedule = []
    for key in sorted(k for k in sol if k[0] == "orbit"):
        offsets = (0,) + key[2]
        schedule.append([[lv * m + (s + o) % m for lv, o in enumerate(offsets)]
                         for s in range(m)])
    base = [key[1] for key in sol if key[0] == "base"]
    for s in range(m):
        schedule.append([[lv * m + (x + s) % m for x, lv in table] for table in base])
    return schedule


def design_options(g: int, p: int):
    """(rounds, name, builder) for the designs of this module that fit g tables of p. Cyclic
    starters can take minutes to find, so they are searched offline (``main``) and stored."""
    n = g * p
    options = []
    for q in (2, 3):
        if n == (q**4 - 1) // (q - 1) and p == q + 1:
            options.append((q * q + q + 1, f"packing of PG(3,{q})",
                            lambda lim, q=q: (projective_packing(q) or [])[:lim]))
    if (g, p) == (7, 4):
        options.append((9, "resolved Hermitian unital of order 3",
                        lambda lim: (hermitian_unital_3() or [])[:lim]))
    stored = stored_design(g, p)
    if stored is not None:
        options.append((len(stored[1]), stored[0], lambda lim: stored[1][:lim]))
    return options

def _store(g: int, p: int, rounds, source: str) -> bool:
    from .rotations import _valid

    if not rounds or not _valid(rounds, g * p, p):
        return False
    designs = dict(_designs())
    key = f"{g}-{p}"
    if len(designs.get(key, {}).get("rounds", [])) >= len(rounds):
        print("a design with as many rounds is already stored")
        return True
    designs[key] = {"rounds": rounds, "source": source}
    DESIGNS_FILE.write_text(json.dumps(designs, separators=(",", ":")) + "\n", encoding="utf-8")
    _designs.cache_clear()
    print(f"stored {key} with {len(rounds)} rounds ({source})")
    return True


def main(argv=None) -> int:
    """Maintenance of the stored designs (every entry is re-checked when used):

    ``python -m encuentros.matching.designs starter G P W [--seed S] [--nodes N]`` — exact-cover
    search for a cyclic starter; ``... search G P W [--seconds S] [--seeds K]`` — the engine's
    tabu search. A schedule with no repeated pair is stored in designs.json.
    """
    import argparse

    from .rotations import plan_rotations

    parser = argparse.ArgumentParser(prog="python -m encuentros.matching.designs")
    parser.add_argument("how", choices=["starter", "search"])
    parser.add_argument("g", type=int)
    parser.add_argument("p", type=int)
    parser.add_argument("w", type=int)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--nodes", type=int, default=2_000_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args(argv)
    if args.how == "starter":
        rounds = cyclic_starter(args.g, args.p, args.w, args.nodes, seed=args.seed)
        if rounds and _store(args.g, args.p, rounds,
                             f"cyclic starter over Z_{args.g}, found by exact cover"):
            return 0
        print("no starter found within the budget")
        return 1
    n = args.g * args.p
    for seed in range(args.seeds):
        result = plan_rotations(n, None, args.p, args.w, seconds=args.seconds, seed=seed)
        print(f"seed {seed}: {result.repeated_pairs} repeated pairs ({result.method})",
              flush=True)
        if result.repeated_pairs == 0 and _store(
                args.g, args.p, result.rounds,
                f"{args.g}-{args.p}-{args.w} found by this engine's tabu search"):
            return 0
    return 1


if __name__ == "__main__":
    import sys

    sys.exit(main())
