"""Public JSON API of open data: datasets, data requests (no personal data of requesters unless
they consented to a public profile) and the demand diagnosis."""

import datetime as dt

from ninja import Field, Query, Router, Schema

from encuentros.core.apitypes import MAX_ID, OptionalId

from . import services
from .models import DataRequest, Dataset

router = Router(tags=["opendata"])


class CatalogPage(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_ID)


class DatasetOut(Schema):
    id: int
    title: str
    description: str
    publisher: str | None
    publisher_id: int | None
    themes: list[str]
    keywords: list[str]
    formats: list[str]
    licence: str
    landing_url: str
    source_catalog: str
    identifier: str
    modified: dt.date | None


class DatasetPage(Schema):
    count: int
    results: list[DatasetOut]


@router.get("/datasets", response=DatasetPage, summary="Dataset catalog")
def datasets(request, page: Query[CatalogPage], q: str = "", publisher: OptionalId = None,
             format: str = ""):
    qs = Dataset.objects.all()
    if q:
        qs = qs.filter(title__icontains=q)
    if publisher:
        qs = qs.filter(publisher_id=publisher)
    if format:
        qs = qs.filter(formats__icontains=format.upper()[:20])
    count = qs.count()
    rows = qs.select_related("publisher").prefetch_related("themes").order_by("title", "pk")[
        page.offset:page.offset + page.limit]
    return {"count": count, "results": [{
        "id": d.pk, "title": d.title, "description": d.description,
        "publisher": d.publisher.name if d.publisher else None, "publisher_id": d.publisher_id,
        "themes": [t.name for t in d.themes.all()], "keywords": d.keywords, "formats": d.formats,
        "licence": d.licence, "landing_url": d.landing_url, "source_catalog": d.source_catalog,
        "identifier": d.identifier, "modified": d.modified} for d in rows]}


class RequestOut(Schema):
    id: int
    title: str
    problem: str
    topic: str | None
    agency: str | None
    agency_id: int | None
    desired_format: str
    frequency: str
    encounter_number: int | None
    status: str
    public_reason: str
    agency_response: str
    votes: int
    requested_by: str
    requester_sector: str | None
    datasets: list[int]
    created_at: dt.datetime


class RequestPage(Schema):
    count: int
    results: list[RequestOut]


@router.get("/data-requests", response=RequestPage, summary="Data requests")
def data_requests(request, page: Query[CatalogPage], status: DataRequest.Status | None = None,
                  topic: OptionalId = None, agency: OptionalId = None):
    """`requested_by` is the requester's name only with their consent to a public profile;
    otherwise their sector. Emails are never published."""
    qs = DataRequest.objects.all()
    if status:
        qs = qs.filter(status=status)
    if topic:
        qs = qs.filter(topic_id=topic)
    if agency:
        qs = qs.filter(agency_id=agency)
    count = qs.count()
    rows = (qs.select_related("topic", "agency", "encounter", "requester")
            .prefetch_related("datasets")[page.offset:page.offset + page.limit])
    return {"count": count, "results": [{
        "id": r.pk, "title": r.title, "problem": r.problem,
        "topic": r.topic.name if r.topic else None, "agency": r.agency.name if r.agency else None,
        "agency_id": r.agency_id, "desired_format": r.desired_format, "frequency": r.frequency,
        "encounter_number": r.encounter.number if r.encounter else None, "status": r.status,
        "public_reason": r.public_reason, "agency_response": r.agency_response,
        "votes": r.votes_count, "requested_by": services.requester_label(r),
        "requester_sector": r.requester_sector or None,
        "datasets": [d.pk for d in r.datasets.all()], "created_at": r.created_at}
        for r in rows]}


@router.get("/demand/summary", url_name="demand_summary",
            summary="Diagnosis of open-data demand (aggregates)")
def demand_summary(request):
    return services.demand_summary()
