"""Benchmark of the table-rotations engine (encuentros.matching.rotations).

Run: .venv/bin/python benchmarks/rotations.py [--seconds S] [--quick]

Part 1 — Social Golfer instances g-p-w (g tables of p, w rounds) with g, p ≤ 10 whose best-known
number of rounds comes from a combinatorial construction (CSPLib prob010; Miller, Valkov & Abel
2025/26 tables; the values below are the ones we could source, see BEST_KNOWN). For each: the
rounds the engine reaches with zero repeated pairs, the repeated pairs it reports when asked for
the best-known number of rounds, its method and time, and the round-by-round greedy baseline
(rounds before its first repeat, repeats at the best-known count).

Part 2 — event-sized instances: 200, 1,000 and 5,000 people in tables of 6–10, four sectors
with unequal sizes, 5 rounds (and 5,000 × 6 rounds, the target: zero repeats, sector-balanced,
< 10 s on 2 cores).
"""

import argparse
import os
import sys
import time
from collections import Counter

import numpy as np

from encuentros.matching.rotations import count_repeats, greedy_rotations, plan_rotations

# (g, p): (best-known rounds, where it comes from)
BEST_KNOWN = {
    **{(g, 2): (2 * g - 1, "round robin") for g in range(2, 11)},
    **{(q, q): (q + 1, "affine plane") for q in (3, 4, 5, 7, 8, 9)},
    (6, 6): (3, "no 2 MOLS of order 6"),
    (10, 10): (4, "2 MOLS of order 10"),
    (3, 3): (4, "affine plane AG(2,3)"),
    (4, 3): (4, "RTD; NKTS(12) does not exist"),
    (5, 3): (7, "Kirkman triple system KTS(15)"),
    (6, 3): (8, "nearly Kirkman NKTS(18)"),
    (7, 3): (10, "Kirkman triple system KTS(21)"),
    (8, 3): (11, "nearly Kirkman NKTS(24)"),
    (9, 3): (13, "KTS(27) = AG(3,3)"),
    (10, 3): (14, "nearly Kirkman NKTS(30)"),
    (7, 4): (9, "resolvable BIBD(28,4,1)"),
    (8, 4): (10, "Aguado 2004 (4-RGDD 2^16)"),
    (9, 4): (11, "resolvable design (MVA 2025)"),
    (10, 4): (13, "resolvable BIBD(40,4,1)"),
}


def first_repeat_round(rounds) -> int:
    """How many leading rounds have no repeated pair."""
    for w in range(1, len(rounds) + 1):
        if count_repeats(rounds[:w]) > 0:
            return w - 1
    return len(rounds)


def zero_repeat_rounds(n, p, best, result, seconds) -> int:
    """The most rounds (below the best known) the engine schedules with no repeated pair:
    asks it again for best − 1, best − 2, … (at most three tries), else the longest
    repeat-free prefix of the schedule it gave for the best-known count."""
    prefix = first_repeat_round(result.rounds)
    for w in range(best - 1, max(prefix, best - 4), -1):
        if plan_rotations(n, None, p, w, seconds=seconds / 2, seed=0).repeated_pairs == 0:
            return w
    return prefix


def golfers(seconds: float, quick: bool):
    rows = []
    for (g, p), (best, source) in sorted(BEST_KNOWN.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if quick and g * p > 40:
            continue
        n = g * p
        started = time.perf_counter()
        result = plan_rotations(n, None, p, best, seconds=seconds, seed=0)
        elapsed = time.perf_counter() - started
        reached = best if result.repeated_pairs == 0 else zero_repeat_rounds(
            n, p, best, result, seconds)
        greedy = greedy_rotations(n, p, best, seed=0)
        rows.append((f"{g}-{p}-{best}", source, best, reached, result.repeated_pairs,
                     result.method, elapsed, first_repeat_round(greedy.rounds),
                     greedy.repeated_pairs))
    head = (f"{'instance':<9} {'best known from':<28} {'best':>4} {'reached':>7} "
            f"{'repeats@best':>12} {'seconds':>8}  {'greedy reached':>14} "
            f"{'greedy repeats':>14}  method")
    print(head)
    print("-" * len(head))
    for inst, source, best, reached, rep, method, sec, g_reached, g_rep in rows:
        print(f"{inst:<9} {source:<28} {best:>4} {reached:>7} {rep:>12} {sec:>8.3f}  "
              f"{g_reached:>14} {g_rep:>14}  {method}")
    hit = sum(1 for r in rows if r[3] == r[2])
    fast = sum(1 for r in rows if r[3] == r[2] and r[6] < 1)
    print(f"\nbest known reached on {hit} of {len(rows)} instances ({fast} of them in < 1 s)")
    return rows


def unbalanced_tables(rounds, sectors) -> int:
    bad = 0
    for tables in rounds:
        n = sum(len(t) for t in tables)
        totals = Counter(sectors)
        for t in tables:
            counts = Counter(sectors[x] for x in t)
            if any(not (int(c * len(t) / n) <= counts[s] <= -int(-(c * len(t) / n) // 1))
                   for s, c in totals.items()):
                bad += 1
    return bad


def events(seconds: float, quick: bool):
    cases = [(200, 6, 5), (200, 10, 5), (1000, 8, 5), (1000, 10, 5), (5000, 6, 5),
             (5000, 8, 5), (5000, 10, 5), (5000, 8, 6)]
    if quick:
        cases = cases[:3]
    head = (f"{'people':>6} {'table':>5} {'rounds':>6} {'repeats':>7} {'unbalanced':>10} "
            f"{'seconds':>8}  {'greedy repeats':>14} {'greedy s':>8}  method")
    print(head)
    print("-" * len(head))
    for n, p, w in cases:
        rng = np.random.default_rng(n + p + w)
        sectors = list(rng.choice(["government", "civil_society", "academia", "private"],
                                  size=n, p=[0.35, 0.3, 0.2, 0.15]))
        started = time.perf_counter()
        result = plan_rotations(n, sectors, p, w, seconds=max(seconds, 10), seed=0)
        elapsed = time.perf_counter() - started
        started = time.perf_counter()
        greedy = greedy_rotations(n, p, w, sectors, seed=0)
        greedy_s = time.perf_counter() - started
        print(f"{n:>6} {p:>5} {w:>6} {result.repeated_pairs:>7} "
              f"{unbalanced_tables(result.rounds, sectors):>10} {elapsed:>8.2f}  "
              f"{greedy.repeated_pairs:>14} {greedy_s:>8.2f}  {result.method}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0,
                        help="search budget per instance where no construction reaches it")
    parser.add_argument("--quick", action="store_true", help="small instances only")
    args = parser.parse_args(argv)
    print(f"cores: {os.cpu_count()}  python {sys.version.split()[0]}  numpy {np.__version__}\n")
    golfers(args.seconds, args.quick)
    print()
    events(args.seconds, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
