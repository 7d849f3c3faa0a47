from django.utils.translation import gettext_lazy as _

from . import services
from .models import DataRequest, Dataset
from .publication import resource


@resource("datasets", _("Dataset catalog"), _("Datasets imported from the portals."), [
    ("id", "integer", ""), ("title", "string", ""), ("publisher", "string", ""),
    ("themes", "string", ""), ("keywords", "string", ""), ("formats", "string", ""),
    ("licence", "string", ""), ("landing_url", "string", ""), ("source_catalog", "string", ""),
    ("identifier", "string", ""), ("modified", "date", "")])
def datasets():
    for d in Dataset.objects.select_related("publisher").prefetch_related("themes") \
            .order_by("pk"):
        yield {"id": d.pk, "title": d.title, "publisher": d.publisher.name if d.publisher
               else "", "themes": [t.name for t in d.themes.all()], "keywords": d.keywords,
               "formats": d.formats, "licence": d.licence, "landing_url": d.landing_url,
               "source_catalog": d.source_catalog, "identifier": d.identifier,
               "modified": d.modified}


@resource("data-requests", _("Data requests"),
          _("Requests for data, their supports, status and answers; the requester appears by "
            "name only with a public profile."), [
    ("id", "integer", ""), ("title", "string", ""), ("problem", "string", ""),
    ("topic", "string", ""), ("agency", "string", ""), ("encounter", "integer", ""),
    ("status", "string", ""), ("public_reason", "string", ""),
    ("agency_response", "string", ""), ("supports", "integer", ""),
    ("requested_by", "string", "name with consent, otherwise the sector"),
    ("created_at", "datetime", "")])
def data_requests():
    for r in DataRequest.objects.select_related("topic", "agency", "encounter", "requester") \
            .order_by("pk"):
        yield {"id": r.pk, "title": r.title, "problem": r.problem,
               "topic": r.topic.name if r.topic else "", "agency": r.agency.name if r.agency
               else "", "encounter": r.encounter.number if r.encounter else None,
               "status": r.status, "public_reason": r.public_reason,
               "agency_response": r.agency_response, "supports": r.votes_count,
               "requested_by": str(services.requester_label(r)), "created_at": r.created_at}


@resource("demand-by-topic", _("Demand for data by topic"), _("Aggregates."), [
    ("topic", "string", ""), ("total", "integer", ""), ("pending", "integer", ""),
    ("satisfied", "integer", "")])
def demand_by_topic():
    for row in services.demand_summary()["by_topic"]:
        yield {"topic": str(row["label"]), "total": row["total"], "pending": row["pending"],
               "satisfied": row["satisfied"]}
