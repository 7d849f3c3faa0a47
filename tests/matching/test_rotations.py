"""The rotations engine: constructions, local search, constraints, CLI. No database."""

import json
import subprocess
import sys
from collections import Counter
from itertools import combinations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from encuentros.matching import rotations as R


def meetings(rounds):
    met = Counter()
    for tables in rounds:
        for t in tables:
            met.update(combinations(sorted(t), 2))
    return met


def assert_schedule(result, n, sizes_ok, rounds):
    assert len(result.rounds) == rounds
    for tables in result.rounds:
        seated = [x for t in tables for x in t]
        assert sorted(seated) == list(range(n)), "everyone seated exactly once per round"
        assert sizes_ok(sorted(len(t) for t in tables))
    met = meetings(result.rounds)
    assert result.repeated_pairs == sum(m - 1 for m in met.values() if m > 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(2, 60), p=st.integers(2, 9), w=st.integers(1, 6),
       n_sectors=st.integers(1, 5), seed=st.integers(0, 10**6))
def test_every_person_once_per_round_sizes_and_honest_repeats(n, p, w, n_sectors, seed):
    rng = np.random.default_rng(seed)
    sectors = [f"s{int(x)}" for x in rng.integers(0, n_sectors, n)]
    result = R.plan_rotations(n, sectors, p, w, seconds=0.2, seed=seed)
    g = -(-n // p)

    def sizes_ok(sizes):
        return len(sizes) == g and max(sizes) - min(sizes) <= 1 and max(sizes) <= p

    assert_schedule(result, n, sizes_ok, w)


@settings(max_examples=25, deadline=None)
@given(caps=st.lists(st.integers(1, 8), min_size=1, max_size=8), w=st.integers(1, 4),
       seed=st.integers(0, 1000), data=st.data())
def test_uneven_capacities_are_respected(caps, w, seed, data):
    n = data.draw(st.integers(1, sum(caps)))
    result = R.plan_rotations(n, None, caps, w, seconds=0.2, seed=seed)

    def sizes_ok(sizes):
        return True

    assert_schedule(result, n, sizes_ok, w)
    for tables in result.rounds:
        assert len(tables) == len(caps)
        assert all(len(t) <= c for t, c in zip(tables, caps, strict=False))


@pytest.mark.parametrize("g,p,w,method", [
    (6, 2, 11, "round robin"),
    (3, 3, 4, "affine geometry"),
    (4, 4, 5, "affine geometry"),
    (8, 8, 9, "affine geometry"),  # GF(8): polynomial arithmetic
    (9, 9, 10, "affine geometry"),  # GF(9)
    (9, 3, 13, "affine geometry AG(3,3)"),  # Kirkman triple system of order 27
    (7, 5, 7, "transversal design"),
    (6, 6, 3, "Latin square"),
])
def test_constructions_reach_their_maximum_with_zero_repeats(g, p, w, method):
    result = R.plan_rotations(g * p, None, p, w, seconds=1)
    assert method in result.method
    assert result.repeated_pairs == 0
    assert_schedule(result, g * p, lambda sizes: set(sizes) == {p}, w)


def test_affine_plane_every_pair_meets_exactly_once():
    result = R.plan_rotations(25, None, 5, 6)
    met = meetings(result.rounds)
    assert len(met) == 25 * 24 // 2 and set(met.values()) == {1}


def test_one_person_per_sector_and_every_cross_sector_pair_once():
    sectors = ["gov"] * 7 + ["civil"] * 7 + ["academia"] * 7 + ["private"] * 7
    result = R.plan_rotations(28, sectors, 4, 7)
    assert "one per sector" in result.method and result.repeated_pairs == 0
    for tables in result.rounds:
        for t in tables:
            assert sorted(sectors[x] for x in t) == ["academia", "civil", "gov", "private"]
    met = meetings(result.rounds)
    cross = [(a, b) for a, b in combinations(range(28), 2) if sectors[a] != sectors[b]]
    assert all(met[pair] == 1 for pair in cross)
    assert not any(sectors[a] == sectors[b] for a, b in met)


def test_search_solves_kirkman_schoolgirls():
    result = R.plan_rotations(15, None, 3, 7, seconds=20, seed=3)
    assert result.repeated_pairs == 0


def test_impossible_instance_reports_its_repeats_honestly():
    # 8-4-11 is impossible: each person would need 33 partners among 31 others.
    result = R.plan_rotations(32, None, 4, 11, seconds=1)
    assert result.repeated_pairs > 0
    assert_schedule(result, 32, lambda sizes: set(sizes) == {4}, 11)


def test_greedy_baseline_is_worse_than_the_engine_on_a_tight_instance():
    base = R.greedy_rotations(32, 4, 9)
    engine = R.plan_rotations(32, None, 4, 9, seconds=2)
    assert engine.repeated_pairs == 0 < base.repeated_pairs


def test_sector_balance_as_even_as_counts_allow():
    rng = np.random.default_rng(7)
    sectors = list(rng.choice(["g", "c", "a", "p"], size=203, p=[0.4, 0.3, 0.2, 0.1]))
    result = R.plan_rotations(203, sectors, 7, 5, seconds=3)
    assert result.repeated_pairs == 0
    totals = Counter(sectors)
    for tables in result.rounds:
        for t in tables:
            counts = Counter(sectors[x] for x in t)
            for s, total in totals.items():
                ideal = total * len(t) / 203
                assert int(ideal) <= counts[s] <= -int(-ideal // 1), (t, counts)


def test_fixed_forbidden_previous_and_absent():
    previous = [[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]]
    result = R.plan_rotations(
        16, None, 4, 2, fixed={(0, 0): 2, (5, 1): 0}, forbidden_pairs=[(1, 4), (2, 8)],
        previous_rounds=previous, absent={1: {15}}, seconds=2)
    r0, r1 = result.rounds
    assert 0 in r0[2] and 5 in r1[0]
    assert 15 not in [x for t in r1 for x in t]
    assert sorted(len(t) for t in r1) == [3, 4, 4, 4]
    for tables in result.rounds:
        for t in tables:
            assert not {1, 4} <= set(t) and not {2, 8} <= set(t)
    assert result.forbidden_violations == 0
    assert result.repeated_pairs == 0  # nobody meets a previous tablemate again
    assert result.repeated_pairs == R.count_repeats(result.rounds, previous)


def test_shared_topics_are_preferred_without_adding_repeats():
    topics = [{"movilidad"} if i % 2 else {"salud"} for i in range(24)]
    plain = R.plan_rotations(24, None, 4, 2, seconds=0.5, seed=1)
    topical = R.plan_rotations(24, None, 4, 2, topics=topics, prefer_shared_topics=True,
                               seconds=0.5, seed=1)

    def shared(res):
        return sum(1 for tables in res.rounds for t in tables for a, b in combinations(t, 2)
                   if topics[a] & topics[b])

    assert topical.repeated_pairs == 0
    assert shared(topical) > shared(plain)


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(R.RotationError, match="do not fit"):
        R.plan_rotations(10, None, [3, 3], 1)
    with pytest.raises(R.RotationError, match="sectors given"):
        R.plan_rotations(4, ["a"], 2, 1)
    with pytest.raises(R.RotationError, match="table 9"):
        R.plan_rotations(8, None, 4, 1, fixed={(0, 0): 8})


def test_finite_fields_are_fields():
    for q in (4, 8, 9, 16, 25, 27):
        f = R.GF(q)
        nonzero = np.arange(1, q)
        # every non-zero element has an inverse, multiplication distributes over addition
        assert all((f.mul[a, nonzero] == 1).sum() == 1 for a in nonzero)
        a, b, c = np.meshgrid(np.arange(q), np.arange(q), np.arange(q), indexing="ij")
        assert np.array_equal(f.mul[a, f.add[b, c]], f.add[f.mul[a, b], f.mul[a, c]])


def test_stored_designs_are_valid():
    from encuentros.matching.designs import _designs

    for key, entry in _designs().items():
        g, p = map(int, key.split("-"))
        assert R._valid(entry["rounds"], g * p, p), key


def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "encuentros.matching", *args],
                          capture_output=True, text=True, timeout=60, input=stdin)


