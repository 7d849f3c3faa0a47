"""Public JSON API for encounters. No personal data: aggregates and public program only."""

import datetime as dt

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from encuentros.core.apitypes import Id, Page, envelope, paged
from encuentros.ecosystem.models import Person

from . import services
from .models import AgendaItem, Encounter

router = Router(tags=["encounters"])


class AttendanceOut(Schema):
    sector: str | None
    people: int | None
    organizations: int | None


class EncounterOut(Schema):
    id: int
    number: int
    title: str
    theme: str
    start_date: dt.date
    end_date: dt.date
    venue: str
    status: str
    registration_open: bool
    capacity: int | None
    attendance: list[AttendanceOut]
    attendance_total: int
    attendance_basis: str
    attendance_complete: bool


class AgendaItemOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    room: str
    speakers: list[str]
    organizations: list[str]


class EncounterDetailOut(EncounterOut):
    objective: str
    scope: str
    agenda: list[AgendaItemOut]


def _out(encounter: Encounter, attendance) -> dict:
    return {
        "id": encounter.pk, "number": encounter.number, "title": encounter.title,
        "theme": encounter.theme, "start_date": encounter.start_date,
        "end_date": encounter.end_date, "venue": encounter.venue_names,
        "status": encounter.status, "registration_open": encounter.accepts_registrations,
        "capacity": encounter.capacity,
        "attendance": [{"sector": r.sector, "people": r.people,
                        "organizations": r.organizations} for r in attendance.rows],
        "attendance_total": attendance.total, "attendance_basis": attendance.basis,
        "attendance_complete": attendance.complete,
    }


def _published():
    return (Encounter.objects.filter(is_published=True).select_related("venue")
            .prefetch_related("other_venues"))


class EncounterPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EncounterOut]


@router.get("/encounters", response=EncounterPage, summary="List encounters")
def list_encounters(request, page: Query[Page]):
    """Published encounters with their attendance by sector (`sector: null` = not stated),
    paginated with `limit` and `offset`."""
    count, encounters = paged(_published(), page)
    attendance = services.attendance_for(encounters)
    return envelope(count, page, [_out(e, attendance[e.pk]) for e in encounters])


@router.get("/encounters/{int:encounter_id}", response=EncounterDetailOut,
            summary="One encounter with its agenda")
def get_encounter(request, encounter_id: Id):
    public_speakers = Prefetch("speakers", queryset=Person.objects.filter(public_profile=True),
                               to_attr="public_speakers")
    encounter = get_object_or_404(
        _published().prefetch_related(
            Prefetch("agenda", queryset=AgendaItem.objects.prefetch_related(
                public_speakers, "speaker_organizations"))),
        pk=encounter_id)
    data = _out(encounter, services.attendance(encounter))
    data.update(objective=encounter.objective, scope=encounter.scope, agenda=[
        {"id": item.pk, "kind": item.kind, "title": item.title, "description": item.description,
         "starts_at": item.starts_at, "ends_at": item.ends_at, "room": item.room,
         "speakers": [p.full_name for p in item.public_speakers],
         "organizations": [o.name for o in item.speaker_organizations.all()]}
        for item in encounter.agenda.all()
    ])
    return data


class SeatingPlanOut(Schema):
    id: int
    title: str
    table_size: int
    rounds: int
    tables: int
    people: int
    repeated_pairs: int
    cross_sector_contacts_mean: float
    cross_sector_contacts_min: int
    method: str


class SeatingPlanPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SeatingPlanOut]


@router.get("/encounters/{int:encounter_id}/seating-plans", response=SeatingPlanPage,
            summary="Seating plans of an encounter (aggregate quality only)")
def seating_plans(request, encounter_id: Id, page: Query[Page]):
    """Who sat with whom is personal; only the quality of each plan is public. Paginated."""
    from . import seating

    encounter = get_object_or_404(_published(), pk=encounter_id)
    count, plans = paged(encounter.seating_plans.order_by("pk"), page)
    quality = seating.qualities(plans)
    out = []
    for plan in plans:
        q = quality[plan.pk]
        out.append({"id": plan.pk, "title": plan.title, "table_size": plan.table_size,
                    "rounds": plan.rounds, "tables": q.tables, "people": q.people,
                    "repeated_pairs": q.repeated_pairs,
                    "cross_sector_contacts_mean": q.contacts_mean,
                    "cross_sector_contacts_min": q.contacts_min, "method": plan.method})
    return envelope(count, page, out)
