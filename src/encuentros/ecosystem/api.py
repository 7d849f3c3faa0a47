"""Public JSON API of the ecosystem: organizations and the atlas (public entities and
aggregates; people appear only with a public profile)."""

import json
import re
from typing import Literal

from django.apps import apps
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from encuentros.core import tasks as core_tasks
from encuentros.core.apitypes import MAX_ID, OptionalId
from encuentros.core.sectors import Sector

from . import atlas, tasks
from .models import Organization, Topic

router = Router(tags=["ecosystem"])
MAX_LIMIT = 500


class DirectoryOrganization(Schema):
    id: int
    name: str
    acronym: str
    slug: str
    sector: str
    kind: str
    parent_id: int | None
    borough: str
    latitude: float | None
    longitude: float | None
    website: str
    topics: list[str]
    encounters: list[int]


class DirectoryPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[DirectoryOrganization]


class OrganizationFilters(Schema):
    q: str = ""
    sector: str = ""
    kind: str = ""
    topic: str = ""
    borough: str = ""
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_ID)


def organizations_queryset(filters) -> "QuerySet":  # noqa: F821
    qs = Organization.objects.all()
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(acronym__icontains=filters.q)
                       | Q(description__icontains=filters.q))
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.topic:
        qs = qs.filter(topics__slug=filters.topic)
    if filters.borough:
        qs = qs.filter(borough__iexact=filters.borough)
    return qs.distinct()


@router.get("/organizations", response=DirectoryPage, summary="Directory of organizations")
def list_organizations(request, filters: Query[OrganizationFilters]):
    """Organizations are public entities: filter by sector, kind, topic (slug), borough or a
    search term; `encounters` lists the encounter numbers where the organization took part."""
    qs = organizations_queryset(filters)
    count = qs.count()
    page = list(qs.order_by("name").prefetch_related("topics")[
        filters.offset:filters.offset + filters.limit])
    numbers = {}
    # from the registrations side (a model of the app above, reached through the relation),
    # unordered: no join through organizations, no sort by name
    registrations = Organization._meta.get_field("registrations").related_model.objects
    for org_id, number in (registrations
                           .filter(organization_id__in=[o.pk for o in page], status="registered")
                           .order_by().values_list("organization_id", "encounter__number")
                           .distinct()):
        numbers.setdefault(org_id, set()).add(number)
    results = [{
        "id": o.pk, "name": o.name, "acronym": o.acronym, "slug": o.slug, "sector": o.sector,
        "kind": o.kind, "parent_id": o.parent_id, "borough": o.borough,
        "latitude": o.latitude, "longitude": o.longitude, "website": o.website,
        "topics": [t.name for t in o.topics.all()],
        "encounters": sorted(numbers.get(o.pk, ())),
    } for o in page]
    return {"count": count, "limit": filters.limit, "offset": filters.offset,
            "results": results}


Level = Literal["organization", "person"]
# Only known sectors: each filter value is a cached graph (and, on a large atlas, a background
# task), so free text would let anyone fill the cache and the queue.
SectorFilter = Literal[("",) + tuple(Sector.values)]  # type: ignore[valid-type]


def _level(level: Level) -> str:
    return level


def _require_known(encounter: int | None = None, topic: int | None = None) -> None:
    """404 for an encounter or topic that does not exist: each filter value is an atlas to
    compute (seconds on a large ecosystem, in the worker's queue), so made-up numbers must not
    reach it."""
    Encounter = apps.get_model("encounters", "Encounter")
    if encounter is not None and not Encounter.objects.filter(number=encounter).exists():
        raise HttpError(404, _("No encounter has the number %(number)s.") % {"number": encounter})
    if topic is not None and not Topic.objects.filter(pk=topic).exists():
        raise HttpError(404, _("No topic has the id %(id)s.") % {"id": topic})


@router.get("/atlas/graph", url_name="atlas_graph", summary="The ecosystem graph (nodes and edges)")
def atlas_graph(request, level: Level = "organization", encounter: OptionalId = None,
                sector: SectorFilter = "", topic: OptionalId = None):
    """Nodes (organizations, or people with a public profile) with their metrics and layout
    position; edges with their total weight, weight per kind of tie, first encounter and
    whether they cross sectors. At most 20,000 edges, the heaviest (`edges_total` says how
    many there are; the GEXF/GraphML exports have them all). 404 for an unknown encounter or
    topic."""
    _require_known(encounter, topic)
    if (pending := tasks.ensure(_level(level), encounter, sector or None, topic)) is not None:
        return _pending(request, pending)
    args = (_level(level), encounter, sector or None, topic)
    if _accepts_gzip(request):
        response = HttpResponse(atlas.graph_json_gzip(*args), content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(atlas.graph_json_bytes(*args), content_type="application/json")
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _accepts_gzip(request) -> bool:
    """gzip is in Accept-Encoding and not refused with q=0 (Django's GZipMiddleware looks for
    the word alone; that middleware is not used: it would compress on every request)."""
    return bool(re.search(r"\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\b)",
                          request.headers.get("Accept-Encoding", "")))


@router.get("/atlas/metrics", summary="Analytics of the ecosystem graph")
def atlas_metrics(request, level: Level = "organization", encounter: OptionalId = None):
    """Centrality, brokers between sectors, communities, isolated nodes, and the cross-sector
    tie ratio and growth per encounter."""
    _require_known(encounter)
    if (pending := tasks.ensure(_level(level), encounter, graph=False)) is not None:
        return _pending(request, pending)
    data = dict(atlas.metrics(_level(level), encounter))
    data.pop("node_metrics", None)
    data["kinds"] = [{"kind": k, "label": str(label)} for k, label in atlas.kinds()]
    return data


def _pending(request, record) -> HttpResponse:
    """202: a large atlas is being computed by the background worker; ask again later."""
    done, total, message = core_tasks.progress_of(record)
    body = {"status": "pending", "task": record.pk, "done": done, "total": total,
            "message": message,
            "progress_url": request.build_absolute_uri(reverse("core:task", args=[record.pk]))}
    response = HttpResponse(json.dumps(body), status=202, content_type="application/json")
    response["Retry-After"] = "2"
    return response


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/atlas/export.gexf", url_name="atlas_gexf", summary="The graph as GEXF (Gephi)")
def atlas_gexf(request, level: Level = "organization", encounter: OptionalId = None):
    _require_known(encounter)
    if (pending := tasks.ensure(_level(level), encounter, graph=False)) is not None:
        return _pending(request, pending)
    return _download(atlas.export_bytes("gexf", _level(level), encounter),
                     "application/gexf+xml", f"atlas-{level}.gexf")


@router.get("/atlas/export.graphml", url_name="atlas_graphml", summary="The graph as GraphML")
def atlas_graphml(request, level: Level = "organization", encounter: OptionalId = None):
    _require_known(encounter)
    if (pending := tasks.ensure(_level(level), encounter, graph=False)) is not None:
        return _pending(request, pending)
    return _download(atlas.export_bytes("graphml", _level(level), encounter),
                     "application/graphml+xml", f"atlas-{level}.graphml")


@router.get("/atlas/organizations.geojson", url_name="atlas_geojson",
            summary="Organizations with coordinates (GeoJSON)")
def atlas_geojson(request):
    return atlas.geojson()


