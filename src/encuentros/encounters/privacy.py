"""What the encounters app holds about a person, and how it forgets them."""

from encuentros.ecosystem.privacy import on_erase, personal_data

from .models import Registration, Seat, new_badge_token


@personal_data
def registrations(person):
    regs = (Registration.objects.filter(person=person)
            .select_related("encounter", "organization").prefetch_related("topics"))
    seats = {}
    for seat in Seat.objects.filter(registration__person=person).select_related("plan"):
        seats.setdefault(seat.registration_id, []).append(
            {"plan": seat.plan.title, "round": seat.round, "table": seat.table})
    return "registrations", [{
        "encounter": r.encounter.number, "title": r.encounter.title, "status": r.status,
        "sector": r.sector, "organization": r.organization.name if r.organization else None,
        "topics": [t.name for t in r.topics.all()],
        "accessibility_needs": r.accessibility_needs,
        "registered_at": r.created_at.isoformat(),
        "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
        "seats": seats.get(r.pk, []),
    } for r in regs]


@on_erase
def forget_registrations(person):
    """Registrations stay (with their sector and organization snapshot, so attendance by sector
    stays true); what could identify the person goes, and old badge links stop working."""
    for r in Registration.objects.filter(person=person):
        r.accessibility_needs = ""
        r.badge_token = new_badge_token()
        r.save(update_fields=["accessibility_needs", "badge_token"])
