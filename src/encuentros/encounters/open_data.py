"""Public data of the encounters app as open-data resources (aggregates and program only)."""

from django.utils.translation import gettext_lazy as _

from encuentros.opendata.publication import resource

from . import seating, services
from .models import AgendaItem, Encounter


def _published():
    return Encounter.objects.filter(is_published=True).select_related("venue") \
        .prefetch_related("other_venues").order_by("number")


@resource("encounters", _("Encounters"), _("Every published encounter."), [
    ("number", "integer", "Edition number"), ("title", "string", ""), ("theme", "string", ""),
    ("start_date", "date", ""), ("end_date", "date", ""), ("venue", "string", ""),
    ("status", "string", "upcoming, ongoing or past"), ("objective", "string", ""),
    ("scope", "string", "Scope and outcomes as recorded")])
def encounters():
    for e in _published():
        yield {"number": e.number, "title": e.title, "theme": e.theme,
               "start_date": e.start_date, "end_date": e.end_date, "venue": e.venue_names,
               "status": e.status, "objective": e.objective, "scope": e.scope}


@resource("attendance", _("Attendance by sector"),
          _("People and distinct organizations per sector and encounter; reported figures for "
            "encounters before the platform (empty = not stated)."), [
    ("encounter", "integer", ""), ("sector", "string", "empty when not stated"),
    ("people", "integer", ""), ("organizations", "integer", ""),
    ("basis", "string", "reported, registered or checked_in")])
def attendance():
    encounters = list(_published())
    data = services.attendance_for(encounters)
    for e in encounters:
        for row in data[e.pk].rows:
            yield {"encounter": e.number, "sector": row.sector or "", "people": row.people,
                   "organizations": row.organizations, "basis": data[e.pk].basis}


@resource("agenda", _("Agendas"), _("Program of every encounter."), [
    ("encounter", "integer", ""), ("kind", "string", ""), ("title", "string", ""),
    ("starts_at", "datetime", ""), ("ends_at", "datetime", ""), ("room", "string", "")])
def agenda():
    for item in AgendaItem.objects.filter(encounter__is_published=True).select_related(
            "encounter").order_by("encounter__number", "starts_at"):
        yield {"encounter": item.encounter.number, "kind": item.kind, "title": item.title,
               "starts_at": item.starts_at, "ends_at": item.ends_at, "room": item.room}


@resource("seating-plans", _("Seating plans (quality)"),
          _("Who sat with whom is personal; only each plan's figures are published."), [
    ("encounter", "integer", ""), ("plan", "string", ""), ("people", "integer", ""),
    ("rounds", "integer", ""), ("tables", "integer", ""), ("repeated_pairs", "integer", ""),
    ("cross_sector_contacts_mean", "number", ""), ("cross_sector_contacts_min", "integer", "")])
def seating_plans():
    from .models import SeatingPlan

    plans = list(SeatingPlan.objects.filter(encounter__is_published=True)
                 .select_related("encounter").order_by("encounter__number", "pk"))
    quality = seating.qualities(plans)
    for p in plans:
        q = quality[p.pk]
        yield {"encounter": p.encounter.number, "plan": p.title, "people": q.people,
               "rounds": p.rounds, "tables": q.tables, "repeated_pairs": q.repeated_pairs,
               "cross_sector_contacts_mean": q.contacts_mean,
               "cross_sector_contacts_min": q.contacts_min}