def test_cli_rotations_prints_the_schedule(tmp_path):
    out = _cli("rotations", "--groups", "5", "--size", "3", "--rounds", "7", "--seconds", "20")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["repeated_pairs"] == 0 and len(data["rounds"]) == 7 and data["method"]
    assert all(sorted(x for t in r for x in t) == list(range(15)) for r in data["rounds"])
    sectors = tmp_path / "sectors.txt"
    sectors.write_text("\n".join(["gov", "civil", "academia"] * 4))
    out = _cli("rotations", "--groups", "4", "--size", "3", "--rounds", "4", "--sectors",
               str(sectors))
    data = json.loads(out.stdout)
    labels = ["gov", "civil", "academia"] * 4
    assert all(sorted(labels[x] for x in t) == ["academia", "civil", "gov"]
               for r in data["rounds"] for t in r)
    bad = _cli("rotations", "--groups", "4", "--size", "3", "--rounds", "2", "--sectors",
               str(tmp_path / "missing.txt"))
    assert bad.returncode == 2 and "cannot read" in bad.stderr


@pytest.mark.parametrize("g,p,w,method", [
    (5, 3, 7, "packing of PG(3,2)"),
    (10, 4, 13, "packing of PG(3,3)"),
    (7, 4, 9, "Hermitian unital"),
])
def test_finite_geometry_designs_reach_the_best_known(g, p, w, method):
    result = R.plan_rotations(g * p, None, p, w, seconds=1)
    assert method in result.method and result.repeated_pairs == 0
    assert_schedule(result, g * p, lambda sizes: set(sizes) == {p}, w)


def test_cyclic_starter_search_builds_kirkman_21():
    from encuentros.matching.designs import cyclic_starter

    rounds = cyclic_starter(7, 3, 10)
    assert rounds is not None and R._valid(rounds, 21, 3) and len(rounds) == 10


def test_exact_cover_finds_all_and_respects_the_budget():
    from encuentros.matching.exact_cover import BudgetExceeded, exact_cover, first_cover

    rows = {"A": [1, 4, 7], "B": [1, 4], "C": [4, 5, 7], "D": [3, 5, 6], "E": [2, 3, 6, 7],
            "F": [2, 7]}
    assert [sorted(s) for s in exact_cover(range(1, 8), rows)] == [["B", "D", "F"]]
    assert first_cover(range(1, 8), {"A": [1, 2]}) is None
    # secondary columns may stay uncovered but never twice
    assert sorted(first_cover([1, 2], {"A": [1, "s"], "B": [2, "s"], "C": [2]},
                              secondary=["s"])) == ["A", "C"]
    with pytest.raises(BudgetExceeded):
        list(exact_cover(range(12), {i: [i] for i in range(12)}, max_nodes=3))
