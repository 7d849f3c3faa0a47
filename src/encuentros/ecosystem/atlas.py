"""The ecosystem atlas: a graph derived from what the platform already records.

Apps contribute ties through **edge sources** — functions registered with :func:`edge_source`
in an ``atlas_edges.py`` module of the app (discovered at start-up, like admin modules), so the
atlas lives here while the data it reads belongs to the apps above (encounters, collaboration,
opendata). A source returns :class:`Ties`: pairs of organizations and, where the tie is between
two people, the two people, with the encounter and a weight.

Organization level: every organization is a node (isolated ones included). Person level: only
people who consented to a public profile are nodes; ties involving anyone else count only at the
organization level.

Results are cached and recomputed when data changes: saving or deleting any model a source
declares bumps a version number kept in the cache (and entries expire after CACHE_SECONDS).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from encuentros.core.sectors import Sector

from . import graph as G
from .models import Organization, Person

CACHE_SECONDS = 6 * 3600  # keys carry the data version, so a change never serves stale data
# Above these sizes a cold atlas is computed by the background worker, not inside a request.
INLINE_ORGANIZATIONS = 400
INLINE_PEOPLE = 5000
VERSION_KEY = "atlas:version"
SECTORS = [s.value for s in Sector]


@dataclass
class Ties:
    """Parallel sequences, one entry per tie. person_a/person_b are 0 for organization ties."""

    org_a: list | np.ndarray
    org_b: list | np.ndarray
    encounter: list | np.ndarray  # encounter number, 0 = none
    weight: list | np.ndarray | None = None
    person_a: list | np.ndarray | None = None
    person_b: list | np.ndarray | None = None


@dataclass
class _Source:
    kind: str
    label: str
    func: Callable[[], Ties]
    models: tuple


_SOURCES: dict[str, _Source] = {}


def edge_source(kind: str, label, models=()):
    """Register ``func() -> Ties`` as the source of ties of one kind (with a translatable
    label); saving or deleting any of ``models`` invalidates the cached atlas."""

    def register(func):
        _SOURCES[kind] = _Source(kind, label, func, tuple(models))
        for model in models:
            post_save.connect(_bump, sender=model, dispatch_uid=f"atlas-save-{kind}-{model}")
            post_delete.connect(_bump, sender=model, dispatch_uid=f"atlas-del-{kind}-{model}")
            for m2m in model._meta.many_to_many:  # e.g. signatories added to an agreement
                through = m2m.remote_field.through
                m2m_changed.connect(_bump, sender=through,
                                    dispatch_uid=f"atlas-m2m-{kind}-{through}")
        return func

    return register


def autodiscover() -> None:
    autodiscover_modules("atlas_edges")
    for model in (Organization, Person):
        post_save.connect(_bump, sender=model, dispatch_uid=f"atlas-save-{model}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"atlas-del-{model}")


def kinds() -> list[tuple[str, str]]:
    return [(s.kind, s.label) for s in _SOURCES.values()]


def _bump(**_kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def _version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def _cached(name: str, compute):
    key = f"atlas:{_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _is_cached(name: str) -> bool:
    return cache.has_key(f"atlas:{_version()}:{name}")


def is_small() -> bool:
    """Small enough to compute inside a request (a few hundred milliseconds at most)."""
    return (Organization.objects.count() <= INLINE_ORGANIZATIONS
            and Person.objects.count() <= INLINE_PEOPLE)


def ready(level: str = "organization", encounter: int | None = None, sector=None,
          topic=None, graph: bool = True) -> bool:
    """Whether the page/API can answer now: cached already, or cheap to compute."""
    name = (f"graphbytes:{level}:{encounter}:{sector}:{topic}:{MAX_EDGES}" if graph
            else f"metrics:{level}:{encounter}")
    return _is_cached(name) or is_small()


def warm(level: str = "organization", encounter: int | None = None, sector=None, topic=None,
         progress=None) -> None:
    """Compute and cache the metrics and the graph data of one view (the background task)."""
    step = progress or (lambda done, total, message: None)
    step(0, 3, _("Building the graph"))
    metrics(level, encounter)
    step(1, 3, _("Placing the nodes"))
    graph_json_gzip(level, encounter, sector, topic)
    step(2, 3, _("Ties without layout"))
    graph_json(level, encounter, None, None, with_layout=False)
    step(3, 3, _("Done"))


# --- Building --------------------------------------------------------------------------------

def _as_array(values, dtype=np.int64):
    return np.asarray(values if values is not None else [], dtype=dtype)


def _raw_ties():
    """All ties of all sources as arrays (kinds in registry order)."""
    parts = []
    for code, source in enumerate(_SOURCES.values()):
        t = source.func()
        oa, ob = _as_array(t.org_a), _as_array(t.org_b)
        n = len(oa)
        parts.append({
            "org_a": oa, "org_b": ob, "kind": np.full(n, code, dtype=np.int64),
            "encounter": _as_array(t.encounter),
            "weight": _as_array(t.weight, float) if t.weight is not None else np.ones(n),
            "person_a": _as_array(t.person_a) if t.person_a is not None else np.zeros(n, int),
            "person_b": _as_array(t.person_b) if t.person_b is not None else np.zeros(n, int),
        })
    if not parts:
        return {k: np.zeros(0, dtype=np.int64) for k in
                ("org_a", "org_b", "kind", "encounter", "weight", "person_a", "person_b")}
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


@dataclass
class Atlas:
    level: str
    ids: list[int]
    labels: list[str]
    sectors: list[str]
    extra: list[dict]
    graph: G.Graph
    sector_codes: np.ndarray


def _nodes(level: str):
    if level == "person":
        people = list(Person.objects.filter(public_profile=True)
                      .select_related("organization").order_by("pk"))
        return ([p.pk for p in people], [p.full_name for p in people],
                [p.sector for p in people],
                [{"organization": p.organization.name if p.organization else ""}
                 for p in people])
    orgs = list(Organization.objects.order_by("pk").values_list(
        "pk", "name", "acronym", "sector", "kind", "borough", "slug"))
    return ([o[0] for o in orgs], [o[1] for o in orgs], [o[3] for o in orgs],
            [{"acronym": o[2], "kind": o[4], "borough": o[5], "slug": o[6]} for o in orgs])


def build_atlas(level: str = "organization", encounter: int | None = None) -> Atlas:
    if level not in ("organization", "person"):
        raise ValueError("level must be organization or person")
    ids, labels, sectors, extra = _nodes(level)
    raw = _raw_ties()
    if level == "person":
        a_ids, b_ids = raw["person_a"], raw["person_b"]
    else:
        a_ids, b_ids = raw["org_a"], raw["org_b"]
    lookup = np.full(max(ids, default=0) + 2, -1, dtype=np.int64)
    lookup[ids] = np.arange(len(ids))

    def to_index(values):
        values = np.where((values > 0) & (values < len(lookup)), values, len(lookup) - 1)
        return lookup[values]

    ia, ib = to_index(a_ids), to_index(b_ids)
    keep = (ia >= 0) & (ib >= 0)
    if encounter is not None:
        keep &= raw["encounter"] == encounter
    rows = G.EdgeRows(ia[keep], ib[keep], raw["kind"][keep], raw["encounter"][keep],
                      raw["weight"][keep])
    graph = G.build(len(ids), [s.kind for s in _SOURCES.values()], rows)
    code = {s: i for i, s in enumerate(SECTORS)}
    sector_codes = np.array([code.get(s, -1) for s in sectors], dtype=np.int64)
    return Atlas(level, ids, labels, sectors, extra, graph, sector_codes)


# --- Metrics and views of the graph ----------------------------------------------------------

def metrics(level: str = "organization", encounter: int | None = None) -> dict:
    return _cached(f"metrics:{level}:{encounter}", lambda: _metrics(build_atlas(level,
                                                                                encounter)))


def _metrics(atlas: Atlas) -> dict:
    g = atlas.graph
    deg, strength = G.degrees(g)
    bc = G.betweenness(g)
    comm = G.communities(g)
    cross = G.cross_sector(g, atlas.sector_codes)
    known = (atlas.sector_codes[g.a] >= 0) & (atlas.sector_codes[g.b] >= 0)
    by_sector = {}
    for s in SECTORS:
        mask = np.array([x == s for x in atlas.sectors], dtype=bool)
        by_sector[s] = {"nodes": int(mask.sum()), "isolated": int((mask & (deg == 0)).sum())}
    order = np.argsort(-bc, kind="stable")
    top = [{"id": atlas.ids[i], "label": atlas.labels[i], "sector": atlas.sectors[i],
            "degree": int(deg[i]), "betweenness": round(float(bc[i]), 6)}
           for i in order[:10].tolist() if deg[i] > 0]
    brokers = [{"id": atlas.ids[b["node"]], "label": atlas.labels[b["node"]],
                "sector": atlas.sectors[b["node"]], **{k: round(v, 6) if isinstance(v, float)
                                                       else v for k, v in b.items()
                                                       if k != "node"}}
               for b in G.brokers(g, atlas.sector_codes, bc)]
    n_comm = int(comm.max()) + 1 if len(comm) else 0
    return {
        "level": atlas.level, "nodes": g.n, "edges": g.m,
        "isolated": int((deg == 0).sum()),
        "cross_sector_ties": int(cross.sum()),
        "cross_sector_ratio": round(float(cross.sum() / known.sum()), 4) if known.any() else None,
        "communities": n_comm,
        "by_sector": by_sector,
        "by_kind": {k: int((g.kind_weight[:, i] > 0).sum()) for i, k in enumerate(g.kinds)},
        "top_betweenness": top,
        "brokers": brokers,
        "by_encounter": G.per_encounter(g, atlas.sector_codes),
        "node_metrics": {atlas.ids[i]: {"degree": int(deg[i]), "strength": float(strength[i]),
                                        "betweenness": float(bc[i]), "community": int(comm[i])}
                         for i in range(g.n)},
    }


MAX_EDGES = 20_000  # the page draws at most this many ties (the heaviest); exports have all


def graph_json(level: str = "organization", encounter: int | None = None,
               sector: str | None = None, topic: int | None = None,
               with_layout: bool = True, max_edges: int | None = None) -> dict:
    """Nodes and edges for the graph page and the API (cached per filter)."""
    key = f"graph:{level}:{encounter}:{sector}:{topic}:{with_layout}:{max_edges}"
    return _cached(key, lambda: _graph_json(level, encounter, sector, topic, with_layout,
                                            max_edges))


def graph_json_bytes(level="organization", encounter=None, sector=None, topic=None,
                     max_edges=MAX_EDGES) -> bytes:
    """The same, serialised once and cached: the graph page's data endpoint."""
    import json

    key = f"graphbytes:{level}:{encounter}:{sector}:{topic}:{max_edges}"
    return _cached(key, lambda: json.dumps(
        graph_json(level, encounter, sector, topic, True, max_edges),
        ensure_ascii=False, separators=(",", ":")).encode())


