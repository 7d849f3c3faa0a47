from django.utils.translation import gettext_lazy as _

from encuentros.opendata.publication import resource

from . import atlas
from .models import Organization, Person


@resource("organizations", _("Organizations"), _("Directory of the ecosystem."), [
    ("id", "integer", ""), ("name", "string", ""), ("acronym", "string", ""),
    ("sector", "string", ""), ("kind", "string", ""), ("parent_id", "integer", ""),
    ("borough", "string", ""), ("latitude", "number", ""), ("longitude", "number", ""),
    ("website", "string", ""), ("topics", "string", "separated by ;")])
def organizations():
    for o in Organization.objects.prefetch_related("topics").order_by("pk"):
        yield {"id": o.pk, "name": o.name, "acronym": o.acronym, "sector": o.sector,
               "kind": o.kind, "parent_id": o.parent_id, "borough": o.borough,
               "latitude": o.latitude, "longitude": o.longitude, "website": o.website,
               "topics": [t.name for t in o.topics.all()]}


@resource("change-agents", _("Change agents with a public profile"),
          _("Only people who consented to a public profile; no contact data."), [
    ("name", "string", ""), ("organization", "string", ""), ("sector", "string", ""),
    ("position", "string", ""), ("topics", "string", "separated by ;")])
def change_agents():
    for p in Person.objects.filter(public_profile=True).select_related("organization") \
            .prefetch_related("topics").order_by("full_name"):
        yield {"name": p.full_name, "organization": p.organization.name if p.organization
               else "", "sector": p.sector, "position": p.position,
               "topics": [t.name for t in p.topics.all()]}


@resource("atlas-ties", _("Ties between organizations"),
          _("The ecosystem graph at organization level."), [
    ("source", "integer", "organization id"), ("target", "integer", "organization id"),
    ("weight", "number", ""), ("kinds", "string", "separated by ;"),
    ("first_encounter", "integer", ""), ("cross_sector", "boolean", "")])
def ties():
    for e in atlas.graph_json("organization", with_layout=False)["edges"]:
        yield {"source": e["source"], "target": e["target"], "weight": e["weight"],
               "kinds": sorted(e["kinds"]), "first_encounter": e["first_encounter"],
               "cross_sector": e["cross_sector"]}
