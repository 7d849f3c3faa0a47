"""The ecosystem graph and its analytics, on plain arrays (no ORM here).

Edges arrive as rows (a, b, kind, encounter, weight) between node indices; they are aggregated
into one undirected edge per pair with its total weight, its weight per kind and the first
encounter in which the pair was tied. Metrics:

* degree (distinct neighbours) and strength (total weight);
* betweenness centrality (Brandes' algorithm on hop distances, with sparse matrix products per
  BFS level; exact up to ``EXACT_BETWEENNESS_NODES`` nodes, otherwise estimated from a seeded
  sample of sources and rescaled like networkx's ``k``);
* brokers: nodes whose ties cross sectors and that lie on many shortest paths;
* communities (Louvain, seeded; label propagation on very large graphs);
* cross-sector tie ratio and growth per encounter; isolated nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

EXACT_BETWEENNESS_NODES = 2500
BETWEENNESS_SAMPLES = 256
LOUVAIN_MAX_EDGES = 200_000
BACKBONE_PER_NODE = 12


@dataclass
class EdgeRows:
    """Raw ties: parallel arrays; ``kind`` indexes ``kinds``; encounter 0 = none."""

    a: np.ndarray
    b: np.ndarray
    kind: np.ndarray
    encounter: np.ndarray
    weight: np.ndarray

    @classmethod
    def empty(cls) -> EdgeRows:
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z, z, z, np.zeros(0))

    @classmethod
    def concat(cls, parts: list[EdgeRows]) -> EdgeRows:
        parts = [p for p in parts if len(p.a)]
        if not parts:
            return cls.empty()
        return cls(*(np.concatenate([getattr(p, f) for p in parts])
                     for f in ("a", "b", "kind", "encounter", "weight")))


@dataclass
class Graph:
    n: int
    kinds: list[str]
    a: np.ndarray  # aggregated edges, a < b
    b: np.ndarray
    weight: np.ndarray
    kind_weight: np.ndarray  # edges × kinds
    first_encounter: np.ndarray  # 0 = not tied at an encounter
    rows: EdgeRows = field(repr=False)

    @property
    def m(self) -> int:
        return len(self.a)

    def adjacency(self, weighted: bool = False) -> sp.csr_array:
        data = self.weight if weighted else np.ones(self.m)
        mat = sp.coo_array((np.concatenate([data, data]),
                            (np.concatenate([self.a, self.b]), np.concatenate([self.b, self.a]))),
                           shape=(self.n, self.n))
        return mat.tocsr()

    def edge_kinds(self, i: int) -> dict[str, float]:
        return {k: float(w) for k, w in zip(self.kinds, self.kind_weight[i], strict=True) if w}


def build(n: int, kinds: list[str], rows: EdgeRows) -> Graph:
    """Aggregate raw ties into one undirected edge per pair (self-ties dropped)."""
    a, b = np.minimum(rows.a, rows.b), np.maximum(rows.a, rows.b)
    keep = a != b
    a, b, kind, enc, w = a[keep], b[keep], rows.kind[keep], rows.encounter[keep], rows.weight[keep]
    if len(a) == 0:
        z = np.zeros(0, dtype=np.int64)
        return Graph(n, kinds, z, z, np.zeros(0), np.zeros((0, len(kinds))), z, rows)
    key = a * n + b
    uniq, inverse = np.unique(key, return_inverse=True)
    m = len(uniq)
    weight = np.bincount(inverse, weights=w, minlength=m)
    kind_weight = np.bincount(inverse * len(kinds) + kind, weights=w,
                              minlength=m * len(kinds)).reshape(m, len(kinds))
    big = np.iinfo(np.int64).max
    first = np.full(m, big, dtype=np.int64)
    np.minimum.at(first, inverse, np.where(enc > 0, enc, big))
    first[first == big] = 0
    return Graph(n, kinds, uniq // n, uniq % n, weight, kind_weight, first, rows)


# --- Centrality ------------------------------------------------------------------------------

def betweenness(graph: Graph, *, samples: int | None = None, seed: int = 0) -> np.ndarray:
    """Normalised betweenness centrality on hop distances (as networkx's, unweighted).

    Brandes' accumulation, one BFS per source, each level one sparse product. With
    ``samples`` (or more than EXACT_BETWEENNESS_NODES nodes) a seeded sample of sources is used
    and the result rescaled by n/k, as networkx does with ``k``.
    """
    n = graph.n
    bc = np.zeros(n)
    if n < 3 or graph.m == 0:
        return bc
    adj = graph.adjacency()
    sources = np.arange(n)
    if samples is None and n > EXACT_BETWEENNESS_NODES:
        samples = BETWEENNESS_SAMPLES
    if samples is not None and samples < n:
        sources = np.random.default_rng(seed).choice(n, size=samples, replace=False)
    for s in sources.tolist():
        dist = np.full(n, -1, dtype=np.int64)
        sigma = np.zeros(n)
        dist[s], sigma[s] = 0, 1.0
        levels = [np.array([s])]
        while True:
            front = levels[-1]
            vec = np.zeros(n)
            vec[front] = sigma[front]
            reach = adj @ vec
            new = np.flatnonzero((reach > 0) & (dist < 0))
            if len(new) == 0:
                break
            dist[new] = len(levels)
            sigma[new] = reach[new]
            levels.append(new)
        delta = np.zeros(n)
        for depth in range(len(levels) - 1, 0, -1):
            w = levels[depth]
            vec = np.zeros(n)
            vec[w] = (1.0 + delta[w]) / sigma[w]
            back = adj @ vec
            v = levels[depth - 1]
            delta[v] += sigma[v] * back[v]
        delta[s] = 0.0
        bc += delta
    scale = 1.0 / ((n - 1) * (n - 2))
    if len(sources) < n:
        scale *= n / len(sources)
    return bc * scale


def degrees(graph: Graph) -> tuple[np.ndarray, np.ndarray]:
    deg = np.bincount(graph.a, minlength=graph.n) + np.bincount(graph.b, minlength=graph.n)
    strength = (np.bincount(graph.a, weights=graph.weight, minlength=graph.n)
                + np.bincount(graph.b, weights=graph.weight, minlength=graph.n))
    return deg, strength


def cross_sector(graph: Graph, sector: np.ndarray) -> np.ndarray:
    """Boolean per aggregated edge: do its ends belong to different (known) sectors?"""
    sa, sb = sector[graph.a], sector[graph.b]
    return (sa != sb) & (sa >= 0) & (sb >= 0)


def brokers(graph: Graph, sector: np.ndarray, bc: np.ndarray, top: int = 10) -> list[dict]:
    """Nodes tying sectors together: share of cross-sector ties × betweenness, best first."""
    if graph.m == 0:
        return []
    cross = cross_sector(graph, sector)
    cross_deg = (np.bincount(graph.a[cross], minlength=graph.n)
                 + np.bincount(graph.b[cross], minlength=graph.n))
    deg, _ = degrees(graph)
    n_sectors = int(sector.max()) + 1 if len(sector) else 1
    xa, xb = graph.a[cross], graph.b[cross]
    pairs = np.unique(np.concatenate([xa * n_sectors + sector[xb], xb * n_sectors + sector[xa]]))
    reached = np.bincount(pairs // n_sectors, minlength=graph.n)
    share = np.divide(cross_deg, deg, out=np.zeros(graph.n), where=deg > 0)
    score = share * bc
    order = np.argsort(-score, kind="stable")
    out = []
    for i in order[:top].tolist():
        if score[i] <= 0:
            break
        out.append({"node": i, "score": float(score[i]), "betweenness": float(bc[i]),
                    "cross_sector_share": float(share[i]),
                    "sectors_reached": int(reached[i])})
    return out


def backbone(graph: Graph, per_node: int = BACKBONE_PER_NODE) -> np.ndarray:
    """Indices of the edges that are among the ``per_node`` heaviest of either end."""
    keep = np.zeros(graph.m, dtype=bool)
    ends = np.concatenate([graph.a, graph.b])
    edge = np.concatenate([np.arange(graph.m), np.arange(graph.m)])
    w = np.concatenate([graph.weight, graph.weight])
    order = np.lexsort((-w, ends))  # by node, heaviest first
    ends, edge = ends[order], edge[order]
    starts = np.r_[0, np.flatnonzero(ends[1:] != ends[:-1]) + 1]
    rank = np.arange(len(ends)) - np.repeat(starts, np.diff(np.r_[starts, len(ends)]))
    keep[edge[rank < per_node]] = True
    return np.flatnonzero(keep)


def communities(graph: Graph, seed: int = 0) -> np.ndarray:
    """Community label per node (−1 for isolated nodes): Louvain on the weighted graph; on
    graphs with more than LOUVAIN_MAX_EDGES edges, Louvain on their backbone (each node's
    BACKBONE_PER_NODE heaviest ties), which keeps every node and the strongest structure."""
    import networkx as nx

    labels = np.full(graph.n, -1, dtype=np.int64)
    if graph.m == 0:
        return labels
    edges = np.arange(graph.m) if graph.m <= LOUVAIN_MAX_EDGES else backbone(graph)
    g = nx.Graph()
    g.add_weighted_edges_from(zip(graph.a[edges].tolist(), graph.b[edges].tolist(),
                                  graph.weight[edges].tolist(), strict=True))
    if len(edges) <= LOUVAIN_MAX_EDGES:
        parts = nx.community.louvain_communities(g, weight="weight", seed=seed)
    else:
        parts = nx.community.asyn_lpa_communities(g, weight="weight", seed=seed)
    parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    for label, members in enumerate(parts):
        labels[members] = label
    return labels


def per_encounter(graph: Graph, sector: np.ndarray) -> list[dict]:
    """For each encounter: distinct ties formed there, the share across sectors, the nodes
    tied, and cumulative growth (ties and nodes first seen up to that encounter)."""
    rows = graph.rows
    a, b = np.minimum(rows.a, rows.b), np.maximum(rows.a, rows.b)
    keep = (a != b) & (rows.encounter > 0)
    a, b, enc = a[keep], b[keep], rows.encounter[keep]
    out = []
    seen_nodes: set[int] = set()
    first = graph.first_encounter
    for e in sorted(set(enc.tolist())):
        mask = enc == e
        pairs = np.unique(a[mask] * graph.n + b[mask])
        pa, pb = pairs // graph.n, pairs % graph.n
        sa, sb = sector[pa], sector[pb]
        known = (sa >= 0) & (sb >= 0)
        cross = int(((sa != sb) & known).sum())
        nodes = set(pa.tolist()) | set(pb.tolist())
        seen_nodes |= nodes
        out.append({
            "encounter": int(e), "ties": int(len(pairs)), "cross_sector_ties": cross,
            "cross_sector_ratio": round(cross / int(known.sum()), 4) if known.any() else None,
            "nodes": len(nodes), "new_ties": int((first == e).sum()),
            "cumulative_ties": int(((first > 0) & (first <= e)).sum()),
            "cumulative_nodes": len(seen_nodes),
        })
    return out