def graph_json_gzip(level="organization", encounter=None, sector=None, topic=None,
                    max_edges=MAX_EDGES) -> bytes:
    """The same bytes gzipped, once (a large atlas is megabytes of JSON; gzip takes it to about
    a sixteenth, and compressing on every request would cost more than answering it)."""
    import gzip

    key = f"graphgz:{level}:{encounter}:{sector}:{topic}:{max_edges}"
    return _cached(key, lambda: gzip.compress(
        graph_json_bytes(level, encounter, sector, topic, max_edges), compresslevel=6, mtime=0))


def _graph_json(level, encounter, sector, topic, with_layout, max_edges=None):
    atlas = build_atlas(level, encounter)
    m = metrics(level, encounter)["node_metrics"]
    g = atlas.graph
    keep = np.ones(g.n, dtype=bool)
    if sector:
        keep &= np.array([s == sector for s in atlas.sectors], dtype=bool)
    if topic and level == "organization":
        with_topic = set(Organization.topics.through.objects.filter(topic_id=topic)
                         .values_list("organization_id", flat=True))
        keep &= np.array([pk in with_topic for pk in atlas.ids], dtype=bool)
    deg, _ = G.degrees(g)
    if encounter is not None:
        keep &= deg > 0
    edge_keep = keep[g.a] & keep[g.b]
    edges_total = int(edge_keep.sum())
    if max_edges is not None and edges_total > max_edges:
        heaviest = np.argsort(-np.where(edge_keep, g.weight, -np.inf), kind="stable")
        edge_keep = np.zeros(g.m, dtype=bool)
        edge_keep[heaviest[:max_edges]] = True
    positions = _layout(atlas, keep) if with_layout else {}
    nodes = []
    for i in np.flatnonzero(keep).tolist():
        pk = atlas.ids[i]
        node = {"id": pk, "label": atlas.labels[i], "sector": atlas.sectors[i],
                **atlas.extra[i], **m.get(pk, {})}
        if i in positions:
            node["x"], node["y"] = positions[i]
        nodes.append(node)
    cross = G.cross_sector(g, atlas.sector_codes)
    edges = [{"source": atlas.ids[a], "target": atlas.ids[b], "weight": round(float(w), 3),
              "kinds": g.edge_kinds(e), "first_encounter": int(f) or None,
              "cross_sector": bool(c)}
             for e, (a, b, w, f, c) in enumerate(zip(g.a.tolist(), g.b.tolist(),
                                                     g.weight.tolist(),
                                                     g.first_encounter.tolist(),
                                                     cross.tolist(), strict=True))
             if edge_keep[e]]
    return {"level": level, "encounter": encounter, "nodes": nodes, "edges": edges,
            "edges_total": edges_total, "edges_shown": len(edges)}


