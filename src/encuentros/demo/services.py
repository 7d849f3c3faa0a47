"""Loading the demo data: idempotent, deterministic."""

import datetime as dt
import importlib
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from encuentros.core.roles import make_organizer
from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Person, Topic
from encuentros.encounters.models import (
    AgendaItem,
    Encounter,
    Registration,
    ReportedAttendance,
    Venue,
)

from . import historical, synthetic

DEMO_ORGANIZER = ("organizador", "encuentros-demo")
DEMO_ADMIN = ("admin", "admin-demo")
# Apps that add their own demo data (each has demo.py with load(historical, current)).
DEMO_APPS = ("opendata", "openness", "collaboration", "evaluation")


def _venue(name: str) -> Venue:
    venue, _ = Venue.objects.get_or_create(name=name)
    return venue


@transaction.atomic
def load_historical() -> list[Encounter]:
    loaded = []
    for data in historical.ENCOUNTERS:
        venues = [_venue(n) for n in data["venues"]]
        encounter, _ = Encounter.objects.update_or_create(
            number=data["number"],
            defaults={
                "title": data["title"], "theme": data["theme"], "objective": data["objective"],
                "scope": data["scope"], "start_date": data["start_date"],
                "end_date": data["end_date"], "venue": venues[0], "capacity": None,
                "registration_open": False, "is_published": True,
            },
        )
        encounter.other_venues.set(venues[1:])
        encounter.reported_attendance.all().delete()
        ReportedAttendance.objects.bulk_create(
            ReportedAttendance(encounter=encounter, sector=row["sector"], people=row["people"],
                               organizations=row["organizations"], note=row["note"],
                               source=historical.SOURCE)
            for row in data["attendance"]
        )
        loaded.append(encounter)
    return loaded


@transaction.atomic
def load_synthetic(today: dt.date | None = None) -> Encounter:
    rng = random.Random(synthetic.SEED)
    topics = {}
    for name in synthetic.TOPICS:
        topic = Topic.objects.filter(name=name).first() or Topic.objects.create(name=name)
        topics[name] = topic
    orgs = {}
    for sector, entries in synthetic.ORGANIZATIONS.items():
        for i, (name, acronym) in enumerate(entries):
            org = Organization.objects.filter(name=name).first()
            if org is None:
                org = Organization.objects.create(
                    name=name, acronym=acronym, sector=sector,
                    kind={Sector.GOVERNMENT: "agency", Sector.CIVIL_SOCIETY: "ngo",
                          Sector.ACADEMIA: "university", Sector.PRIVATE: "company"}[sector],
                    description="Organización ficticia de la base de demostración.")
            orgs[(sector, i)] = org
    start, end = synthetic.dates(today)
    venue = _venue("Centro de Convenciones de Ejemplo (demo)")
    encounter, _ = Encounter.objects.update_or_create(
        number=synthetic.NUMBER,
        defaults={
            "title": "Sexto Encuentro de Gobierno Abierto (demostración)",
            "theme": "Del acuerdo al resultado: datos, mesas y compromisos",
            "objective": "Encuentro sintético de demostración: probar cada función de la "
                         "plataforma con datos generados (registro por sector, check-in, "
                         "mesas intersectoriales, propuestas, solicitudes de datos y acuerdos).",
            "scope": "Datos ficticios, generados de forma determinista. No describe un evento "
                     "real.",
            "start_date": start, "end_date": end, "venue": venue,
            "capacity": synthetic.CAPACITY, "registration_open": True, "is_published": True,
        },
    )
    encounter.topics.set(topics.values())
    encounter.agenda.all().delete()
    tz = timezone.get_current_timezone()
    for offset, hhmm, minutes, kind, title, room in synthetic.AGENDA:
        h, m = map(int, hhmm.split(":"))
        starts = dt.datetime.combine(start + dt.timedelta(days=offset), dt.time(h, m), tz)
        AgendaItem.objects.create(encounter=encounter, kind=kind, title=title, room=room,
                                  starts_at=starts, ends_at=starts + dt.timedelta(minutes=minutes))

    existing = {p.email: p for p in Person.objects.filter(email__endswith="@example.org")}
    base_time = timezone.make_aware(dt.datetime(2026, 1, 1, 9, 0), tz)
    registrations = []
    for i, (name, email, sector, org_i, topic_names, public, access) in enumerate(
            synthetic.people(rng)):
        org = orgs[(sector, org_i)] if org_i is not None else None
        person = existing.get(email)
        if person is None:
            person = Person.objects.create(full_name=name, email=email, sector=sector,
                                           organization=org, public_profile=public)
            person.topics.set(topics[t] for t in topic_names)
        token = f"demo{rng.getrandbits(48):012x}"
        registrations.append(Registration(
            encounter=encounter, person=person, sector=sector, organization=org,
            status=Registration.Status.REGISTERED, accessibility_needs=access, source="demo",
            badge_token=token, created_at=base_time + dt.timedelta(minutes=i)))
    encounter.registrations.filter(source="demo").delete()
    Registration.objects.bulk_create(registrations)
    through = Registration.topics.through
    regs = {r.person_id: r.pk for r in encounter.registrations.filter(source="demo")}
    person_topics = Person.topics.through.objects.filter(person_id__in=regs)
    through.objects.bulk_create(
        through(registration_id=regs[pt.person_id], topic_id=pt.topic_id) for pt in person_topics)
    return encounter


def ensure_accounts(encounter: Encounter) -> None:
    User = get_user_model()
    organizer = User.objects.filter(username=DEMO_ORGANIZER[0]).first()
    if organizer is None:
        organizer = User.objects.create_user(DEMO_ORGANIZER[0], "organizador@example.org",
                                             DEMO_ORGANIZER[1], first_name="Organizadora")
    make_organizer(organizer)
    encounter.organizers.add(organizer)
    if not User.objects.filter(username=DEMO_ADMIN[0]).exists():
        User.objects.create_superuser(DEMO_ADMIN[0], "admin@example.org", DEMO_ADMIN[1])


def load_demo(accounts: bool = True) -> dict:
    historical_encounters = load_historical()
    current = load_synthetic()
    if accounts:
        ensure_accounts(current)
    extra = {}
    for app in DEMO_APPS:
        module = importlib.import_module(f"encuentros.{app}.demo")
        with transaction.atomic():
            extra[app] = module.load(historical_encounters, current)
    return {"historical": len(historical_encounters), "synthetic": current, **extra}
