import io
from collections import Counter
from itertools import combinations

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from encuentros.core.sectors import Sector
from encuentros.encounters import seating, services
from encuentros.encounters.models import Registration, Seat, SeatingPlan

SECTORS = [Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.ACADEMIA, Sector.PRIVATE]


@pytest.fixture
def crowd(encounter):
    encounter.capacity = None
    encounter.save()
    regs = []
    for i in range(36):
        regs.append(services.register(encounter, services.RegistrationData(
            full_name=f"Persona {i:02d}", email=f"s{i}@example.org", sector=SECTORS[i % 4],
            organization_name=f"Org {i % 4}")))
    for r in regs:
        services.check_in(encounter, r.badge_token)
    return regs


def _pairs(plan):
    met = Counter()
    for rnd in range(1, plan.rounds + 1):
        tables = {}
        for seat in plan.seats.filter(round=rnd):
            tables.setdefault(seat.table, []).append(seat.registration_id)
        for people in tables.values():
            met.update(combinations(sorted(people), 2))
    return met


@pytest.mark.django_db
def test_generate_seats_everyone_once_per_round_without_repeats(encounter, crowd):
    plan = seating.generate(encounter, table_size=4, rounds=3)
    assert plan.seats.count() == 36 * 3
    for rnd in range(1, 4):
        per_round = plan.seats.filter(round=rnd)
        assert per_round.values("registration").distinct().count() == 36
        assert set(Counter(per_round.values_list("table", flat=True)).values()) == {4}
    met = _pairs(plan)
    assert max(met.values()) == 1
    assert plan.repeated_pairs == 0
    q = seating.quality(plan)
    assert q.repeated_pairs == 0 and q.people == 36 and q.tables == 9
    # 9 of each sector at 9 tables of 4: one per sector at every table.
    assert q.unbalanced_tables == 0
    assert all(set(c.values()) == {1} for r in q.sector_mix.values() for c in r.values())
    assert q.contacts_min == 9  # 3 new people from other sectors in each of 3 rounds


@pytest.mark.django_db
def test_only_checked_in_people_unless_registered_is_asked(encounter, crowd):
    late = services.register(encounter, services.RegistrationData(
        full_name="Tardía", email="late@example.org", sector=Sector.CITIZEN))
    plan = seating.generate(encounter, table_size=4, rounds=1)
    assert not plan.seats.filter(registration=late).exists()
    plan2 = seating.generate(encounter, table_size=4, rounds=1, source="registered")
    assert plan2.seats.filter(registration=late).exists()


@pytest.mark.django_db
def test_move_lock_and_reoptimise_with_latecomers_and_absentees(encounter, crowd):
    plan = seating.generate(encounter, table_size=4, rounds=3)
    mover = crowd[0]
    seating.move(plan, mover, 2, 5)
    plan.rounds_held = 1
    plan.save()
    round1 = set(plan.seats.filter(round=1).values_list("registration_id", "table"))
    # One person leaves, two arrive.
    services.cancel(crowd[1])
    for i in range(2):
        r = services.register(encounter, services.RegistrationData(
            full_name=f"Nueva {i}", email=f"new{i}@example.org", sector=Sector.CITIZEN))
        services.check_in(encounter, r.badge_token)
    seating.reoptimise(plan)
    assert set(plan.seats.filter(round=1).values_list("registration_id", "table")) == round1
    assert plan.seats.get(registration=mover, round=2).table == 5
    assert plan.seats.get(registration=mover, round=2).locked
    assert not plan.seats.filter(registration=crowd[1], round__gt=1).exists()
    assert plan.seats.filter(round=3).count() == 37
    met = _pairs(plan)
    assert plan.repeated_pairs == sum(v - 1 for v in met.values() if v > 1)


@pytest.mark.django_db
def test_errors_name_the_problem(encounter, crowd):
    with pytest.raises(seating.SeatingError) as exc:
        seating.generate(encounter, table_size=1, rounds=2)
    assert exc.value.field == "table_size"
    plan = seating.generate(encounter, table_size=4, rounds=2)
    with pytest.raises(seating.SeatingError) as exc:
        seating.move(plan, crowd[0], 3, 1)
    assert exc.value.field == "round"
    with pytest.raises(seating.SeatingError) as exc:
        seating.move(plan, crowd[0], 1, 99)
    assert exc.value.field == "table"


@pytest.mark.django_db
def test_seating_pages_pdfs_and_participant_view(client, organizer, encounter, crowd,
                                                 django_assert_max_num_queries):
    client.force_login(organizer)
    url = reverse("encounters:seating_list", args=[encounter.number])
    response = client.post(url, {"table_size": 6, "rounds": 3, "source": "checked_in",
                                 "title": "Dinámica"})
    assert response.status_code == 302
    plan = SeatingPlan.objects.get()
    detail = reverse("encounters:seating_detail", args=[encounter.number, plan.pk])
    with django_assert_max_num_queries(14):
        page = client.get(detail)
    assert "Persona 00" in page.content.decode()
    pdf = client.get(reverse("encounters:seating_pdf", args=[encounter.number, plan.pk])).content
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3
    cards = client.get(reverse("encounters:seating_cards", args=[encounter.number, plan.pk]))
    text = PdfReader(io.BytesIO(cards.content)).pages[0].extract_text()
    assert "Persona 00" in text
    # Move through the form, then the participant sees their seats.
    reg = crowd[3]
    client.post(detail, {"registration": reg.pk, "round": 2, "table": 1})
    assert Seat.objects.get(plan=plan, registration=reg, round=2).table == 1
    client.logout()
    session = client.session
    session[f"registration-{encounter.pk}"] = reg.badge_token
    session.save()
    mine = client.get(reverse("encounters:my_registration", args=[encounter.number]))
    assert "Dinámica" in mine.content.decode()
    assert len(mine.context["seats"][0][1]) == 3


@pytest.mark.django_db
def test_public_api_gives_quality_only(client, encounter, crowd, django_assert_max_num_queries):
    for _ in range(3):
        seating.generate(encounter, table_size=4, rounds=2)
    with django_assert_max_num_queries(5):  # encounter, count, plans, seats, people
        data = client.get(f"/api/v1/encounters/{encounter.pk}/seating-plans").json()["items"]
    assert len(data) == 3 and data[0]["people"] == 36 and data[0]["repeated_pairs"] == 0
    assert "Persona" not in str(data)


@pytest.mark.django_db
def test_seating_cli(encounter, crowd, capsys):
    call_command("seating", str(encounter.number), "--size", "6", "--rounds", "2")
    out = capsys.readouterr().out
    assert "36 people" in out and "0 repeated pairs" in out
    plan = SeatingPlan.objects.get()
    call_command("seating", str(encounter.number), "--plan", str(plan.pk), "--held", "1")
    assert Registration.objects.filter(seats__plan=plan).distinct().count() == 36


def test_method_is_shown_in_the_interface_language():
    from django.utils import translation

    with translation.override("es-mx"):
        label = seating.method_label("greedy + tabu search, sector quotas")
    assert label == "inicio voraz y búsqueda tabú, cuotas por sector en cada mesa"
    with translation.override("en"):
        assert seating.method_label("round robin") == "round robin"