def _layout(atlas: Atlas, keep: np.ndarray) -> dict[int, tuple[float, float]]:
    """Force-directed positions (seeded), computed once per graph and cached with it."""
    import networkx as nx

    g = atlas.graph
    nxg = nx.Graph()
    idx = np.flatnonzero(keep).tolist()
    nxg.add_nodes_from(idx)
    sel = np.zeros(g.m, dtype=bool)
    sel[G.backbone(g, 6) if g.m > 50_000 else np.arange(g.m)] = True
    sel &= keep[g.a] & keep[g.b]
    nxg.add_weighted_edges_from(zip(g.a[sel].tolist(), g.b[sel].tolist(),
                                    np.log1p(g.weight[sel]).tolist(), strict=True))
    if not idx:
        return {}
    pos = nx.spring_layout(nxg, seed=1, iterations=60 if len(idx) <= 3000 else 30,
                           k=1.5 / max(1, len(idx)) ** 0.5)
    return {i: (round(float(x) * 1000, 1), round(float(y) * 1000, 1)) for i, (x, y) in
            pos.items()}


# --- Exports ---------------------------------------------------------------------------------

def to_networkx(level: str = "organization", encounter: int | None = None):
    import networkx as nx

    data = graph_json(level, encounter, with_layout=False)
    g = nx.Graph()
    for node in data["nodes"]:
        attrs = {k: v for k, v in node.items() if k != "id" and v is not None
                 and isinstance(v, (str, int, float, bool))}
        g.add_node(node["id"], **attrs)
    for e in data["edges"]:
        attrs = {"weight": e["weight"], "cross_sector": e["cross_sector"],
                 "kinds": ",".join(sorted(e["kinds"]))}
        if e["first_encounter"]:
            attrs["first_encounter"] = e["first_encounter"]
        g.add_edge(e["source"], e["target"], **attrs)
    return g


def export_bytes(fmt: str, level: str = "organization", encounter: int | None = None) -> bytes:
    import networkx as nx

    g = to_networkx(level, encounter)
    buf = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(g, buf)
    elif fmt == "graphml":
        nx.write_graphml(g, buf)
    else:
        raise ValueError(fmt)
    return buf.getvalue()


def geojson() -> dict:
    """Organizations with coordinates as a GeoJSON FeatureCollection (public data only)."""
    features = []
    for o in Organization.objects.exclude(latitude=None).exclude(longitude=None).order_by("pk"):
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [o.longitude, o.latitude]},
            "properties": {"id": o.pk, "name": o.name, "acronym": o.acronym,
                           "sector": o.sector, "kind": o.kind, "borough": o.borough},
        })
    return {"type": "FeatureCollection", "features": features}
