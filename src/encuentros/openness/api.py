"""Public JSON API of the openness app (mounted under /api/v1/ by encuentros/api.py).

Scores by organization and sector are public (organizations are public entities), and so are
evidence links. Who entered or reviewed an assessment is never exposed.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from encuentros.core.apitypes import Id, Page, envelope
from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization

from . import services
from .models import Assessment

router = Router(tags=["openness"])
MAX_LIMIT = 500


class InstrumentOut(Schema):
    slug: str
    version: str
    title: str
    description: str
    source: str
    sectors: list[str]
    indicators: int
    pillars: list[dict]
    aggregation: dict
    maturity_threshold: float
    xlsform_url: str
    yaml_url: str


class InstrumentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[InstrumentOut]


@router.get("/openness/instruments", response=InstrumentPage,
            summary="Openness instruments (latest version of each)")
def instruments(request, page: Query[Page]):
    """Each instrument with its pillars and components (the full definition is its YAML).
    Paginated with `limit` and `offset`."""
    from django.urls import reverse

    out = []
    latest = list(services.latest_instruments())
    for i in latest[page.offset:page.offset + page.limit]:
        spec = i.spec
        out.append({
            "slug": i.slug, "version": i.version, "title": i.title,
            "description": i.description, "source": i.source, "sectors": i.sectors,
            "indicators": i.indicator_count, "aggregation": spec["aggregation"],
            "maturity_threshold": spec["maturity_threshold"],
            "pillars": [{"key": p["key"], "title": p["title"], "weight": p["weight"],
                         "aggregation": p["aggregation"],
                         "components": [{"key": c["key"], "title": c["title"],
                                         "weight": c["weight"], "aggregation": c["aggregation"],
                                         "indicators": len(c["indicators"])}
                                        for c in p["components"]]}
                        for p in spec["pillars"]],
            "xlsform_url": reverse("openness:xlsform", args=[i.slug]) + f"?version={i.version}",
            "yaml_url": reverse("openness:yaml", args=[i.slug]) + f"?version={i.version}",
        })
    return envelope(len(latest), page, out)


class OrganizationRef(Schema):
    id: int
    name: str
    slug: str
    sector: str


class ScoreOut(Schema):
    organization: OrganizationRef
    sector: str
    period: str
    perspective: str
    instrument: str
    version: str
    overall: float | None
    pillars: dict[str, float | None]
    levels: dict[str, int]
    coverage: float | None


class SectorScoreOut(Schema):
    sector: str
    organizations: int
    overall: float | None
    pillars: dict[str, float | None]


class ScoresOut(Schema):
    instrument: str
    perspective: str
    period: str | None
    periods: list[str]
    count: int
    limit: int
    offset: int
    sectors: list[SectorScoreOut]
    ecosystem: float | None
    ecosystem_pillars: dict[str, float | None]
    items: list[ScoreOut]


class ScoresQuery(Schema):
    instrument: str = services.DEFAULT_SLUG
    sector: str | None = None
    period: str | None = None
    perspective: str = Assessment.Perspective.SELF
    limit: int = 100
    offset: int = 0


def _score(a: Assessment) -> dict:
    return {"organization": {"id": a.organization.pk, "name": a.organization.name,
                             "slug": a.organization.slug, "sector": a.organization.sector},
            "sector": a.sector, "period": a.period, "perspective": a.perspective,
            "instrument": a.instrument.slug, "version": a.instrument.version,
            "overall": a.overall, "pillars": a.results.get("pillars", {}),
            "levels": a.results.get("levels", {}), "coverage": a.results.get("coverage")}


@router.get("/openness/scores", response=ScoresOut, summary="Openness scores")
def scores(request, filters: Query[ScoresQuery]):
    """Submitted scores of organizations, filtered by sector and period, with the sector means
    and the ecosystem score (the mean of the sector means: every sector weighs the same).
    Without `period`, the latest period with submitted assessments; `periods` lists them all.
    Items are paginated with `limit` (at most 500) and `offset`."""
    instrument = services.get_instrument(filters.instrument)
    if instrument is None:
        raise HttpError(404, _("instrument: unknown instrument %(value)r.")
                        % {"value": filters.instrument})
    if filters.sector and filters.sector not in Sector.values:
        raise HttpError(422, _("sector: unknown sector %(value)r; use one of %(choices)s.")
                        % {"value": filters.sector, "choices": ", ".join(Sector.values)})
    if filters.perspective not in Assessment.Perspective.values:
        raise HttpError(422, _("perspective: use self or external."))
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    all_periods = services.periods(instrument.slug, filters.perspective)
    period = filters.period or (all_periods[-1] if all_periods else None)
    qs = services.submitted(instrument.slug, perspective=filters.perspective,
                            period=period or "", sector=filters.sector)
    if period is None:
        qs = qs.none()
    summary = services.sector_summary(instrument, period, filters.perspective)
    return {"instrument": instrument.slug, "perspective": filters.perspective,
            "period": period, "periods": all_periods, "count": qs.count(), "limit": limit,
            "offset": offset,
            "sectors": [{"sector": r.sector, "organizations": r.organizations,
                         "overall": r.overall, "pillars": r.pillars} for r in summary.rows],
            "ecosystem": summary.ecosystem, "ecosystem_pillars": summary.ecosystem_pillars,
            "items": [_score(a) for a in qs[offset:offset + limit]]}


class PillarOut(Schema):
    key: str
    title: str
    score: float | None
    level: int | None
    previous: float | None
    change: float | None


class EvidenceOut(Schema):
    indicator: str
    text: str
    url: str


class OrganizationOpennessOut(Schema):
    instrument: str
    version: str
    perspective: str
    period: str
    overall: float | None
    previous_period: str | None
    overall_change: float | None
    coverage: float | None
    pillars: list[PillarOut]
    evidence: list[EvidenceOut]
    history: list[dict]


class OrganizationOut(Schema):
    organization: OrganizationRef
    results: list[OrganizationOpennessOut]


@router.get("/organizations/{int:organization_id}/openness", response=OrganizationOut,
            summary="An organization's openness results")
def organization_openness(request, organization_id: Id):
    """Latest submitted assessment per instrument and perspective, with the change since the
    previous one, the maturity level of each pillar and the public evidence links."""
    org = get_object_or_404(Organization, pk=organization_id)
    out = []
    for r in services.organization_results(org):
        out.append({
            "instrument": r.instrument.slug, "version": r.instrument.version,
            "perspective": r.perspective, "period": r.latest.period,
            "overall": r.latest.overall,
            "previous_period": r.previous.period if r.previous else None,
            "overall_change": r.overall_change,
            "coverage": r.latest.results.get("coverage"),
            "pillars": r.pillars, "evidence": r.evidence,
            "history": [{"period": a.period, "overall": a.overall,
                         "pillars": a.results.get("pillars", {})} for a in r.history],
        })
    return {"organization": {"id": org.pk, "name": org.name, "slug": org.slug,
                             "sector": org.sector}, "results": out}
