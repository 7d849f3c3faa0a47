import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from encuentros.core.sectors import Sector
from encuentros.encounters import services
from encuentros.encounters.models import Registration


def reg(encounter, i, **kw):
    return services.register(encounter, services.RegistrationData(
        full_name=f"Persona {i}", email=f"k{i}@example.org", sector=Sector.CITIZEN, **kw))


@pytest.mark.django_db
def test_check_in_by_code_and_by_qr_url(encounter, organizer):
    a, b = reg(encounter, 1), reg(encounter, 2)
    got, new = services.check_in(encounter, f"  {a.badge_token} ", by=organizer)
    assert got == a and new and got.checked_in_by == organizer
    url = f"https://x.example/encounters/{encounter.number}/check-in/{b.badge_token}/"
    got, new = services.check_in(encounter, url)
    assert got == b and new
    again, new = services.check_in(encounter, a.badge_token)
    assert not new


@pytest.mark.django_db
def test_check_in_refusals(encounter, venue):
    encounter.capacity = 1
    encounter.save()
    reg(encounter, 1)
    waiting = reg(encounter, 2)
    with pytest.raises(services.CheckInError, match="waitlist|espera"):
        services.check_in(encounter, waiting.badge_token)
    with pytest.raises(services.CheckInError):
        services.check_in(encounter, "no-such-code")
    with pytest.raises(services.CheckInError):
        services.check_in(encounter, "")
    first = Registration.objects.get(person__email="k1@example.org")
    services.cancel(first)
    with pytest.raises(services.CheckInError):
        services.check_in(encounter, first.badge_token)


@pytest.mark.django_db
def test_codes_of_another_encounter_do_not_work(encounter, venue):
    from encuentros.encounters.models import Encounter

    other = Encounter.objects.create(number=99, title="Otro", start_date=encounter.start_date,
                                     end_date=encounter.end_date, registration_open=True)
    r = reg(other, 1)
    with pytest.raises(services.CheckInError):
        services.check_in(encounter, r.badge_token)


@pytest.mark.django_db
def test_checkin_page_htmx_and_plain(client, organizer, encounter):
    r = reg(encounter, 1, accessibility_needs="Intérprete LSM")
    client.force_login(organizer)
    url = reverse("encounters:checkin", args=[encounter.number])
    page = client.get(url)
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    partial = client.post(url, {"code": r.badge_token}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and "Persona 1" in html and "Intérprete LSM" in html
    r.refresh_from_db()
    assert r.checked_in_at is not None
    fail = client.post(url, {"code": "nope"})
    assert fail.context["result"]["ok"] is False


@pytest.mark.django_db
def test_qr_url_confirms_for_organizers_only(client, organizer, user, encounter):
    r = reg(encounter, 1)
    url = reverse("encounters:checkin_code", args=[encounter.number, r.badge_token])
    anonymous = client.get(url)
    assert anonymous.status_code == 200 and "Persona 1" not in anonymous.content.decode()
    client.post(url)
    r.refresh_from_db()
    assert r.checked_in_at is None
    client.force_login(organizer)
    assert "Persona 1" in client.get(url).content.decode()
    client.post(url)
    r.refresh_from_db()
    assert r.checked_in_at is not None


def _pages(pdf: bytes) -> int:
    assert pdf.startswith(b"%PDF")
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.django_db
def test_badges_pdf_page_count(client, organizer, encounter):
    for i in range(9):
        reg(encounter, i)
    client.force_login(organizer)
    url = reverse("encounters:badges_pdf", args=[encounter.number])
    assert _pages(client.get(url + "?per_page=8").content) == 2
    assert _pages(client.get(url + "?per_page=3").content) == 3
    text = PdfReader(io.BytesIO(client.get(url).content)).pages[0].extract_text()
    assert "Persona 0" in text
