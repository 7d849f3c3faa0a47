"""Graph analytics on plain arrays, checked against networkx (an independent computation)."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from encuentros.ecosystem import graph as G


def rows(pairs, encounters=None, kinds=None, weights=None):
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    n = len(pairs)
    return G.EdgeRows(a, b, np.array(kinds or [0] * n, dtype=np.int64),
                      np.array(encounters or [1] * n, dtype=np.int64),
                      np.array(weights or [1.0] * n))


def to_nx(g):
    h = nx.Graph()
    h.add_nodes_from(range(g.n))
    h.add_edges_from(zip(g.a.tolist(), g.b.tolist(), strict=True))
    return h


@settings(max_examples=30, deadline=None)
@given(n=st.integers(3, 40), edges=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)),
                                          max_size=120))
def test_betweenness_equals_networkx(n, edges):
    edges = [(a % n, b % n) for a, b in edges]
    g = G.build(n, ["x"], rows(edges) if edges else G.EdgeRows.empty())
    ours = G.betweenness(g)
    ref = nx.betweenness_centrality(to_nx(g))
    assert np.allclose(ours, [ref[i] for i in range(n)], atol=1e-12)
    deg, _ = G.degrees(g)
    assert deg.tolist() == [d for _, d in sorted(to_nx(g).degree())]


def test_sampled_betweenness_is_rescaled_like_networkx():
    h = nx.barabasi_albert_graph(300, 3, seed=4)
    g = G.build(300, ["x"], rows(list(h.edges())))
    exact = G.betweenness(g)
    estimate = G.betweenness(g, samples=150, seed=1)
    # same order of magnitude and the same most central node
    assert abs(estimate.sum() - exact.sum()) / exact.sum() < 0.2
    assert int(np.argmax(estimate)) == int(np.argmax(exact))


def test_aggregation_weights_kinds_and_first_encounter():
    g = G.build(4, ["table", "agreement"], rows(
        [(0, 1), (1, 0), (0, 1), (2, 3), (2, 2)], encounters=[3, 2, 5, 4, 4],
        kinds=[0, 0, 1, 0, 0], weights=[1, 1, 2, 1, 1]))
    assert g.m == 2  # self-tie dropped, (0,1) and (1,0) merged
    i = [k for k in range(g.m) if (g.a[k], g.b[k]) == (0, 1)][0]
    assert g.weight[i] == 4 and g.edge_kinds(i) == {"table": 2.0, "agreement": 2.0}
    assert g.first_encounter[i] == 2


def test_two_cliques_and_a_bridge():
    left = [(a, b) for a in range(5) for b in range(a + 1, 5)]
    right = [(a, b) for a in range(5, 10) for b in range(a + 1, 10)]
    g = G.build(11, ["x"], rows(left + right + [(4, 5)]))  # node 10 is isolated
    labels = G.communities(g)
    assert len(set(labels[:5].tolist())) == 1 and len(set(labels[5:10].tolist())) == 1
    assert labels[0] != labels[5] and labels[10] == -1
    sector = np.array([0] * 5 + [1] * 5 + [2])
    bc = G.betweenness(g)
    top = G.brokers(g, sector, bc)
    assert {b["node"] for b in top[:2]} == {4, 5}
    assert top[0]["sectors_reached"] == 1


def test_cross_sector_ratio_and_growth_per_encounter():
    sector = np.array([0, 1, 0, 2, -1])
    g = G.build(5, ["x"], rows([(0, 1), (0, 2), (1, 3), (0, 1), (2, 4)],
                               encounters=[1, 1, 2, 2, 2]))
    per = {e["encounter"]: e for e in G.per_encounter(g, sector)}
    # encounter 1: (0,1) cross, (0,2) same sector → 1 of 2
    assert per[1]["ties"] == 2 and per[1]["cross_sector_ratio"] == pytest.approx(0.5)
    # encounter 2: (1,3) cross, (0,1) cross, (2,4) unknown sector (not counted)
    assert per[2]["ties"] == 3 and per[2]["cross_sector_ratio"] == pytest.approx(1.0)
    assert per[2]["new_ties"] == 2 and per[2]["cumulative_ties"] == 4
    assert per[2]["cumulative_nodes"] == 5
