"""The optimal assignment solver against an independent optimum, and its CLI."""

import itertools
import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from encuentros.matching import assignment
from encuentros.matching.compatibility import text_similarity, tokens, topic_jaccard


def brute_force(scores, caps):
    n, m = len(scores), len(caps)
    best = 0.0
    for choice in itertools.product(range(-1, m), repeat=n):
        if any(choice.count(j) > caps[j] for j in range(m)):
            continue
        if any(j >= 0 and scores[i][j] is None for i, j in enumerate(choice)):
            continue
        best = max(best, sum(max(0, scores[i][j]) for i, j in enumerate(choice) if j >= 0))
    return best


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 3), st.data())
def test_total_is_the_optimum_and_capacities_hold(n, m, data):
    scores = [[data.draw(st.one_of(st.none(), st.floats(-1, 5, allow_nan=False)))
               for _ in range(m)] for _ in range(n)]
    caps = [data.draw(st.integers(0, 3)) for _ in range(m)]
    result = assignment.solve(scores, caps)
    assert result.total == pytest.approx(brute_force(scores, caps), abs=1e-9)
    assigned = result.as_list()
    assert all(assigned.count(j) <= caps[j] for j in range(m))
    assert all(j < 0 or scores[i][j] is not None for i, j in enumerate(assigned))


def test_cli(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"scores": [[3, None], [2, 1], [1, 4]], "capacities": [1, 1]}))
    out = subprocess.run([sys.executable, "-m", "encuentros.matching", "assign", "--input",
                          str(path)], capture_output=True, text=True, timeout=60)
    data = json.loads(out.stdout)
    assert data == {"assignment": [0, -1, 1], "total": 7.0}
    bad = subprocess.run([sys.executable, "-m", "encuentros.matching", "assign", "--input", "-"],
                         input='{"scores": [[1]]}', capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "capacities" in bad.stderr


def test_spanish_text_similarity():
    assert tokens("Movilidad y TRANSPORTES públicos") == tokens("movilidad transporte publico")
    sims = text_similarity(["árboles en la ciudad"], ["Arbolado urbano: árbol por árbol",
                                                     "Viajes en bicicleta"])
    assert sims[0, 0] > 0 and sims[0, 1] == 0
    jac = topic_jaccard([{1, 2}], [{2, 3}, set()])
    assert np.allclose(jac, [[1 / 3, 0]])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 25), st.integers(1, 6), st.data())
def test_total_equals_scipy_on_the_expanded_matrix(n, m, data):
    """Independent optimum: SciPy's dense Hungarian solver on holders expanded into capacity
    slots plus one 'unassigned' column per demand (score 0)."""
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    scores = rng.uniform(-0.5, 1.0, size=(n, m)).round(3)
    caps = [data.draw(st.integers(0, 4)) for _ in range(m)]
    slots = [j for j in range(m) for _ in range(caps[j])]
    expanded = np.hstack([scores[:, slots], np.zeros((n, n))]) if slots else np.zeros((n, n))
    expanded[:, : len(slots)] = np.maximum(expanded[:, : len(slots)], 0)
    r, c = linear_sum_assignment(expanded, maximize=True)
    result = assignment.solve(scores.tolist(), caps)
    assert result.total == pytest.approx(expanded[r, c].sum(), abs=1e-9)
    assigned = result.as_list()
    assert all(assigned.count(j) <= caps[j] for j in range(m))
