"""Table rotations: tables × rounds with no pair seated together twice, sectors mixed evenly.

Objective, in order: (1) no pair of people shares a table twice (the Social Golfer Problem,
CSPLib prob010), (2) every table mixes sectors as evenly as the counts allow, (3) people with
shared topics sit together where asked.

Method:

* **Exact constructions** when the instance admits one (uniform tables, no locks, absentees or
  earlier rounds): round robin (tables of 2), affine geometries AG(k, q) over GF(q) (q people per
  table, q^k people — affine planes and Kirkman triple systems of order 3^k), resolvable
  transversal designs from mutually orthogonal Latin squares (g tables of p with p ≤ g; with the
  sectors as the design's groups every table seats one person per sector and every cross-sector
  pair meets exactly once) and a few stored resolvable designs (:mod:`.designs`), each checked
  before use.
* **Local search** otherwise, and to add rounds a construction cannot give: a round-by-round
  greedy start that fills each table with its sector quota (so every table is balanced from the
  start), then tabu search over swaps of people in conflict — within the same sector when
  balancing, so balance is never lost — with random perturbations and restarts from the best
  schedule, until there is no repeated pair or the time budget is spent.

The cost of a pair that meets m times is m(m−1)/2, so unavoidable repeats are spread instead of
piled on one pair. Forbidden pairs count as if they had already met many times.

No Django here: plain Python and NumPy in, plain lists out.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "RotationError", "RotationResult", "plan_rotations", "greedy_rotations", "count_repeats",
    "upper_bound", "main_rotations",
]

FORBIDDEN_WEIGHT = 1000  # a forbidden pair costs as much as having met this many times


class RotationError(ValueError):
    """The instance cannot be scheduled as given (sizes, capacities, locks)."""


@dataclass
class RotationResult:
    rounds: list[list[list[int]]]  # round → table → person indices (sorted)
    repeated_pairs: int  # Σ (times met − 1) over pairs met more than once, incl. previous rounds
    method: str
    forbidden_violations: int = 0
    stats: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"rounds": self.rounds, "repeated_pairs": self.repeated_pairs,
                "method": self.method}


# --- Finite fields ---------------------------------------------------------------------------

def _prime_power(q: int) -> tuple[int, int] | None:
    """(p, k) with q = p^k for a prime p, or None."""
    if q < 2:
        return None
    for p in range(2, int(math.isqrt(q)) + 1):
        if q % p == 0:
            k, rest = 0, q
            while rest % p == 0:
                rest //= p
                k += 1
            return (p, k) if rest == 1 else None
    return (q, 1)


def _smallest_prime_factor(n: int) -> int:
    for p in range(2, int(math.isqrt(n)) + 1):
        if n % p == 0:
            return p
    return n


class GF:
    """GF(p^k) with elements 0..q−1 (base-p digits = polynomial coefficients)."""

    def __init__(self, q: int):
        pk = _prime_power(q)
        if pk is None:
            raise ValueError(f"{q} is not a prime power")
        self.q, (self.p, self.k) = q, pk
        p, k = self.p, self.k
        digits = np.array([[(x // p**i) % p for i in range(k)] for x in range(q)], dtype=np.int64)
        weights = p ** np.arange(k)
        self.add = ((digits[:, None, :] + digits[None, :, :]) % p) @ weights
        if k == 1:
            self.mul = np.outer(np.arange(q), np.arange(q)) % q
        else:
            exp = self._primitive_powers()
            log = np.zeros(q, dtype=np.int64)
            log[exp] = np.arange(q - 1)
            la, lb = np.meshgrid(log, log, indexing="ij")
            mul = exp[(la + lb) % (q - 1)]
            mul[0, :] = 0
            mul[:, 0] = 0
            self.mul = mul
        self.neg = np.array([int(np.where(self.add[x] == 0)[0][0]) for x in range(q)])

    def _primitive_powers(self) -> np.ndarray:
        """Powers 1, x, x², … of x modulo a primitive polynomial (found by trying monic ones:
        x has order q − 1 exactly when the polynomial is primitive, hence irreducible)."""
        p, k, q = self.p, self.k, self.q
        for code in range(p**k):
            tail = [(code // p**i) % p for i in range(k)]  # f = x^k + Σ tail[i] x^i
            if tail[0] == 0:
                continue
            powers, cur, seen = [], [1] + [0] * (k - 1), set()
            for _ in range(q - 1):
                value = sum(c * p**i for i, c in enumerate(cur))
                if value in seen:
                    break
                seen.add(value)
                powers.append(value)
                top = cur[-1]  # multiply by x, then replace x^k by −Σ tail[i] x^i
                cur = [0] + cur[:-1]
                cur = [(c - top * t) % p for c, t in zip(cur, tail, strict=False)]
            else:
                if cur == [1] + [0] * (k - 1):
                    return np.array(powers, dtype=np.int64)
        raise ValueError(f"no primitive polynomial for GF({q})")  # pragma: no cover


# --- Constructions ---------------------------------------------------------------------------
# Each returns a list of rounds, a round being a list of tables (lists of people 0..n−1).

def round_robin(n: int, limit: int | None = None) -> list[list[list[int]]]:
    """Circle method: n even, tables of 2, n−1 rounds, every pair meets exactly once."""
    rounds = []
    m = n - 1
    for r in range(min(m, limit or m)):
        tables = [[r, n - 1]]
        for i in range(1, n // 2):
            tables.append([(r + i) % m, (r - i) % m])
        rounds.append(tables)
    return rounds


def affine_geometry(q: int, k: int, limit: int | None = None) -> list[list[list[int]]]:
    """Parallel classes of lines of AG(k, q): q^k people, tables of q, (q^k−1)/(q−1) rounds."""
    field_ = GF(q)
    n = q**k
    points = np.array([[(x // q**i) % q for i in range(k)] for x in range(n)], dtype=np.int64)
    weights = q ** np.arange(k)
    rounds = []
    for code in range(1, n):
        if limit is not None and len(rounds) >= limit:
            break
        d = [(code // q**i) % q for i in range(k)]
        pivot = next(i for i, c in enumerate(d) if c)
        if d[pivot] != 1:
            continue  # one direction per 1-dimensional subspace
        # Representative of x's line: x − x[pivot]·d (zero at the pivot coordinate).
        lam = points[:, pivot]
        shift = field_.mul[lam[:, None], np.array(d)[None, :]]
        reps = field_.add[points, field_.neg[shift]] @ weights
        tables: dict[int, list[int]] = {}
        for person, rep in enumerate(reps.tolist()):
            tables.setdefault(rep, []).append(person)
        rounds.append(list(tables.values()))
    return rounds


def transversal_design(g: int, p: int, limit: int | None = None
                       ) -> list[list[list[int]]] | None:
    """Resolvable transversal design: p groups of g (person = group·g + y), g tables of p.

    Round a, table b holds person (i, a·m_i + b) of every group i, with m_i distinct elements of
    GF(g) (or of Z_g when p ≤ the smallest prime factor of g). Every table has one person per
    group and two people of different groups meet exactly once over the g rounds.
    """
    if p > g:
        return None
    if _prime_power(g):
        f = GF(g)
        add, mul = f.add, f.mul
    elif p <= _smallest_prime_factor(g):
        idx = np.arange(g)
        add = (idx[:, None] + idx[None, :]) % g
        mul = (idx[:, None] * idx[None, :]) % g
    else:
        return None
    rounds = []
    limit = g + 1 if limit is None else limit
    for a in range(min(g, limit)):
        rounds.append([[i * g + int(add[mul[a, i], b]) for i in range(p)] for b in range(g)])
    if p == g and limit > g:  # the last parallel class: each group at its own table
        rounds.append([[i * g + y for y in range(g)] for i in range(p)])
    return rounds


def latin_grid(g: int) -> list[list[list[int]]]:
    """g tables of g: people are the cells of a g × g grid; rounds are its rows, its columns
    and the symbols of the cyclic Latin square (x + y mod g) — 3 rounds for any g."""
    rows = [[x * g + y for y in range(g)] for x in range(g)]
    cols = [[x * g + y for x in range(g)] for y in range(g)]
    diag = [[x * g + (s - x) % g for x in range(g)] for s in range(g)]
    return [rows, cols, diag]


def constructions(g: int, p: int, limit: int | None = None
                  ) -> list[tuple[str, list[list[list[int]]]]]:
    """Every construction that applies to g tables of p people, most rounds first, each built
    with at most ``limit`` rounds and checked before it is returned."""
    from .designs import design_options

    n = g * p
    options = []  # (rounds it gives, name, builder)
    if p == 2:
        options.append((n - 1, "round robin", lambda lim: round_robin(n, lim)))
    if _prime_power(p):
        k = round(math.log(n, p)) if n > 1 else 0
        if k >= 2 and p**k == n:
            options.append(((n - 1) // (p - 1), f"affine geometry AG({k},{p})",
                            lambda lim: affine_geometry(p, k, lim)))
    if p <= g and (_prime_power(g) or p <= _smallest_prime_factor(g)):
        options.append((g + (1 if p == g else 0), f"resolvable transversal design RTD({p},{g})",
                        lambda lim: transversal_design(g, p, lim)))
    if g == p and g > 2:
        options.append((3, f"Latin square grid ({g}×{g})", lambda lim: latin_grid(g)[:lim]))
    options.extend(design_options(g, p))
    options.sort(key=lambda item: -item[0])
    found = []
    for _count, name, build in options:
        rounds = build(limit)
        if rounds and _valid(rounds, n, p):
            found.append((name, rounds))
    return found


def _valid(rounds, n: int, p: int) -> bool:
    """A construction is used only after checking it: partitions, sizes, no repeated pair."""
    keys = []
    for tables in rounds:
        arr = np.asarray(tables, dtype=np.int64)
        if arr.ndim != 2 or arr.shape[1] != p or arr.size != n:
            return False
        if not np.array_equal(np.sort(arr.ravel()), np.arange(n)):
            return False
        i, j = np.triu_indices(p, 1)
        a, b = arr[:, i], arr[:, j]
        keys.append((np.minimum(a, b) * n + np.maximum(a, b)).ravel())
    if not keys:
        return False
    allkeys = np.concatenate(keys)
    return len(np.unique(allkeys)) == len(allkeys)


def upper_bound(g: int, p: int) -> int:
    """Counting bound on zero-repeat rounds: ⌊(gp−1)/(p−1)⌋ (1 when g < p)."""
    if p < 2:
        return 1
    if g < p:
        return 1
    return (g * p - 1) // (p - 1)


# --- Instance preparation --------------------------------------------------------------------

def _sizes_for(present: int, table_sizes) -> list[int]:
    """Table sizes for one round: a table size p → ⌈present/p⌉ tables differing by ≤ 1;
    a list of capacities → those tables, filled as evenly (relative to capacity) as possible."""
    if isinstance(table_sizes, int):
        p = table_sizes
        if p < 2:
            raise RotationError("tables must seat at least 2 people")
        g = max(1, -(-present // p))
        base, extra = divmod(present, g)
        return [base + 1 if t < extra else base for t in range(g)]
    caps = [int(c) for c in table_sizes]
    if not caps or any(c < 1 for c in caps):
        raise RotationError("every table needs a capacity of at least 1")
    if sum(caps) < present:
        raise RotationError(f"{present} people do not fit at tables for {sum(caps)}")
    sizes = [0] * len(caps)
    for _ in range(present):
        t = min((s / c, -c, t) for t, (s, c) in enumerate(zip(sizes, caps, strict=True))
                if s < c)[2]
        sizes[t] += 1
    return sizes


def _quotas(sizes: list[int], sector_of_present: np.ndarray, n_sectors: int) -> np.ndarray:
    """quota[t, s]: how many of sector s sit at table t; rows sum to the sizes, columns to the
    sector counts, each entry within one of its proportional share (dealt cyclically)."""
    g = len(sizes)
    quota = np.zeros((g, n_sectors), dtype=np.int64)
    order = np.argsort(sector_of_present, kind="stable")
    free = list(sizes)
    t = 0
    for s in sector_of_present[order].tolist():
        # next table (cyclically) with room: a cyclic deal of the sector-sorted list.
        for _ in range(g):
            if free[t] > 0:
                break
            t = (t + 1) % g
        quota[t, s] += 1
        free[t] -= 1
        t = (t + 1) % g
    return quota


@dataclass
class _Round:
    people: np.ndarray  # the present people, in the order they appear
    sizes: list[int]
    quota: np.ndarray  # tables × sectors
    fixed: dict[int, int]  # person → table


# --- Search state ----------------------------------------------------------------------------

def _pair_cost(mat: np.ndarray) -> int:
    """Σ over pairs of m(m−1)/2 for a symmetric meeting matrix (in row blocks: little memory)."""
    total = 0
    for i in range(0, mat.shape[0], 512):
        block = mat[i:i + 512].astype(np.int64)
        total += int((block * (block - 1) // 2).sum())
    return total // 2


class _State:
    """Assignments of every round plus the pair-meeting matrix M (includes previous rounds).

    Each round keeps a padded table array ``pad[r]`` (tables × largest size, −1 = empty seat)
    so that conflicts and move costs are computed with vectorised gathers.
    """

    def __init__(self, n: int, base: np.ndarray, rounds: list[_Round], sector: np.ndarray,
                 assign: list[np.ndarray]):
        self.n, self.rounds, self.sector = n, rounds, sector
        self.base = base
        self.base_cost = _pair_cost(base)
        self.tabu_until = np.zeros((len(rounds), n), dtype=np.int64)
        self.assign = [a.copy() for a in assign]  # per round: table of each person (−1 absent)
        self.pad = []
        for r, a in enumerate(self.assign):
            g = len(rounds[r].sizes)
            smax = max(rounds[r].sizes)
            pad = np.full((g, smax), -1, dtype=np.int64)
            fill = np.zeros(g, dtype=np.int64)
            for x in rounds[r].people.tolist():
                t = a[x]
                pad[t, fill[t]] = x
                fill[t] += 1
            self.pad.append(pad)
        self.M = base.copy()
        for r in range(len(rounds)):
            for t in range(len(self.pad[r])):
                members = self.table(r, t)
                if len(members) > 1:
                    self.M[np.ix_(members, members)] += 1
        np.fill_diagonal(self.M, 0)

    def table(self, r: int, t: int) -> np.ndarray:
        row = self.pad[r][t]
        return row[row >= 0]

    def _gather(self, r: int):
        pad = self.pad[r]
        valid = pad >= 0
        safe = np.where(valid, pad, 0)
        return pad, valid, safe

    def cost(self) -> int:
        """Σ m(m−1)/2 over pairs, minus what the fixed earlier rounds already contribute."""
        return _pair_cost(self.M) - self.base_cost

    def conflicts(self) -> list[tuple[int, int]]:
        """(round, person) pairs where the person shares a table with someone met before."""
        out = []
        for r in range(len(self.rounds)):
            pad, valid, safe = self._gather(r)
            sub = self.M[safe[:, :, None], safe[:, None, :]]
            both = valid[:, :, None] & valid[:, None, :]
            bad = ((sub > 1) & both).any(axis=2)
            out.extend((r, int(x)) for x in pad[bad].tolist())
        return out

    def swap(self, r: int, x: int, y: int) -> None:
        a = self.assign[r]
        ta, tb = int(a[x]), int(a[y])
        A, B = self.table(r, ta), self.table(r, tb)
        A_rest, B_rest = A[A != x], B[B != y]
        self.M[x, A_rest] -= 1
        self.M[A_rest, x] -= 1
        self.M[y, B_rest] -= 1
        self.M[B_rest, y] -= 1
        self.M[x, B_rest] += 1
        self.M[B_rest, x] += 1
        self.M[y, A_rest] += 1
        self.M[A_rest, y] += 1
        a[x], a[y] = tb, ta
        pad = self.pad[r]
        pad[ta][pad[ta] == x] = y
        pad[tb][pad[tb] == y] = x

    def deltas(self, r: int, x: int, candidates: np.ndarray) -> np.ndarray:
        """Change of the cost Σ m(m−1)/2 for swapping x with each candidate (other tables)."""
        a = self.assign[r]
        pad, valid, safe = self._gather(r)
        ta = a[x]
        Mx = self.M[x]
        sx = np.where(valid, Mx[safe], 0).sum(axis=1)  # x's meetings with each table
        sizes = valid.sum(axis=1)
        tb = a[candidates]
        A = pad[ta][valid[ta]]
        MyA = self.M[np.ix_(candidates, A)].sum(axis=1)
        own_y = np.where(valid[tb], self.M[candidates[:, None], safe[tb]], 0).sum(axis=1)
        Mxy = Mx[candidates].astype(np.int64)
        new = (sx[tb] - Mxy) + (MyA - Mxy)
        old = (sx[ta] - (sizes[ta] - 1)) + (own_y - (sizes[tb] - 1))
        return (new - old).astype(np.int64)

    def output(self) -> list[list[list[int]]]:
        return [[sorted(int(x) for x in row[row >= 0]) for row in pad] for pad in self.pad]


# --- Greedy ----------------------------------------------------------------------------------

def _greedy_round(M: np.ndarray, rnd: _Round, sector: np.ndarray, rng: random.Random,
                  balance: bool) -> np.ndarray:
    """Seat one round: fixed people first, then everyone else at the table with the fewest
    earlier meetings among those with room (and with quota left for their sector)."""
    n = M.shape[0]
    g = len(rnd.sizes)
    assign = np.full(n, -1, dtype=np.int64)
    room = np.array(rnd.sizes, dtype=np.int64)
    quota = rnd.quota.copy()
    for person, table in rnd.fixed.items():
        if room[table] <= 0:
            raise RotationError(f"too many people are fixed to table {table + 1}")
        assign[person] = table
        room[table] -= 1
        s = sector[person]
        if quota[table, s] > 0:
            quota[table, s] -= 1
        else:  # take the unit from another sector at this table, give it back elsewhere
            other = [c for c in range(quota.shape[1]) if quota[table, c] > 0]
            donor = [t for t in range(g) if quota[t, s] > 0 and other and
                     quota[t, other[0]] >= 0]
            if other and donor:
                quota[table, other[0]] -= 1
                quota[donor[0], s] -= 1
                quota[donor[0], other[0]] += 1
    rest = [int(x) for x in rnd.people if assign[x] < 0]
    rng.shuffle(rest)
    placed_arr = np.empty(len(rnd.people), dtype=np.int64)
    k = 0
    for x in rnd.people.tolist():
        if assign[x] >= 0:
            placed_arr[k] = x
            k += 1
    noise = np.random.default_rng(rng.getrandbits(32)).random((len(rest), g))
    for i, x in enumerate(rest):
        placed = placed_arr[:k]
        if k:
            load = np.bincount(assign[placed], weights=M[x, placed], minlength=g)
        else:
            load = np.zeros(g)
        ok = room > 0
        if balance:
            ok_sector = ok & (quota[:, sector[x]] > 0)
            if ok_sector.any():
                ok = ok_sector
        t = int(np.argmin(np.where(ok, load * 1000.0 + noise[i], np.inf)))
        assign[x] = t
        room[t] -= 1
        if quota[t, sector[x]] > 0:
            quota[t, sector[x]] -= 1
        placed_arr[k] = x
        k += 1
    return assign


# --- Tabu search -----------------------------------------------------------------------------

def _tabu(state: _State, deadline: float, rng: random.Random, balance: bool,
          movable: list[np.ndarray]) -> tuple[int, list[np.ndarray]]:
    """Swap-based tabu search on the repeated-pair cost; returns the best cost and assignment."""
    cost = state.cost()
    best, best_assign = cost, [a.copy() for a in state.assign]
    if cost == 0:
        return best, best_assign
    it, stale = 0, 0
    np_rng = np.random.default_rng(rng.getrandbits(32))

    def candidates(r, x):
        a = state.assign[r]
        cand = state.rounds[r].people
        mask = (a[cand] != a[x]) & movable[r][cand]
        if balance:
            mask &= state.sector[cand] == state.sector[x]
        return cand[mask]

    dense = state.n * state.n * len(state.rounds) <= DENSE_LIMIT
    while time.perf_counter() < deadline and cost > 0:
        it += 1
        conflicts = [] if dense else [c for c in state.conflicts() if movable[c[0]][c[1]]]
        if not dense and not conflicts:
            break
        if dense:
            move = _best_dense_move(state, conflicts, it, cost, best, balance, movable,
                                    np_rng)
            best_move, best_delta = move if move else (None, 0)
        else:
            best_move, best_delta = _best_sampled_move(state, conflicts, it, cost, best,
                                                       candidates, rng, np_rng)
        if best_move is None:
            state.tabu_until[:] = 0
            continue
        r, x, y = best_move
        state.swap(r, x, y)
        cost += best_delta
        tenure = rng.randint(*TENURE)
        state.tabu_until[r, x] = it + tenure
        state.tabu_until[r, y] = it + tenure
        if cost < best:
            best, best_assign, stale = cost, [a.copy() for a in state.assign], 0
            if best == 0:
                break
        else:
            stale += 1
        if stale > STALE_LIMIT:  # perturb: a few random swaps among people in conflict
            stale = 0
            state.tabu_until[:] = 0
            pool = conflicts or [c for c in state.conflicts() if movable[c[0]][c[1]]]
            for r, x in rng.sample(pool, min(PERTURB_SWAPS, len(pool))):
                cand = candidates(r, x)
                if len(cand):
                    y = cand[rng.randrange(len(cand))]
                    cost += int(state.deltas(r, x, np.array([y]))[0])
                    state.swap(r, x, int(y))
        if it % 2000 == 0:  # restart from the best schedule now and then
            state.__init__(state.n, state.base, state.rounds, state.sector, best_assign)
            cost = best
    return best, best_assign


TENURE = (4, 12)  # iterations a moved person stays tabu in that round
STALE_LIMIT = 80  # non-improving iterations before a perturbation
PERTURB_SWAPS = 3
DENSE_LIMIT = 400_000  # n²·rounds up to which the whole swap neighbourhood is one array


def _best_dense_move(state, conflicts, it, cost, best, balance, movable, np_rng):
    """Best swap over every (person in conflict, anyone at another table) of every round,
    computed for all rounds at once: Δ[r, i, j] = S[r, i, t_j] + S[r, j, t_i] − 2·M[i, j]
    − own_i − own_j, with S[r, i, t] = person i's meetings with table t of round r.
    Absent people sit at an extra, immovable table."""
    n = state.n
    w = len(state.rounds)
    g = max(pad.shape[0] for pad in state.pad) + 1
    A = np.stack(state.assign)  # w × n
    A = np.where(A < 0, g - 1, A)
    M = state.M.astype(np.int64)
    E = np.zeros((w, n, g), dtype=np.int64)
    E[np.arange(w)[:, None], np.arange(n)[None, :], A] = 1
    S = M[None, :, :] @ E  # w × n × g
    sizes = E.sum(axis=1)  # w × g
    own = np.take_along_axis(S, A[:, :, None], axis=2)[:, :, 0] - (
        np.take_along_axis(sizes, A, axis=1) - 1)
    X = np.take_along_axis(S, np.broadcast_to(A[:, None, :], (w, n, n)), axis=2)
    mov = np.stack(movable)
    delta = X + X.transpose(0, 2, 1) - 2 * M[None] - own[:, :, None] - own[:, None, :]
    same = A[:, :, None] == A[:, None, :]
    rows = (same & (M[None] > 1)).any(axis=2) & mov
    if not rows.any():
        return None
    ok = ~same & mov[:, :, None] & mov[:, None, :]
    if balance:
        ok &= (state.sector[:, None] == state.sector[None, :])[None]
    tabu_now = state.tabu_until > it
    free = ~(tabu_now[:, :, None] | tabu_now[:, None, :])
    allowed = ok & rows[:, :, None] & (free | (cost + delta < best))
    if not allowed.any():
        return None
    key = np.where(allowed, delta + np_rng.random(delta.shape), np.inf)
    r, i, j = np.unravel_index(int(np.argmin(key)), key.shape)
    return (int(r), int(i), int(j)), int(delta[r, i, j])


def _best_sampled_move(state, conflicts, it, cost, best, candidates, rng, np_rng):
    """For large rounds: the best swap for a sample of the people in conflict."""
    if len(conflicts) > 24:
        conflicts = rng.sample(conflicts, 24)
    best_move, best_delta, best_key = None, 0, None
    for r, x in conflicts:
        cand = candidates(r, x)
        if len(cand) == 0:
            continue
        d = state.deltas(r, x, cand)
        key = d + np_rng.random(len(d))  # random tie-breaking
        for j in np.argsort(key)[:8].tolist():
            y = int(cand[j])
            is_tabu = state.tabu_until[r, x] > it or state.tabu_until[r, y] > it
            if is_tabu and cost + d[j] >= best:
                continue  # tabu, and not good enough for aspiration
            if best_key is None or key[j] < best_key:
                best_move, best_delta, best_key = (r, x, y), int(d[j]), key[j]
            break
    return best_move, best_delta


def _topic_climb(state: _State, topics_matrix: np.ndarray, deadline: float,
                 rng: random.Random, balance: bool, movable: list[np.ndarray]) -> None:
    """Objective (3): swaps that add shared topics at tables without adding any repeat."""
    for _ in range(20000):
        if time.perf_counter() > deadline:
            return
        r = rng.randrange(len(state.rounds))
        people = state.rounds[r].people
        x = int(people[rng.randrange(len(people))])
        if not movable[r][x]:
            continue
        a = state.assign[r]
        mask = (a[people] != a[x]) & movable[r][people]
        if balance:
            mask &= state.sector[people] == state.sector[x]
        cand = people[mask]
        if len(cand) == 0:
            continue
        d = state.deltas(r, x, cand)
        ok = cand[d <= 0]
        if len(ok) == 0:
            continue
        A = state.table(r, a[x])
        gain = []
        for y in ok.tolist():
            B = state.table(r, a[y])
            A_rest, B_rest = A[A != x], B[B != y]
            gain.append(topics_matrix[x, B_rest].sum() + topics_matrix[y, A_rest].sum()
                        - topics_matrix[x, A_rest].sum() - topics_matrix[y, B_rest].sum())
        j = int(np.argmax(gain))
        if gain[j] > 0:
            state.swap(r, x, int(ok[j]))


# --- Public entry points ---------------------------------------------------------------------

def _prepare(n_people, sectors, table_sizes, rounds, fixed, absent):
    if n_people < 1:
        raise RotationError("there is nobody to seat")
    if rounds < 1:
        raise RotationError("at least one round is needed")
    labels = list(sectors) if sectors is not None else [None] * n_people
    if len(labels) != n_people:
        raise RotationError(f"{len(labels)} sectors given for {n_people} people")
    codes: dict = {}
    sector = np.array([codes.setdefault(s, len(codes)) for s in labels], dtype=np.int64)
    fixed = dict(fixed or {})
    absent = {int(r): set(v) for r, v in (absent or {}).items()}
    plan = []
    for r in range(rounds):
        people = np.array([x for x in range(n_people) if x not in absent.get(r, ())],
                          dtype=np.int64)
        if len(people) == 0:
            raise RotationError(f"nobody is present in round {r + 1}")
        sizes = _sizes_for(len(people), table_sizes)
        fixed_r = {}
        for (person, rr), table in fixed.items():
            if rr != r:
                continue
            if not 0 <= person < n_people:
                raise RotationError(f"fixed person {person} does not exist")
            if person in absent.get(r, ()):
                raise RotationError(f"person {person} is fixed to a table in round {r + 1} "
                                    "but absent")
            if not 0 <= table < len(sizes):
                raise RotationError(f"round {r + 1} has {len(sizes)} tables; table "
                                    f"{table + 1} does not exist")
            fixed_r[int(person)] = int(table)
        plan.append(_Round(people, sizes, _quotas(sizes, sector[people], len(codes)), fixed_r))
    return sector, plan, len(codes)


def _base_matrix(n, previous_rounds, forbidden_pairs):
    dtype = np.int16 if n > 2000 else np.int32
    base = np.zeros((n, n), dtype=dtype)
    for tables in previous_rounds or ():
        for t in tables:
            t = np.asarray(list(t), dtype=np.int64)
            if len(t) > 1:
                base[np.ix_(t, t)] += 1
    for a, b in forbidden_pairs or ():
        if a != b:
            base[a, b] += FORBIDDEN_WEIGHT
            base[b, a] += FORBIDDEN_WEIGHT
    np.fill_diagonal(base, 0)
    return base


def count_repeats(rounds: Iterable[Sequence[Sequence[int]]],
                  previous_rounds: Iterable[Sequence[Sequence[int]]] = ()) -> int:
    """Σ (times met − 1) over every pair that shares a table more than once."""
    met: dict[tuple[int, int], int] = {}
    for tables in list(previous_rounds) + list(rounds):
        for t in tables:
            t = sorted(t)
            for i, a in enumerate(t):
                for b in t[i + 1:]:
                    met[(a, b)] = met.get((a, b), 0) + 1
    return sum(m - 1 for m in met.values() if m > 1)


def _balanced(rounds, sector: np.ndarray) -> bool:
    for tables in rounds:
        people = [x for t in tables for x in t]
        n = len(people)
        totals = np.bincount(sector[people], minlength=int(sector.max()) + 1)
        for t in tables:
            counts = np.bincount(sector[t], minlength=len(totals))
            ideal = totals * len(t) / n
            if np.any(counts < np.floor(ideal)) or np.any(counts > np.ceil(ideal)):
                return False
    return True


def _try_construction(n, sector, n_sectors, table_sizes, rounds, sectors_given):
    """A checked construction for the instance (people relabelled to fit the sectors), as
    (method, schedule) — possibly with fewer rounds than asked — or None."""
    if not isinstance(table_sizes, int) or n % table_sizes:
        return None
    p, g = table_sizes, n // table_sizes
    order = np.argsort(sector, kind="stable")  # people grouped by sector
    counts = np.bincount(sector)
    if sectors_given and n_sectors == p and np.all(counts == g):
        td = transversal_design(g, p, rounds)
        if td is not None:
            # group i = sector i: person i·g + y of the design is the y-th person of sector i.
            mapped = [[[int(order[x]) for x in t] for t in tables] for tables in td[:g]]
            if _valid_people(mapped, n):
                return f"resolvable transversal design RTD({p},{g}), one per sector", mapped
    for name, design in constructions(g, p, rounds):
        # Deal the sector-sorted people onto the points of the first round's tables cyclically,
        # so at least the first round is balanced; later rounds are checked.
        first = design[0]
        points = [first[t][i] for i in range(p) for t in range(g)]
        relabel = np.empty(n, dtype=np.int64)
        relabel[points] = order
        mapped = [[[int(relabel[x]) for x in t] for t in tables] for tables in design]
        return name, mapped
    return None


def _valid_people(rounds, n) -> bool:
    return all(sorted(x for t in tables for x in t) == list(range(n)) for tables in rounds)


def plan_rotations(n_people: int, sectors: Sequence | None = None,
                   table_sizes: int | Sequence[int] = 4, rounds: int = 1, *,
                   topics: Sequence[Iterable] | None = None, prefer_shared_topics: bool = False,
                   forbidden_pairs: Iterable[tuple[int, int]] = (),
                   fixed: Mapping[tuple[int, int], int] | None = None,
                   previous_rounds: Sequence[Sequence[Sequence[int]]] = (),
                   absent: Mapping[int, Iterable[int]] | None = None,
                   seconds: float = 2.0, seed: int = 0) -> RotationResult:
    """Seat ``n_people`` (numbered 0..n−1) for ``rounds`` rounds.

    sectors: one label per person (None = ignore sectors). table_sizes: a table size p (then
    ⌈n/p⌉ tables per round, sizes differing by at most one) or a list of capacities.
    fixed: {(person, round index): table index} locks. previous_rounds: rounds already held
    (their meetings count as met). absent: {round index: people not present in that round}.
    Returns the rounds with their tables and the repeated pairs over previous + new rounds.
    """
    started = time.perf_counter()
    deadline = started + max(0.05, float(seconds))
    rng = random.Random(seed)
    sectors_given = sectors is not None and len(set(sectors)) > 1
    sector, plan, n_sectors = _prepare(n_people, sectors, table_sizes, rounds, fixed, absent)
    forbidden_pairs = list(forbidden_pairs or ())
    simple = not (fixed or previous_rounds or forbidden_pairs
                  or any(absent.values() if absent else ()))
    construction = None
    if simple:
        construction = _try_construction(n_people, sector, n_sectors, table_sizes, rounds,
                                         sectors_given)
    topics_matrix = None
    if prefer_shared_topics and topics is not None and n_people <= 4000:
        vocab: dict = {}
        rows = [[vocab.setdefault(t, len(vocab)) for t in ts] for ts in topics]
        if vocab:
            T = np.zeros((n_people, len(vocab)), dtype=np.int16)
            for i, row in enumerate(rows):
                T[i, row] = 1
            topics_matrix = (T @ T.T).astype(np.int32)
            np.fill_diagonal(topics_matrix, 0)

    if construction is not None:
        name, design = construction
        if len(design) >= rounds and (not sectors_given or _balanced(design[:rounds], sector)) \
                and topics_matrix is None:
            out = [[sorted(t) for t in tables] for tables in design[:rounds]]
            return RotationResult(out, count_repeats(out), name,
                                  stats={"seconds": time.perf_counter() - started})

    base = _base_matrix(n_people, previous_rounds, forbidden_pairs)
    movable = []
    for rnd in plan:
        mv = np.zeros(n_people, dtype=bool)
        mv[rnd.people] = True
        for person in rnd.fixed:
            mv[person] = False
        movable.append(mv)

    candidates = []
    # (a) a construction's rounds kept, the missing ones searched ("completing a construction").
    if construction is not None:
        name, design = construction
        keep = design[:rounds]
        if len(keep) < rounds or not sectors_given or _balanced(keep, sector):
            candidates.append(("construction", name, keep))
    budget_end = deadline
    results = []
    for _kind, name, keep in candidates:
        res = _search(n_people, sector, plan, base, keep, rng, balance=sectors_given,
                      deadline=started + (budget_end - started) * 0.25, movable=movable,
                      topics_matrix=topics_matrix)
        results.append((res[0], f"{name} + tabu search" if len(keep) < rounds else name, res[1]))
        if res[0] == 0:
            break
    if not results or results[-1][0] > 0:
        res = _search(n_people, sector, plan, base, [], rng, balance=sectors_given,
                      deadline=budget_end, movable=movable, topics_matrix=topics_matrix)
        method = "greedy + tabu search" + (", sector quotas" if sectors_given else "")
        results.append((res[0], method, res[1]))
        if res[0] > 0 and sectors_given and time.perf_counter() < deadline:
            # Balance is objective (2): if repeats remain, search without the sector quotas.
            res2 = _search(n_people, sector, plan, base, [], rng, balance=False,
                           deadline=deadline + 0.0, movable=movable, topics_matrix=None,
                           start=res[2])
            results.append((res2[0], "greedy + tabu search", res2[1]))
    cost, method, schedule = min(results, key=lambda item: item[0])
    forbidden = sum(1 for tables in schedule for t in tables for a, b in forbidden_pairs
                    if a in t and b in t) if forbidden_pairs else 0
    return RotationResult(schedule, count_repeats(schedule, previous_rounds), method,
                          forbidden_violations=forbidden,
                          stats={"seconds": time.perf_counter() - started, "cost": cost})


def _search(n, sector, plan, base, keep, rng, *, balance, deadline, movable, topics_matrix,
            start=None):
    """Greedy (or given) start for the rounds not in ``keep``, tabu search on them; rounds in
    ``keep`` are fixed. Returns (cost, schedule)."""
    M = base.copy()
    for tables in keep:
        for t in tables:
            t = np.asarray(t)
            M[np.ix_(t, t)] += 1
    np.fill_diagonal(M, 0)
    todo = plan[len(keep):]
    assign = []
    if start is not None:
        for tables in start[len(keep):]:
            a = np.full(n, -1, dtype=np.int64)
            for ti, t in enumerate(tables):
                a[t] = ti
            assign.append(a)
    else:
        work = M.copy()
        for rnd in todo:
            a = _greedy_round(work, rnd, sector, rng, balance)
            for t in range(len(rnd.sizes)):
                members = np.where(a == t)[0]
                if len(members) > 1:
                    work[np.ix_(members, members)] += 1
            np.fill_diagonal(work, 0)
            assign.append(a)
    if not todo:
        return 0, [[sorted(t) for t in tables] for tables in keep]
    state = _State(n, M, todo, sector, assign)
    cost, best_assign = _tabu(state, deadline, rng, balance, movable[len(keep):])
    state = _State(n, M, todo, sector, best_assign)
    if topics_matrix is not None and time.perf_counter() < deadline:
        _topic_climb(state, topics_matrix, deadline, rng, balance, movable[len(keep):])
    cost = state.cost()
    schedule = [[sorted(t) for t in tables] for tables in keep] + state.output()
    return cost, schedule


def greedy_rotations(n_people: int, table_size: int, rounds: int,
                     sectors: Sequence | None = None, seed: int = 0) -> RotationResult:
    """Baseline: round-by-round greedy, no search (for benchmarks)."""
    rng = random.Random(seed)
    sectors_given = sectors is not None and len(set(sectors)) > 1
    sector, plan, _ = _prepare(n_people, sectors, table_size, rounds, None, None)
    M = np.zeros((n_people, n_people), dtype=np.int32)
    out = []
    for rnd in plan:
        a = _greedy_round(M, rnd, sector, rng, sectors_given)
        tables = []
        for t in range(len(rnd.sizes)):
            members = np.where(a == t)[0]
            if len(members) > 1:
                M[np.ix_(members, members)] += 1
            tables.append(sorted(int(x) for x in members))
        np.fill_diagonal(M, 0)
        out.append(tables)
    return RotationResult(out, count_repeats(out), "round-by-round greedy")


# --- CLI -------------------------------------------------------------------------------------

def main_rotations(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m encuentros.matching rotations",
        description="Table rotations with no pair seated together twice. Prints JSON "
        '{"rounds": [[[people of table 1], ...], ...], "repeated_pairs": N, "method": "..."}; '
        "people are numbered 0..n-1.")
    parser.add_argument("--groups", type=int, required=True, help="number of tables (g)")
    parser.add_argument("--size", type=int, required=True, help="people per table (p)")
    parser.add_argument("--rounds", type=int, required=True, help="number of rounds (w)")
    parser.add_argument("--sectors", help="file with one sector label per line, one line per "
                        "person (g·p lines), or a JSON list")
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="time budget for the search (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.groups < 1 or args.size < 1 or args.rounds < 1:
        print("error: --groups, --size and --rounds must be at least 1", file=sys.stderr)
        return 2
    n = args.groups * args.size
    sectors = None
    if args.sectors:
        try:
            with open(args.sectors, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as exc:
            print(f"error: cannot read {args.sectors}: {exc.strerror}", file=sys.stderr)
            return 2
        try:
            sectors = json.loads(text)
            if not isinstance(sectors, list):
                raise ValueError
        except ValueError:
            sectors = [line.strip() for line in text.splitlines() if line.strip()]
        if len(sectors) != n:
            print(f"error: {args.sectors} has {len(sectors)} sectors for {n} people",
                  file=sys.stderr)
            return 2
    if args.size == 1:
        result = RotationResult([[[x] for x in range(n)]] * args.rounds, 0, "trivial")
    else:
        try:
            result = plan_rotations(n, sectors, args.size, args.rounds, seconds=args.seconds,
                                    seed=args.seed)
        except RotationError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    print(json.dumps(result.as_json()))
    return 0
