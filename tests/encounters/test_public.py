"""Public pages, the API contract, attendance aggregates and their privacy."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization
from encuentros.encounters import services
from encuentros.encounters.models import AgendaItem, Encounter, ReportedAttendance

CANARIES = {"email": "canary-mail-7f3a@example.org", "phone": "+52 55 7777 3131",
            "name": "Zacarías Canario Privado", "access": "canary-needs-91b2"}


def _populate(encounter, n=12):
    orgs = [Organization.objects.create(name=f"Org {i}", sector=s)
            for i, s in enumerate([Sector.GOVERNMENT, Sector.GOVERNMENT, Sector.ACADEMIA])]
    regs = []
    for i in range(n):
        org = orgs[i % 3]
        regs.append(services.register(encounter, services.RegistrationData(
            full_name=f"Persona {i}", email=f"x{i}@example.org", sector=org.sector,
            organization_name=org.name)))
    services.register(encounter, services.RegistrationData(
        full_name=CANARIES["name"], email=CANARIES["email"], phone=CANARIES["phone"],
        sector=Sector.CITIZEN, accessibility_needs=CANARIES["access"]))
    return regs


@pytest.mark.django_db
def test_live_attendance_by_sector_counts_distinct_organizations(encounter):
    regs = _populate(encounter)
    att = services.attendance(encounter)
    assert att.basis == "registered"
    rows = {r.sector: (r.people, r.organizations) for r in att.rows}
    assert rows == {"government": (8, 2), "academia": (4, 1), "citizen": (1, 0)}
    # Once people check in, the counts follow check-ins.
    services.check_in(encounter, regs[0].badge_token)
    services.check_in(encounter, regs[2].badge_token)
    att = services.attendance(encounter)
    assert att.basis == "checked_in"
    assert {r.sector: (r.people, r.organizations) for r in att.rows} == {
        "government": (1, 1), "academia": (1, 1)}
    assert att.total == 2


@pytest.mark.django_db
def test_reported_attendance_wins_and_keeps_unknowns(encounter):
    ReportedAttendance.objects.create(encounter=encounter, sector=None, people=90)
    ReportedAttendance.objects.create(encounter=encounter, sector="government", people=None,
                                      organizations=24)
    att = services.attendance(encounter)
    assert att.basis == "reported" and att.total == 90 and not att.complete
    assert [(r.sector, r.people, r.organizations) for r in att.rows] == [
        (None, 90, None), ("government", None, 24)]


@pytest.mark.django_db
def test_api_list_contract_and_query_count(client, encounter, django_assert_max_num_queries):
    _populate(encounter)
    for n in range(20, 26):
        e = Encounter.objects.create(number=n, title=f"E{n}", start_date=dt.date(2015, 1, n - 19),
                                     end_date=dt.date(2015, 1, n - 19))
        ReportedAttendance.objects.create(encounter=e, sector="government", people=n,
                                          organizations=3)
    with django_assert_max_num_queries(5):
        data = client.get("/api/v1/encounters").json()["items"]
    assert len(data) == 7
    item = next(d for d in data if d["number"] == encounter.number)
    assert set(item) >= {"id", "number", "title", "theme", "start_date", "end_date", "venue",
                         "status", "attendance", "attendance_total"}
    assert item["status"] == "upcoming"
    assert item["attendance_total"] == 13
    assert {"sector": "government", "people": 8, "organizations": 2} in item["attendance"]


@pytest.mark.django_db
def test_api_detail_has_agenda_and_only_public_speakers(client, encounter):
    from encuentros.ecosystem.models import Person

    public = Person.objects.create(full_name="Ponente Pública", sector="academia",
                                   public_profile=True, email="pp@example.org")
    private = Person.objects.create(full_name=CANARIES["name"] + " Ponente", sector="academia",
                                    email="pv@example.org")
    starts = timezone.make_aware(dt.datetime.combine(encounter.start_date, dt.time(10)))
    item = AgendaItem.objects.create(encounter=encounter, kind="talk", title="Apertura",
                                     starts_at=starts)
    item.speakers.set([public, private])
    data = client.get(f"/api/v1/encounters/{encounter.pk}").json()
    assert data["objective"] == "Objetivo"
    assert data["agenda"][0]["speakers"] == ["Ponente Pública"]
    page = client.get(encounter.get_absolute_url()).content.decode()
    assert "Ponente Pública" in page and CANARIES["name"] not in page
    assert client.get("/api/v1/encounters/999999").status_code == 404


@pytest.mark.django_db
def test_no_personal_data_on_public_pages_or_api(client, encounter):
    _populate(encounter)
    urls = ["/", reverse("encounters:list"), encounter.get_absolute_url(),
            reverse("encounters:agenda_ics", args=[encounter.number]),
            reverse("encounters:attendance_svg", args=[encounter.number]),
            "/api/v1/encounters", f"/api/v1/encounters/{encounter.pk}", "/api/v1/openapi.json"]
    for url in urls:
        body = client.get(url).content.decode()
        for canary in CANARIES.values():
            assert canary not in body, f"{canary} leaked in {url}"
        assert "x1@example.org" not in body


@pytest.mark.django_db
def test_drafts_are_hidden_from_the_public(client, encounter, organizer):
    encounter.is_published = False
    encounter.save()
    assert client.get(encounter.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/encounters").json()["items"] == []
    client.force_login(organizer)
    assert client.get(encounter.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_list_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(1, 15):
        e = Encounter.objects.create(number=n, title=f"E{n}", start_date=dt.date(2014, 1, n),
                                     end_date=dt.date(2014, 1, n))
        ReportedAttendance.objects.create(encounter=e, sector="civil_society", people=n)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("encounters:list")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_detail_page_shows_chart_and_table(client, encounter):
    _populate(encounter)
    html = client.get(encounter.get_absolute_url()).content.decode()
    assert "<svg" in html and "data-table" in html
    svg = client.get(reverse("encounters:attendance_svg", args=[encounter.number]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


@pytest.mark.django_db
def test_agenda_icalendar(client, encounter):
    starts = timezone.make_aware(dt.datetime.combine(encounter.start_date, dt.time(9, 30)))
    AgendaItem.objects.create(encounter=encounter, kind="table_dynamic", title="Mesas",
                              starts_at=starts, ends_at=starts + dt.timedelta(minutes=90),
                              room="Salón A")
    response = client.get(reverse("encounters:agenda_ics", args=[encounter.number]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    assert str(events[0]["summary"]) == "Mesas"
    assert events[0].decoded("dtstart") == starts
    assert "Salón A" in str(events[0]["location"])


@pytest.mark.django_db
def test_organizer_creates_encounter_and_builds_agenda(client, organizer, venue):
    from encuentros.core.roles import make_organizer

    make_organizer(organizer)
    client.force_login(organizer)
    response = client.post(reverse("encounters:create"), {
        "number": 8, "title": "Octavo", "theme": "Datos", "objective": "O", "scope": "S",
        "start_date": "2027-03-10", "end_date": "2027-03-09", "venue": venue.pk,
        "capacity": 50, "registration_open": "on"})
    assert "end_date" in response.context["form"].errors
    response = client.post(reverse("encounters:create"), {
        "number": 8, "title": "Octavo", "theme": "Datos", "objective": "O", "scope": "S",
        "start_date": "2027-03-10", "end_date": "2027-03-10", "venue": venue.pk,
        "capacity": 50, "registration_open": "on", "is_published": "on"})
    assert response.status_code == 302
    encounter = Encounter.objects.get(number=8)
    assert organizer in encounter.organizers.all()
    url = reverse("encounters:agenda_manage", args=[8])
    bad = client.post(url, {"kind": "workshop", "title": "Taller",
                            "starts_at": "2027-04-01T10:00"})
    assert "starts_at" in bad.context["form"].errors
    ok = client.post(url, {"kind": "signing", "title": "Firma", "starts_at": "2027-03-10T17:00",
                           "ends_at": "2027-03-10T18:00", "room": "Auditorio"})
    assert ok.status_code == 302
    assert encounter.agenda.get().kind == "signing"


@pytest.mark.django_db
def test_organizer_of_one_encounter_cannot_manage_another(client, organizer, encounter):
    other = Encounter.objects.create(number=50, title="Ajeno", start_date=encounter.start_date,
                                     end_date=encounter.end_date)
    client.force_login(organizer)
    assert client.get(reverse("encounters:registrations", args=[encounter.number])
                      ).status_code == 200
    assert client.get(reverse("encounters:edit", args=[other.number])).status_code == 403
